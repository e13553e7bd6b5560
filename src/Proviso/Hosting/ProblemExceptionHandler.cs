using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Proviso.Hosting;

/// <summary>Turns exceptions into problem details: a bad request says what was wrong; anything else says nothing internal.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "Malformed request body", Describe(json)),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                (413, "Request body too large", bad.Message),
            BadHttpRequestException bad =>
                (bad.StatusCode, "Bad request", bad.Message),
            Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException =>
                (409, "Conflict", "Someone else changed this at the same moment; nothing of yours was saved. Reload and try again."),
            _ => (500, "Unexpected error", "The server could not complete the request. It has been logged."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string Describe(JsonException json)
    {
        var where = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $" at '{json.Path}'";
        // System.Text.Json names CLR types in its messages; say what a caller can act on instead.
        var message = json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "a value has the wrong type or is not one of the allowed values"
            : json.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
        return $"The JSON body is invalid{where}: {message}.";
    }
}
