using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Vendors;

namespace Proviso.Diligence;

public sealed record VendorDecisionInput(string? Outcome, string? Conditions, string? Rationale);

public sealed record SignOffInput(string? Function, bool Agree, string? Note);

public sealed record DecisionView(Guid Id, Guid VendorId, DecisionOutcome Outcome, string? Conditions, string? Rationale, DecisionStatus Status,
    IReadOnlyList<string> Functions, IReadOnlyList<SignOff> SignOffs, IReadOnlyList<string> Waiting, string? ResidualTier,
    DateTimeOffset ProposedAt, string? ProposedBy, DateTimeOffset? DecidedAt);

/// <summary>
/// Vendor decisions (approve, approve with conditions, reject) that take effect only when every
/// configured function has signed off; an objection stops the decision. One person signs for one
/// function per decision. Every step is a ledger entry.
/// </summary>
public sealed class DecisionService(ProvisoDbContext db, AuditTrail audit, TimeProvider time, IOptions<ProvisoOptions> options, RiskService risk)
{
    public IReadOnlyList<string> Functions => options.Value.Diligence.SignOffFunctions;

    public async Task<IReadOnlyList<DecisionView>> ListAsync(Guid vendorId, CancellationToken ct = default) =>
        (await db.VendorDecisions.AsNoTracking().Where(d => d.VendorId == vendorId).ToListAsync(ct))
        .OrderByDescending(d => d.CreatedAt).Select(View).ToList();

