using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Diligence.Evidence;
using Proviso.Hosting;
using Proviso.Ledger;

namespace Proviso.Diligence;

public sealed record EvidenceInput(string? Kind = null, string? Title = null, string? Issuer = null, string? Scope = null,
    DateOnly? PeriodStart = null, DateOnly? PeriodEnd = null, DateOnly? ExpiresOn = null, string? QuestionId = null);

public sealed record EvidenceSummary(Guid Id, Guid VendorId, EvidenceKind Kind, string Title, string? Issuer, string? Scope,
    DateOnly? PeriodStart, DateOnly? PeriodEnd, DateOnly? ExpiresOn, string ExpiryState, int? DaysLeft,
    string FileName, string ContentType, long Size, string Sha256, bool FromVendor, Guid? AssessmentId, string? QuestionId,
    DateTimeOffset UploadedAt, string? UploadedBy);

public sealed record EvidenceDownload(byte[] Content, string ContentType, string FileName);

/// <summary>The AES-256-GCM key that seals evidence files at rest.</summary>
public sealed class EvidenceKey(byte[] key)
{
    public byte[] Key { get; } = key;
}

/// <summary>Certifications, reports and policies: stored encrypted with their SHA-256, checked on the way out, expiry tracked.</summary>
public sealed class EvidenceService(ProvisoDbContext db, AuditTrail audit, TimeProvider time, EvidenceKey key, IOptions<ProvisoOptions> options)
{
    public const int ExpiringDays = 90;

    public long MaxBytes => options.Value.Diligence.MaxEvidenceBytes;

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<IReadOnlyList<EvidenceSummary>> ListAsync(Guid vendorId, CancellationToken ct = default) =>
        (await db.Evidence.AsNoTracking().Where(e => e.VendorId == vendorId).ToListAsync(ct))
        .OrderBy(e => e.ExpiresOn ?? DateOnly.MaxValue).Select(e => Summary(e, Today)).ToList();

