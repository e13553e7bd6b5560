using Proviso.Data;

namespace Proviso.Ledger;

/// <summary>Records the current scope's actions in the ledger, attributed to the scope's actor.</summary>
public sealed class AuditTrail(LedgerService ledger, ProvisoDbContext db)
{
    public Task<long> RecordAsync(string action, string subjectType, string subjectId, string? vendor = null,
        IReadOnlyDictionary<string, object?>? details = null, CancellationToken ct = default) =>
        ledger.RecordAsync(action, db.Actor, subjectType, subjectId, vendor, details, ct);
}
