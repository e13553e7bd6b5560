namespace Proviso.Privacy.Operators;

/// <summary>One reversible mapping of a scope.</summary>
/// <param name="Type">Entity type of the original.</param>
/// <param name="Original">The original value.</param>
/// <param name="Pseudonym">The token or surrogate that stands for it.</param>
public readonly record struct PseudonymMapping(string Type, string Original, string Pseudonym);

/// <summary>
/// A vault kept outside the process (a database shared by instances). Besides answering one mapping at a time, it loads a
/// scope whole and stores many new mappings at once, so that a <see cref="PseudonymBatch"/> costs a read and a write per
/// request instead of several per value.
/// </summary>
public interface IPseudonymStore : IPseudonymVault
{
    /// <summary>Every live mapping of <paramref name="scope"/>.</summary>
    IReadOnlyList<PseudonymMapping> Load(string scope);

    /// <summary>
    /// Stores new mappings of <paramref name="scope"/> together. Throws <see cref="PseudonymConflictException"/>, storing
    /// nothing, when another writer gave one of the pseudonyms or originals a mapping meanwhile.
    /// </summary>
    void Store(string scope, IReadOnlyList<PseudonymMapping> added);

    /// <summary>Deletes every expired mapping now (call it periodically: nothing outlives its time to live); returns how many went.</summary>
    int Sweep();
}

/// <summary>A batch could not be stored: another writer of the same scope was first.</summary>
public sealed class PseudonymConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A unit of work on one scope of an <see cref="IPseudonymStore"/>: the scope is loaded once, pseudonyms are handed out and
/// resolved from memory, and the new ones are stored together by <see cref="Save"/> — before anything that carries them
/// leaves. Other scopes pass through to the store. Not thread-safe: one per request.
/// </summary>
/// <param name="store">Where the scope's mappings are kept.</param>
/// <param name="boundScope">The scope this batch holds.</param>
/// <param name="isNew">The scope was just made up (a call's own): there is nothing to load.</param>
public sealed class PseudonymBatch(IPseudonymStore store, string boundScope, bool isNew = false) : IPseudonymVault
{
    private readonly string _scope = boundScope;
    private readonly Dictionary<(string Type, string Original), string> _byOriginal = [];
    private readonly Dictionary<string, string> _byPseudonym = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perType = new(StringComparer.Ordinal);
    private readonly List<PseudonymMapping> _added = [];
    private List<string>? _ordered;
    private bool _loaded = isNew;

    /// <summary>The scope this batch holds.</summary>
    public string Scope => _scope;

    /// <summary>Mappings handed out but not stored yet.</summary>
    public int Pending => _added.Count;

    public string GetOrAdd(string scope, string type, string original, Func<int, string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (scope != _scope)
        {
            return store.GetOrAdd(scope, type, original, create);
        }
        EnsureLoaded();
        if (_byOriginal.TryGetValue((type, original), out var known))
        {
            return known;
        }
        var n = _perType.GetValueOrDefault(type);
        string pseudonym;
        do
        {
            pseudonym = create(++n);
        }
        while (_byPseudonym.ContainsKey(pseudonym));
        _perType[type] = n;
        var mapping = new PseudonymMapping(type, original, pseudonym);
        Remember(mapping);
        _added.Add(mapping);
        return pseudonym;
    }

    public bool TryResolve(string scope, string pseudonym, out string original)
    {
        if (scope != _scope)
        {
            return store.TryResolve(scope, pseudonym, out original);
        }
        EnsureLoaded();
        return _byPseudonym.TryGetValue(pseudonym, out original!);
    }

    public IReadOnlyList<string> Pseudonyms(string scope)
    {
        if (scope != _scope)
        {
            return store.Pseudonyms(scope);
        }
        EnsureLoaded();
        return _ordered ??= [.. _byPseudonym.Keys.OrderByDescending(p => p.Length)];
    }

    public void Drop(string scope)
    {
        store.Drop(scope);
        if (scope == _scope)
        {
            _byOriginal.Clear();
            _byPseudonym.Clear();
            _perType.Clear();
            _added.Clear();
            _ordered = null;
            _loaded = false;
        }
    }

    /// <summary>Stores the mappings handed out since the last save, in one write.</summary>
    public void Save()
    {
        if (_added.Count == 0)
        {
            return;
        }
        store.Store(_scope, _added);
        _added.Clear();
    }

    private void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }
        foreach (var m in store.Load(_scope))
        {
            Remember(m);
            // New numbers start after the count a type has; one still taken is skipped (GetOrAdd).
            _perType[m.Type] = _perType.GetValueOrDefault(m.Type) + 1;
        }
        _loaded = true;
    }

    private void Remember(PseudonymMapping m)
    {
        _byOriginal[(m.Type, m.Original)] = m.Pseudonym;
        _byPseudonym[m.Pseudonym] = m.Original;
        _ordered = null;
    }
}
