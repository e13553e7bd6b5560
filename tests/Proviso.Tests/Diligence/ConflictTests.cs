using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Diligence;

public sealed class ConflictTests
{
    [Fact]
    public async Task A_concurrent_edit_anywhere_in_the_api_is_a_409_that_says_to_reload_not_a_500()
    {
        var f = ProvisoFactory.For(DatabaseProvider.Sqlite);
        using var scope = f.Services.CreateScope();
        var handler = new ProblemExceptionHandler(scope.ServiceProvider.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();
        Assert.True(await handler.TryHandleAsync(context, new Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException("conflict"), CancellationToken.None));
        Assert.Equal(409, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        Assert.Contains("Reload and try again", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
