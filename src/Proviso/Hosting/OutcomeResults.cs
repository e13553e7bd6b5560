using Microsoft.AspNetCore.Http.HttpResults;

namespace Proviso.Hosting;

public static class OutcomeResults
{
    /// <summary>Maps a domain outcome to the matching HTTP result with a problem-details body.</summary>
    public static Results<Ok<T>, ValidationProblem, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>> ToHttp<T>(this Outcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Kind switch
        {
            OutcomeKind.Ok => TypedResults.Ok(outcome.Value!),
            OutcomeKind.Invalid => TypedResults.ValidationProblem(outcome.Errors!, title: outcome.Message),
            OutcomeKind.NotFound => TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, "Not found", outcome.Message)),
            _ => TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "Conflict", outcome.Message)),
        };
    }

    /// <summary>Like <see cref="ToHttp{T}"/>, but success is 201 Created at the given location.</summary>
    public static Results<Created<T>, ValidationProblem, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>> ToCreated<T>(
        this Outcome<T> outcome, Func<T, string> location)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(location);
        return outcome.ToHttp().Result switch
        {
            Ok<T> ok => TypedResults.Created(location(ok.Value!), ok.Value),
            ValidationProblem v => v,
            NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails> n => n,
            Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails> c => c,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    public static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(int status, string title, string? detail) =>
        new() { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
}