    /// <summary>Validates and stores a file. Nothing is stored when the file is too large, empty, or not what its name says.</summary>
    public async Task<Outcome<EvidenceSummary>> StoreAsync(Guid vendorId, Guid? assessmentId, string fileName, byte[] content, EvidenceInput input,
        bool fromVendor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(input);
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct);
        if (vendor is null)
        {
            return Outcome<EvidenceSummary>.NotFound($"Vendor {vendorId} does not exist.");
        }
        var name = Path.GetFileName(fileName ?? "");
        if (name.Length is 0 or > 260)
        {
            return Outcome<EvidenceSummary>.Invalid("file", "The file needs a name of 1 to 260 characters.");
        }
        if (content.LongLength > MaxBytes)
        {
            return Outcome<EvidenceSummary>.Invalid("file", $"{name} is {content.LongLength / 1024 / 1024.0:0.#} MB; evidence files are limited to {MaxBytes / 1024 / 1024} MB.");
        }
        SniffResult sniffed;
        try
        {
            sniffed = FileSniffer.Check(name, content);
        }
        catch (FormatException ex)
        {
            return Outcome<EvidenceSummary>.Invalid("file", ex.Message);
        }
        var row = new EvidenceFile { VendorId = vendorId, AssessmentId = assessmentId, FileName = name, ContentType = sniffed.ContentType, FromVendor = fromVendor };
        var errors = Apply(row, input, name);
        if (errors.Any)
        {
            return Outcome<EvidenceSummary>.Invalid(errors.ToDictionary());
        }
        row.Size = content.LongLength;
        row.Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        row.Sealed = Seal(row.Id, content);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("evidence.uploaded", "evidence", row.Id.ToString(), vendor, new Dictionary<string, object?>
        {
            ["file"] = name, ["sha256"] = row.Sha256, ["bytes"] = row.Size, ["kind"] = Key(row.Kind), ["from_vendor"] = fromVendor,
            ["expires_on"] = row.ExpiresOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        return Outcome<EvidenceSummary>.Ok(Summary(row, Today));
    }

    public async Task<Outcome<EvidenceSummary>> UpdateAsync(Guid id, EvidenceInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var row = await db.Evidence.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null)
        {
            return Outcome<EvidenceSummary>.NotFound($"Evidence {id} does not exist.");
        }
        var errors = Apply(row, input, row.Title);
        if (errors.Any)
        {
            return Outcome<EvidenceSummary>.Invalid(errors.ToDictionary());
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("evidence.updated", "evidence", id.ToString(), await VendorNameAsync(row.VendorId, ct), new Dictionary<string, object?>
        {
            ["kind"] = Key(row.Kind), ["issuer"] = row.Issuer,
            ["expires_on"] = row.ExpiresOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        return Outcome<EvidenceSummary>.Ok(Summary(row, Today));
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct = default)
    {
        var row = await db.Evidence.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null)
        {
            return Outcome<bool>.NotFound($"Evidence {id} does not exist.");
        }
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("evidence.deleted", "evidence", id.ToString(), await VendorNameAsync(row.VendorId, ct),
            new Dictionary<string, object?> { ["file"] = row.FileName, ["sha256"] = row.Sha256 }, ct);
        return Outcome<bool>.Ok(true);
    }

    /// <summary>Decrypts a file and checks it against its recorded hash; a file changed at rest is refused, not served.</summary>
    public async Task<Outcome<EvidenceDownload>> DownloadAsync(Guid id, Guid? assessmentId = null, CancellationToken ct = default)
    {
        var row = await db.Evidence.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && (assessmentId == null || e.AssessmentId == assessmentId), ct);
        if (row is null)
        {
            return Outcome<EvidenceDownload>.NotFound($"Evidence {id} does not exist.");
        }
        byte[] plain;
        try
        {
            plain = Open(row.Id, row.Sealed);
        }
        catch (CryptographicException)
        {
            return Outcome<EvidenceDownload>.Conflict($"Evidence {id} failed its integrity check: the stored file was altered or the evidence key changed.");
        }
        if (Convert.ToHexStringLower(SHA256.HashData(plain)) != row.Sha256)
        {
            return Outcome<EvidenceDownload>.Conflict($"Evidence {id} failed its integrity check: its content no longer matches the recorded SHA-256.");
        }
        return Outcome<EvidenceDownload>.Ok(new EvidenceDownload(plain, row.ContentType, row.FileName));
    }

    private static ValidationErrors Apply(EvidenceFile row, EvidenceInput input, string fallbackTitle)
    {
        var errors = new ValidationErrors();
        if (input.Kind is { Length: > 0 } kind)
        {
            if (TryParseKind(kind, out var k))
            {
                row.Kind = k;
            }
            else
            {
                errors.Add("kind", $"Unknown evidence kind '{kind}'; use {string.Join(", ", Enum.GetValues<EvidenceKind>().Select(Key))}.");
            }
        }
        row.Title = errors.Text("title", input.Title, EvidenceFile.TextMax, label: "Title") ?? (row.Title.Length > 0 ? row.Title : fallbackTitle);
        row.Issuer = errors.Text("issuer", input.Issuer, EvidenceFile.TextMax, label: "Issuer") ?? row.Issuer;
        row.Scope = errors.Text("scope", input.Scope, EvidenceFile.TextMax, label: "Scope") ?? row.Scope;
        row.QuestionId = errors.Text("questionId", input.QuestionId, 128, label: "Question") ?? row.QuestionId;
        row.PeriodStart = input.PeriodStart ?? row.PeriodStart;
        row.PeriodEnd = input.PeriodEnd ?? row.PeriodEnd;
        row.ExpiresOn = input.ExpiresOn ?? row.ExpiresOn;
        if (row.PeriodStart > row.PeriodEnd)
        {
            errors.Add("periodEnd", "The audit period ends before it starts.");
        }
        if (row.ExpiresOn is { } e && row.PeriodStart is { } s && e < s)
        {
            errors.Add("expiresOn", "The expiry date is before the start of the period it covers.");
        }
        if (row.ExpiresOn is { } far && far.Year > 2200)
        {
            errors.Add("expiresOn", "The expiry date is out of range.");
        }
        return errors;
    }

    public static string Key(EvidenceKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public static bool TryParseKind(string text, out EvidenceKind kind)
    {
        var norm = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse(norm, true, out kind) && Enum.IsDefined(kind);
    }

    public static string Label(EvidenceKind kind) => kind switch
    {
        EvidenceKind.Soc2Type1 => "SOC 2 Type I",
        EvidenceKind.Soc2Type2 => "SOC 2 Type II",
        EvidenceKind.Iso27001 => "ISO/IEC 27001",
        EvidenceKind.Iso27701 => "ISO/IEC 27701",
        EvidenceKind.Iso42001 => "ISO/IEC 42001",
        EvidenceKind.PenTestSummary => "Penetration test summary",
        EvidenceKind.Policy => "Policy",
        _ => "Other",
    };

    internal static EvidenceSummary Summary(EvidenceFile e, DateOnly today)
    {
        int? days = e.ExpiresOn is { } x ? x.DayNumber - today.DayNumber : null;
        var state = days switch
        {
            null => "no-expiry",
            < 0 => "expired",
            <= ExpiringDays => "expiring",
            _ => "valid",
        };
        return new EvidenceSummary(e.Id, e.VendorId, e.Kind, e.Title, e.Issuer, e.Scope, e.PeriodStart, e.PeriodEnd, e.ExpiresOn, state, days,
            e.FileName, e.ContentType, e.Size, e.Sha256, e.FromVendor, e.AssessmentId, e.QuestionId, e.CreatedAt, e.CreatedBy);
    }

    private async Task<string?> VendorNameAsync(Guid vendorId, CancellationToken ct) =>
        await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct);

    private byte[] Seal(Guid id, byte[] plain)
    {
        var result = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(result.AsSpan(0, 12));
        using var aes = new AesGcm(key.Key, 16);
        // The row id is associated data: a sealed file copied onto another evidence row does not open.
        aes.Encrypt(result.AsSpan(0, 12), plain, result.AsSpan(28), result.AsSpan(12, 16), id.ToByteArray());
        return result;
    }

    private byte[] Open(Guid id, byte[] sealedValue)
    {
        if (sealedValue.Length < 28)
        {
            throw new CryptographicException("Sealed value too short.");
        }
        var plain = new byte[sealedValue.Length - 28];
        using var aes = new AesGcm(key.Key, 16);
        aes.Decrypt(sealedValue.AsSpan(0, 12), sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), plain, id.ToByteArray());
        return plain;
    }
}
