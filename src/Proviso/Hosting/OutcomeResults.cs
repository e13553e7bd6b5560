using Microsoft.AspNetCore.Http.HttpResults;

namespace Proviso.Hosting;

public static class OutcomeResults
{
    /// <summary>Maps a domain outcome to the matching HTTP result; failures are problem details (application/problem+json).</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp<T>(this Outcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Kind switch
        {
            OutcomeKind.Ok => TypedResults.Ok(outcome.Value!),
            OutcomeKind.Invalid => TypedResults.ValidationProblem(outcome.Errors!, title: outcome.Message),
            OutcomeKind.NotFound => TypedResults.Problem(Problem(StatusCodes.Status404NotFound, "Not found", outcome.Message)),
            _ => TypedResults.Problem(Problem(StatusCodes.Status409Conflict, "Conflict", outcome.Message)),
        };
    }

    /// <summary>Like <see cref="ToHttp{T}"/>, but success is 201 Created at the given location.</summary>
    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, Func<T, string> location)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(location);
        return outcome.ToHttp().Result switch
        {
            Ok<T> ok => TypedResults.Created(location(ok.Value!), ok.Value),
            ValidationProblem v => v,
            ProblemHttpResult p => p,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    public static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(int status, string title, string? detail) =>
        new() { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(Problem(StatusCodes.Status404NotFound, "Not found", detail));
}
