using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Proviso.Privacy.Operators;

/// <summary>
/// Keeps reversible mappings (token or surrogate → original) per scope, e.g. one request or one
/// conversation. Originals are encrypted at rest; a scope expires after its time to live.
/// </summary>
public interface IPseudonymVault
{
    /// <summary>The pseudonym already given to <paramref name="original"/> in <paramref name="scope"/>, or a new one from <paramref name="create"/>.</summary>
    string GetOrAdd(string scope, string type, string original, Func<int, string> create);

    /// <summary>The original behind a pseudonym, if the scope knows it.</summary>
    bool TryResolve(string scope, string pseudonym, out string original);

    /// <summary>Every pseudonym of a scope, longest first, for restoring them in a response.</summary>
    IReadOnlyList<string> Pseudonyms(string scope);

    /// <summary>Forgets a scope at once.</summary>
    void Drop(string scope);
}

/// <summary>In-memory vault (originals encrypted in memory); the host can keep mappings in its database instead.</summary>
public sealed class InMemoryVault : IPseudonymStore
{
    private readonly ConcurrentDictionary<string, Scope> _scopes = new(StringComparer.Ordinal);
    private readonly KeyedCrypto _crypto;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private long _nextSweep;

    /// <summary>Scopes currently held (live or not yet swept).</summary>
    public int ScopeCount => _scopes.Count;

    private sealed class Scope
    {
        public readonly Dictionary<string, byte[]> Encrypted = new(StringComparer.Ordinal);
        public readonly Dictionary<string, string> ByOriginalHash = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> Counters = new(StringComparer.Ordinal);
        public readonly Dictionary<string, string> TypeOf = new(StringComparer.Ordinal);
        public DateTimeOffset Expires;
        public string[]? Sorted;
    }

    /// <summary>Creates a vault. <paramref name="key"/> is a 32-byte AES key (random when null).</summary>
    public InMemoryVault(byte[]? key = null, TimeSpan? ttl = null, TimeProvider? time = null)
    {
        key ??= RandomNumberGenerator.GetBytes(32);
        if (key.Length != 32)
        {
            throw new ArgumentException("The vault key must be 32 bytes.", nameof(key));
        }
        _crypto = new KeyedCrypto(key);
        _ttl = ttl ?? TimeSpan.FromHours(1);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string GetOrAdd(string scope, string type, string original, Func<int, string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var s = Live(scope, createIfMissing: true)!;
        lock (s)
        {
            var hash = _crypto.MacHex(type + "\0" + original);
            if (s.ByOriginalHash.TryGetValue(hash, out var existing))
            {
                return existing;
            }
            var n = s.Counters.TryGetValue(type, out var c) ? c + 1 : 1;
            s.Counters[type] = n;
            var pseudonym = create(n);
            while (s.Encrypted.ContainsKey(pseudonym))
            {
                pseudonym = create(++n);
                s.Counters[type] = n;
            }
            s.ByOriginalHash[hash] = pseudonym;
            s.Encrypted[pseudonym] = Encrypt(original);
            s.TypeOf[pseudonym] = type;
            s.Sorted = null;
            return pseudonym;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<PseudonymMapping> Load(string scope)
    {
        var s = Live(scope, createIfMissing: false);
        if (s is null)
        {
            return [];
        }
        lock (s)
        {
            return [.. s.Encrypted.Select(e => new PseudonymMapping(s.TypeOf[e.Key], Decrypt(e.Value), e.Key))];
        }
    }

    /// <inheritdoc />
    public void Store(string scope, IReadOnlyList<PseudonymMapping> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return;
        }
        var s = Live(scope, createIfMissing: true)!;
        lock (s)
        {
            var hashes = new string[added.Count];
            for (var i = 0; i < added.Count; i++)
            {
                var m = added[i];
                hashes[i] = _crypto.MacHex(m.Type + "\0" + m.Original);
                if (s.ByOriginalHash.ContainsKey(hashes[i]) || s.Encrypted.ContainsKey(m.Pseudonym))
                {
                    throw new PseudonymConflictException($"Another request of scope {scope} stored a pseudonym or value first; nothing of this batch was stored.");
                }
            }
            for (var i = 0; i < added.Count; i++)
            {
                var m = added[i];
                s.ByOriginalHash[hashes[i]] = m.Pseudonym;
                s.Encrypted[m.Pseudonym] = Encrypt(m.Original);
                s.TypeOf[m.Pseudonym] = m.Type;
                s.Counters[m.Type] = s.Counters.GetValueOrDefault(m.Type) + 1;
            }
            s.Sorted = null;
        }
    }

    /// <inheritdoc />
    public bool TryResolve(string scope, string pseudonym, out string original)
    {
        original = "";
        var s = Live(scope, createIfMissing: false);
        if (s is null)
        {
            return false;
        }
        lock (s)
        {
            if (!s.Encrypted.TryGetValue(pseudonym, out var sealedValue))
            {
                return false;
            }
            original = Decrypt(sealedValue);
            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Pseudonyms(string scope)
    {
        var s = Live(scope, createIfMissing: false);
        if (s is null)
        {
            return [];
        }
        lock (s)
        {
            return s.Sorted ??= [.. s.Encrypted.Keys.OrderByDescending(k => k.Length)];
        }
    }

    /// <inheritdoc />
    public void Drop(string scope) => _scopes.TryRemove(scope, out _);

    /// <inheritdoc />
    public int Sweep()
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var (k, v) in _scopes)
        {
            if (v.Expires <= now && _scopes.TryRemove(k, out _))
            {
                removed++;
            }
        }
        return removed;
    }

    private Scope? Live(string scope, bool createIfMissing)
    {
        var now = _time.GetUtcNow();
        if (_scopes.TryGetValue(scope, out var s))
        {
            if (s.Expires > now)
            {
                return s;
            }
            _scopes.TryRemove(scope, out _);
        }
        if (!createIfMissing)
        {
            return null;
        }
        // Abandoned scopes are swept now and then — at most once a minute, never on every new scope: with
        // thousands of live scopes a sweep per scope made each call cost as much as all the others.
        var nowTicks = now.UtcTicks;
        var due = Interlocked.Read(ref _nextSweep);
        if (nowTicks >= due && Interlocked.CompareExchange(ref _nextSweep, nowTicks + SweepInterval.Ticks, due) == due)
        {
            Sweep();
        }
        return _scopes.GetOrAdd(scope, _ => new Scope { Expires = now + _ttl });
    }

    private byte[] Encrypt(string value) => _crypto.Seal(value);

    private string Decrypt(byte[] sealedValue) => _crypto.Open(sealedValue);
}
