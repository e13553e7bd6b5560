using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Proviso.Data;
using Proviso.Privacy.Operators;

namespace Proviso.Gateway;

/// <summary>One pseudonym of a scope, its original sealed with AES-GCM under the vault key.</summary>
public sealed class VaultEntry
{
    public string Scope { get; set; } = "";
    public string Pseudonym { get; set; } = "";
    public string Type { get; set; } = "";

    /// <summary>HMAC of type and original, so the same value gets the same pseudonym without decrypting anything.</summary>
    public string OriginalHash { get; set; } = "";

    public byte[] Sealed { get; set; } = [];
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class VaultEntryConfiguration : IEntityTypeConfiguration<VaultEntry>
{
    public void Configure(EntityTypeBuilder<VaultEntry> b)
    {
        b.ToTable("vault_entries");
        b.HasKey(e => new { e.Scope, e.Pseudonym });
        b.Property(e => e.Scope).HasMaxLength(200);
        b.Property(e => e.Pseudonym).HasMaxLength(200);
        b.Property(e => e.Type).HasMaxLength(64);
        b.Property(e => e.OriginalHash).HasMaxLength(64);
        b.HasIndex(e => new { e.Scope, e.OriginalHash }).IsUnique();
        b.HasIndex(e => e.ExpiresAt);
    }
}

/// <summary>
/// The host's vault: mappings in the database so a conversation's pseudonyms survive restarts and
/// are shared by every instance; originals AES-GCM-encrypted with a key kept outside the database
/// (a key file in the data directory, or configuration). Scopes expire after their time to live.
/// </summary>
public sealed class DbPseudonymVault(ProvisoDbOptions db, byte[] key, TimeSpan ttl, TimeProvider time) : IPseudonymStore
{
    private readonly KeyedCrypto _crypto = new(key);

    public IReadOnlyList<PseudonymMapping> Load(string scope)
    {
        using var context = db.Create();
        var now = time.GetUtcNow();
        return [.. context.Set<VaultEntry>().AsNoTracking().Where(e => e.Scope == scope && e.ExpiresAt > now)
            .Select(e => new { e.Type, e.Pseudonym, e.Sealed }).AsEnumerable()
            .Select(e => new PseudonymMapping(e.Type, Open(e.Sealed), e.Pseudonym))];
    }

    public void Store(string scope, IReadOnlyList<PseudonymMapping> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return;
        }
        using var context = db.Create();
        var now = time.GetUtcNow();
        var expires = now + ttl;
        using var transaction = context.Database.BeginTransaction();
        // Expired mappings of the scope (not swept yet) would hold numbers and values the batch may hand out again.
        context.Set<VaultEntry>().Where(e => e.Scope == scope && e.ExpiresAt <= now).ExecuteDelete();
        foreach (var m in added)
        {
            context.Set<VaultEntry>().Add(new VaultEntry
            {
                Scope = scope, Pseudonym = m.Pseudonym, Type = m.Type, OriginalHash = _crypto.MacHex(m.Type + "\0" + m.Original), Sealed = Seal(m.Original), ExpiresAt = expires,
            });
        }
        try
        {
            // One transaction, one flush, however many values the request had.
            context.SaveChanges();
            transaction.Commit();
        }
        catch (DbUpdateException ex)
        {
            throw new PseudonymConflictException($"Another request of scope {scope} stored a pseudonym or value first; nothing of this batch was stored.", ex);
        }
    }

    public string GetOrAdd(string scope, string type, string original, Func<int, string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var hash = _crypto.MacHex(type + "\0" + original);
        using var context = db.Create();
        var now = time.GetUtcNow();
        var existing = context.Set<VaultEntry>().AsNoTracking().FirstOrDefault(e => e.Scope == scope && e.OriginalHash == hash && e.ExpiresAt > now);
        if (existing is not null)
        {
            return existing.Pseudonym;
        }
        var prefix = $"<{type}_";
        var count = context.Set<VaultEntry>().Count(e => e.Scope == scope && e.Type == type);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var pseudonym = create(count + 1 + attempt);
            context.Set<VaultEntry>().Add(new VaultEntry { Scope = scope, Pseudonym = pseudonym, Type = type, OriginalHash = hash, Sealed = Seal(original), ExpiresAt = now + ttl });
            try
            {
                context.SaveChanges();
                return pseudonym;
            }
            catch (DbUpdateException)
            {
                // Another request of the same scope added the value (or took the number) first.
                context.ChangeTracker.Clear();
                var raced = context.Set<VaultEntry>().AsNoTracking().FirstOrDefault(e => e.Scope == scope && e.OriginalHash == hash);
                if (raced is not null)
                {
                    return raced.Pseudonym;
                }
            }
        }
        throw new InvalidOperationException($"Could not allocate a pseudonym starting {prefix} in scope {scope}.");
    }

    public bool TryResolve(string scope, string pseudonym, out string original)
    {
        using var context = db.Create();
        var now = time.GetUtcNow();
        var entry = context.Set<VaultEntry>().AsNoTracking().FirstOrDefault(e => e.Scope == scope && e.Pseudonym == pseudonym && e.ExpiresAt > now);
        original = entry is null ? "" : Open(entry.Sealed);
        return entry is not null;
    }

    public IReadOnlyList<string> Pseudonyms(string scope)
    {
        using var context = db.Create();
        var now = time.GetUtcNow();
        return context.Set<VaultEntry>().AsNoTracking().Where(e => e.Scope == scope && e.ExpiresAt > now).Select(e => e.Pseudonym).AsEnumerable()
            .OrderByDescending(p => p.Length).ToList();
    }

    public void Drop(string scope)
    {
        using var context = db.Create();
        context.Set<VaultEntry>().Where(e => e.Scope == scope).ExecuteDelete();
    }

    /// <summary>Deletes expired mappings; run periodically.</summary>
    public int Sweep()
    {
        using var context = db.Create();
        var now = time.GetUtcNow();
        return context.Set<VaultEntry>().Where(e => e.ExpiresAt <= now).ExecuteDelete();
    }

    private byte[] Seal(string value) => _crypto.Seal(value);

    private string Open(byte[] sealedValue) => _crypto.Open(sealedValue);

    /// <summary>The vault key: configuration (base64) wins, else a key file in the data directory, created owner-only on first use.</summary>
    public static byte[] LoadKey(string? configured, string keyFile, string setting = "Proviso:Privacy:VaultKey")
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var k = Convert.FromBase64String(configured);
            return k.Length == 32 ? k : throw new InvalidOperationException($"{setting} must be 32 bytes, base64-encoded.");
        }
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            try
            {
                using var f = new FileStream(keyFile, options);
                f.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(keyFile))
            {
                // Another instance created it first.
            }
        }
        var key = Convert.FromBase64String(File.ReadAllText(keyFile).Trim());
        return key.Length == 32 ? key : throw new InvalidOperationException($"{keyFile} must hold 32 base64-encoded bytes.");
    }
}
