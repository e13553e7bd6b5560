using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Proviso.Accounts;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;
using Proviso.Hosting;

namespace Proviso.Contracts;

public static class ContractEndpoints
{
    public static IHostApplicationBuilder AddContracts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<ContractReviewService>();
        // Loaded once at startup, so a broken playbook stops the start with its reason instead of failing uploads later.
        var path = builder.Configuration[$"{ProvisoOptions.SectionName}:{nameof(ProvisoOptions.ContractPlaybook)}"];
        builder.Services.AddSingleton(LoadPlaybook(path));
        return builder;
    }

    internal static ClausePlaybook LoadPlaybook(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return ClausePlaybook.Default();
        }
        try
        {
            return ClausePlaybook.WithOverrides(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Proviso:ContractPlaybook ({path}): {ex.Message}", ex);
        }
    }

    public static IEndpointRouteBuilder MapContractsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").WithTags("Contracts").RequireAuthorization(Permissions.VendorsRead);
        var write = app.MapGroup("/api").WithTags("Contracts").RequireAuthorization(Permissions.VendorsWrite);

        read.MapGet("/vendors/{id:guid}/contracts", async (Guid id, ContractReviewService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(id, ct)))
            .WithName("ListContractReviews").WithSummary("The contracts uploaded to a vendor, newest first.");
        read.MapGet("/contracts/{id:guid}", GetAsync).WithName("GetContractReview")
            .WithSummary("A contract review: the document text and, per clause kind, the finding, its evidence offsets and the reviewer's decision.");
        read.MapGet("/contracts/{id:guid}/report", ReportAsync).WithName("GetContractReport")
            .WithSummary("The gap report with the reviewer's decisions applied; format=md (default) or html.");
        write.MapPost("/vendors/{id:guid}/contracts", UploadAsync).WithName("UploadContract")
            .WithSummary("Upload a contract (PDF, DOCX, Markdown, HTML, text) to a vendor; it is analyzed at once.")
            .WithDescription("Send multipart/form-data with the file in a field named 'file'. An unreadable file answers 400 and nothing is stored.")
            .DisableAntiforgery();
        write.MapPost("/contracts/{id:guid}/clauses/{kind}", DecideAsync).WithName("DecideContractFinding")
            .WithSummary("Accept a finding or override its status with a reason; kept on the review and recorded in the ledger.");
        return app;
    }

    private static async Task<Results<Ok<ContractReviewDetails>, ProblemHttpResult>> GetAsync(Guid id, ContractReviewService s, CancellationToken ct) =>
        await s.GetAsync(id, ct) is { } r ? TypedResults.Ok(r) : OutcomeResults.NotFound($"Contract review {id} does not exist.");

    private static async Task<IResult> ReportAsync(Guid id, ContractReviewService s, CancellationToken ct, string format = "md")
    {
        format = format.ToLowerInvariant();
        if (format is not ("md" or "html"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown report format", detail: $"Format '{format}' is not supported; use md or html.");
        }
        return await s.ReportAsync(id, format, ct) is { } report
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(report.Body), report.ContentType, report.FileName)
            : OutcomeResults.NotFound($"Contract review {id} does not exist.");
    }

    private static async Task<Results<Ok<ContractReviewDetails>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid id, string kind, DecisionInput input, ContractReviewService s, CancellationToken ct) => (await s.DecideAsync(id, kind, input, ct)).ToHttp();

    private static async Task<IResult> UploadAsync(Guid id, HttpRequest request, ContractReviewService s, CancellationToken ct)
    {
        var (upload, problem) = await Uploads.ReadAsync(request, DocumentReader.MaxBytes, "contract", ct);
        if (upload is null)
        {
            return problem!;
        }
        var outcome = await s.UploadAsync(id, upload.FileName, upload.Content, ct);
        return outcome.ToCreated(r => $"/api/contracts/{r.Id}").Result;
    }
}