    public async Task<Outcome<DecisionView>> ProposeAsync(Guid vendorId, VendorDecisionInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return Outcome<DecisionView>.NotFound($"Vendor {vendorId} does not exist.");
        }
        var errors = new ValidationErrors();
        var outcome = default(DecisionOutcome);
        var norm = input.Outcome?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (norm is null || !Enum.TryParse(norm, true, out outcome) || !Enum.IsDefined(outcome))
        {
            errors.Add("outcome", "Outcome must be approve, approve-with-conditions or reject.");
        }
        var conditions = errors.Text("conditions", input.Conditions, VendorDecision.TextMax, required: outcome == DecisionOutcome.ApproveWithConditions, label: "Conditions");
        var rationale = errors.Text("rationale", input.Rationale, VendorDecision.TextMax, required: outcome == DecisionOutcome.Reject, label: "Rationale");
        if (errors.Any)
        {
            return Outcome<DecisionView>.Invalid(errors.ToDictionary());
        }
        // A new proposal replaces one still waiting for sign-off.
        await foreach (var pending in db.VendorDecisions.Where(d => d.VendorId == vendorId && d.Status == DecisionStatus.Pending).AsAsyncEnumerable().WithCancellation(ct))
        {
            pending.Status = DecisionStatus.Withdrawn;
            pending.Version = Guid.NewGuid();
        }
        var residual = await risk.ResidualAsync(vendorId, ct);
        var decision = new VendorDecision
        {
            VendorId = vendorId, Outcome = outcome, Conditions = conditions, Rationale = rationale, Functions = [.. Functions],
            ResidualTier = residual is null ? null : Taxonomy.Key(residual.Residual),
        };
        db.Add(decision);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("decision.proposed", "decision", decision.Id.ToString(), vendor.Name, new Dictionary<string, object?>
        {
            ["outcome"] = Taxonomy.Key(outcome), ["functions"] = decision.Functions.ToList<object?>(), ["residual_risk"] = decision.ResidualTier,
            ["conditions"] = conditions,
        }, ct);
        return Outcome<DecisionView>.Ok(View(decision));
    }

    /// <summary>Signs for a function the user holds the role of. When the last function agrees, the vendor's status follows the outcome.</summary>
    public async Task<Outcome<DecisionView>> SignAsync(Guid decisionId, SignOffInput input, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(user);
        var decision = await db.VendorDecisions.FirstOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null)
        {
            return Outcome<DecisionView>.NotFound($"Decision {decisionId} does not exist.");
        }
        if (decision.Status != DecisionStatus.Pending)
        {
            return Outcome<DecisionView>.Conflict($"This decision is {Taxonomy.Key(decision.Status)}; only a pending decision can be signed.");
        }
        var function = decision.Functions.FirstOrDefault(f => string.Equals(f, input.Function?.Trim(), StringComparison.OrdinalIgnoreCase));
        var errors = new ValidationErrors();
        var note = errors.Text("note", input.Note, VendorDecision.TextMax, required: !input.Agree, label: "A note explaining the objection");
        if (function is null)
        {
            errors.Add("function", $"'{input.Function}' is not one of this decision's functions ({string.Join(", ", decision.Functions)}).");
        }
        if (errors.Any)
        {
            return Outcome<DecisionView>.Invalid(errors.ToDictionary());
        }
        var who = CurrentActor.Describe(user) ?? "unknown";
        if (!user.IsInRole(function!))
        {
            return Outcome<DecisionView>.Invalid("function", $"Signing for {function} needs the {function} role.");
        }
        if (decision.SignOffs.Any(s => string.Equals(s.Function, function, StringComparison.OrdinalIgnoreCase)))
        {
            return Outcome<DecisionView>.Conflict($"{function} has already signed this decision.");
        }
        if (decision.SignOffs.Any(s => s.By == who))
        {
            return Outcome<DecisionView>.Conflict("You have already signed this decision for another function; each function needs its own person.");
        }
        var now = time.GetUtcNow();
        decision.SignOffs.Add(new SignOff { Function = function!, Agree = input.Agree, Note = note, By = who, At = now });
        var vendor = await db.Vendors.FirstAsync(v => v.Id == decision.VendorId, ct);
        var before = vendor.Status;
        if (!input.Agree)
        {
            decision.Status = DecisionStatus.Objected;
            decision.DecidedAt = now;
        }
        else if (decision.Functions.All(f => decision.SignOffs.Any(s => s.Agree && string.Equals(s.Function, f, StringComparison.OrdinalIgnoreCase))))
        {
            decision.Status = DecisionStatus.Final;
            decision.DecidedAt = now;
            vendor.Status = decision.Outcome switch
            {
                DecisionOutcome.Approve => VendorStatus.Approved,
                DecisionOutcome.ApproveWithConditions => VendorStatus.ApprovedWithConditions,
                _ => VendorStatus.Rejected,
            };
            vendor.Refresh();
        }
        decision.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<DecisionView>.Conflict("Someone signed this decision at the same moment. Reload and sign again.");
        }
        await audit.RecordAsync(input.Agree ? "decision.signed" : "decision.objected", "decision", decision.Id.ToString(), vendor.Name,
            new Dictionary<string, object?> { ["function"] = function, ["agree"] = input.Agree, ["note"] = note, ["status"] = Taxonomy.Key(decision.Status) }, ct);
        if (decision.Status == DecisionStatus.Final)
        {
            await audit.RecordAsync("vendor.status-changed", "vendor", vendor.Id.ToString(), vendor.Name, new Dictionary<string, object?>
            {
                ["from"] = Taxonomy.Key(before), ["to"] = Taxonomy.Key(vendor.Status), ["decision"] = decision.Id.ToString(),
                ["signed_by"] = decision.SignOffs.Select(s => (object?)$"{s.Function}: {s.By}").ToList(),
            }, ct);
        }
        return Outcome<DecisionView>.Ok(View(decision));
    }

    private static DecisionView View(VendorDecision d) =>
        new(d.Id, d.VendorId, d.Outcome, d.Conditions, d.Rationale, d.Status, d.Functions, d.SignOffs,
            d.Functions.Where(f => !d.SignOffs.Any(s => string.Equals(s.Function, f, StringComparison.OrdinalIgnoreCase))).ToList(),
            d.ResidualTier, d.CreatedAt, d.CreatedBy, d.DecidedAt);
}
