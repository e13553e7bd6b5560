using Microsoft.AspNetCore.Components.Authorization;
using Proviso.Data;

namespace Proviso.Components.Widgets;

/// <summary>
/// Runs one UI operation in its own DI scope (a fresh DbContext, as EF Core wants in Blazor Server)
/// with the circuit's user as the audit actor.
/// </summary>
public sealed class UiScope(IServiceScopeFactory scopes, AuthenticationStateProvider auth)
{
    public async Task<T> RunAsync<TService, T>(Func<TService, Task<T>> work) where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = scopes.CreateAsyncScope();
        var state = await auth.GetAuthenticationStateAsync();
        scope.ServiceProvider.GetRequiredService<ProvisoDbContext>().Actor = CurrentActor.Describe(state.User);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<System.Security.Claims.ClaimsPrincipal> UserAsync() => (await auth.GetAuthenticationStateAsync()).User;
}
