using Microsoft.AspNetCore.Http.HttpResults;
using Proviso.Accounts;
using Proviso.Hosting;

namespace Proviso.Ledger;

public static class LedgerEndpoints
{
    public static IHostApplicationBuilder AddLedger(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<LedgerService>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<LedgerQueries>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ledger").WithTags("Ledger").RequireAuthorization(Permissions.AuditRead);
        group.MapGet("/entries", async (LedgerQueries q, CancellationToken ct, string? action = null, string? actor = null, string? vendor = null,
            DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50) =>
            TypedResults.Ok(await q.ListAsync(new LedgerFilter(action, actor, vendor, from, to), page, pageSize, ct)))
            .WithName("ListLedgerEntries").WithSummary("Ledger entries, newest first, with their signed records.");
        group.MapGet("/checkpoint", async Task<Results<Ok<CheckpointView>, ProblemHttpResult>> (LedgerQueries q, CancellationToken ct) =>
            await q.LatestCheckpointAsync(ct) is { } cp ? TypedResults.Ok(cp) : OutcomeResults.NotFound("The ledger has no checkpoint yet."))
            .WithName("GetLatestCheckpoint").WithSummary("The latest signed checkpoint (C2SP signed note).");
        group.MapGet("/keys", async (LedgerService ledger, CancellationToken ct) =>
            TypedResults.Ok((await ledger.TrustedKeysAsync(ct)).Select(k => k.Text)))
            .WithName("GetLedgerKeys").WithSummary("Public keys that verify this log's checkpoints, current first.");
        group.MapPost("/verify", async (LedgerService ledger, CancellationToken ct) => TypedResults.Ok(await ledger.VerifyAsync(null, ct)))
            .WithName("VerifyLedger").WithSummary("Recompute the whole tree and check every entry and checkpoint.");
        group.MapGet("/proof/{index:long}", async Task<Results<Ok<InclusionProofView>, ProblemHttpResult>> (long index, LedgerQueries q, CancellationToken ct) =>
            await q.ProveAsync(index, ct) is { } proof ? TypedResults.Ok(proof) : OutcomeResults.NotFound($"Entry {index} is not covered by a checkpoint."))
            .WithName("ProveLedgerEntry").WithSummary("Inclusion proof of one entry against the latest checkpoint.");
        group.MapGet("/export", async (LedgerQueries q, CancellationToken ct, string? vendor = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        {
            var bundle = await q.BundleAsync(new LedgerFilter(null, null, vendor, from, to), ct);
            var ms = new MemoryStream();
            bundle.WriteTo(ms);
            ms.Position = 0;
            return TypedResults.File(ms, "application/json", "proviso-ledger-bundle.json");
        }).WithName("ExportLedger").WithSummary("Records with inclusion proofs and the signed checkpoint, verifiable offline.");
        return app;
    }
}
