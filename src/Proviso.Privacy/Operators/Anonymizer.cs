using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Proviso.Privacy.Operators;

/// <summary>What to do with a detected value.</summary>
public enum OperatorKind
{
    /// <summary>Replace with <c>&lt;TYPE&gt;</c> (the default).</summary>
    Replace,

    /// <summary>Remove the value.</summary>
    Redact,

    /// <summary>Mask all but the last N characters.</summary>
    Mask,

    /// <summary>Keyed hash (HMAC-SHA256): the same value always gives the same hash under one key.</summary>
    Hash,

    /// <summary>AES-GCM encryption; reversible with the key.</summary>
    Encrypt,

    /// <summary>A realistic fake of the same format (check digits valid), consistent within a scope, reversible through the vault.</summary>
    Surrogate,

    /// <summary>A numbered token <c>&lt;TYPE_n&gt;</c>, reversible through the vault.</summary>
    Token,
}

/// <summary>Operator settings.</summary>
public sealed record OperatorConfig
{
    /// <summary>The operator.</summary>
    public OperatorKind Kind { get; init; } = OperatorKind.Replace;

    /// <summary>For <see cref="OperatorKind.Mask"/>: characters left visible at the end.</summary>
    public int KeepLast { get; init; } = 4;

    /// <summary>For <see cref="OperatorKind.Mask"/>: the masking character.</summary>
    public char MaskChar { get; init; } = '*';

    /// <summary>Parses an operator name as the CLI spells it.</summary>
    public static OperatorKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "replace" => OperatorKind.Replace,
        "redact" => OperatorKind.Redact,
        "mask" => OperatorKind.Mask,
        "hash" => OperatorKind.Hash,
        "encrypt" => OperatorKind.Encrypt,
        "surrogate" => OperatorKind.Surrogate,
        "token" => OperatorKind.Token,
        _ => throw new ArgumentException($"Unknown operator '{name}'. Use replace, redact, mask, hash, encrypt, surrogate or token."),
    };
}

/// <summary>One replacement made in a text.</summary>
/// <param name="Type">Entity type.</param>
/// <param name="Start">Start of the replacement in the output text.</param>
/// <param name="End">End of the replacement in the output text.</param>
/// <param name="Operator">Operator applied.</param>
public readonly record struct Replacement(string Type, int Start, int End, OperatorKind Operator);

/// <summary>The anonymized text and what was replaced.</summary>
public sealed record AnonymizedText(string Text, IReadOnlyList<Replacement> Replacements);

/// <summary>Keys for the keyed operators.</summary>
public sealed record AnonymizerKeys(byte[] HashKey, byte[] EncryptionKey)
{
    /// <summary>Random keys, for one process.</summary>
    public static AnonymizerKeys Random() => new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// Applies operators to findings. Replacements are made right to left so offsets stay valid, and
/// the findings a detector returns never overlap.
/// </summary>
public sealed class Anonymizer
{
    private readonly Surrogates _surrogates;
    private readonly KeyedCrypto _hash;
    private readonly KeyedCrypto _cipher;
    private readonly IPseudonymVault? _vault;

    /// <summary>An anonymizer with the given keys; <paramref name="vault"/> is needed by the token and surrogate operators.</summary>
    public Anonymizer(AnonymizerKeys keys, IPseudonymVault? vault = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _surrogates = new Surrogates(keys.HashKey);
        _hash = new KeyedCrypto(keys.HashKey);
        _cipher = new KeyedCrypto(keys.EncryptionKey);
        _vault = vault;
    }

    private Anonymizer(Anonymizer keysFrom, IPseudonymVault vault)
    {
        _surrogates = keysFrom._surrogates;
        _hash = keysFrom._hash;
        _cipher = keysFrom._cipher;
        _vault = vault;
    }

    /// <summary>The same keys over another vault — e.g. a <see cref="PseudonymBatch"/> for one request. Costs nothing to make.</summary>
    public Anonymizer With(IPseudonymVault vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return new Anonymizer(this, vault);
    }

    /// <summary>Replaces every finding using the operator configured for its type (or <paramref name="fallback"/>).</summary>
    public AnonymizedText Anonymize(string text, IReadOnlyList<Finding> findings, OperatorConfig fallback,
        IReadOnlyDictionary<string, OperatorConfig>? perType = null, string scope = "default")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(fallback);
        // Detectors return findings in order (and as a List: walked as a span, not through the interface); sort only a list that is not.
        ReadOnlySpan<Finding> ordered = findings is List<Finding> list ? CollectionsMarshal.AsSpan(list) : [.. findings];
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Start < ordered[i - 1].Start)
            {
                ordered = findings.OrderBy(f => f.Start).ToArray();
                break;
            }
        }
        if (ordered.IsEmpty)
        {
            return new AnonymizedText(text, []); // nothing to replace: the text itself, no copy
        }
        var end = 0;
        foreach (ref readonly var f in ordered)
        {
            if (f.Start < end || f.End > text.Length || f.End < f.Start)
            {
                throw new ArgumentException("Findings overlap or fall outside the text.", nameof(findings));
            }
            end = f.End;
        }
        var sb = RentBuilder(text.Length + 16);
        var replacements = new List<Replacement>(ordered.Length);
        var last = 0;
        foreach (ref readonly var f in ordered)
        {
            sb.Append(text, last, f.Start - last);
            var op = perType is not null && perType.TryGetValue(f.Type, out var specific) ? specific : fallback;
            var start = sb.Length;
            if (op.Kind == OperatorKind.Replace)
            {
                // The common case writes "<TYPE>" straight into the output: no value string, no replacement string.
                sb.Append('<').Append(f.Type).Append('>');
            }
            else if (op.Kind != OperatorKind.Redact)
            {
                sb.Append(Apply(op, f.Type, text.Substring(f.Start, f.End - f.Start), scope));
            }
            replacements.Add(new Replacement(f.Type, start, sb.Length, op.Kind));
            last = f.End;
        }
        sb.Append(text, last, text.Length - last);
        var masked = sb.ToString();
        ReturnBuilder(sb);
        return new AnonymizedText(masked, replacements);
    }

    // One builder per thread for texts up to 32K characters: a new one per call allocated and zeroed a buffer the size of the
    // text only to copy it out again (a line or a block at a time, millions of calls).
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private const int CachedBuilderLimit = 32 * 1024;

    private static StringBuilder RentBuilder(int capacity)
    {
        if (capacity <= CachedBuilderLimit && t_builder is { } cached)
        {
            t_builder = null;
            cached.Clear();
            return cached;
        }
        return new StringBuilder(capacity);
    }

    private static void ReturnBuilder(StringBuilder sb)
    {
        if (sb.Capacity <= CachedBuilderLimit + 1024)
        {
            t_builder = sb;
        }
    }

    // "<TYPE_n>" makers, one per entity type (a closure per value was allocated on every token before).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<int, string>> TokenFormats = new(StringComparer.Ordinal);

    private static Func<int, string> TokenFormat(string type) =>
        TokenFormats.TryGetValue(type, out var format) ? format : TokenFormats.GetOrAdd(type, static t => n => $"<{t}_{n}>");

    /// <summary>The replacement for one value.</summary>
    public string Apply(OperatorConfig op, string type, string value, string scope = "default")
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Kind switch
        {
            OperatorKind.Replace => $"<{type}>",
            OperatorKind.Redact => "",
            OperatorKind.Mask => Mask(value, op),
            OperatorKind.Hash => Convert.ToHexStringLower(_hash.Mac(value)),
            OperatorKind.Encrypt => "enc:" + Encrypt(value),
            OperatorKind.Surrogate => Vault().GetOrAdd(scope, type, value, n => _surrogates.Create(type, value, scope, n)),
            OperatorKind.Token => Vault().GetOrAdd(scope, type, value, TokenFormat(type)),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    /// <summary>
    /// Restores tokens and surrogates of <paramref name="scope"/> in <paramref name="text"/> (e.g. an
    /// AI vendor's response). Unknown tokens are left as they are.
    /// </summary>
    public string Deanonymize(string text, string scope = "default")
    {
        ArgumentNullException.ThrowIfNull(text);
        var v = Vault();
        var pseudonyms = v.Pseudonyms(scope);
        if (pseudonyms.Count == 0 || text.Length == 0)
        {
            return text;
        }
        if ((long)text.Length * pseudonyms.Count <= 8192)
        {
            return DeanonymizeSmall(text, scope, v, pseudonyms);
        }
        // Jump between characters that can start a pseudonym, and at each try only the lengths pseudonyms starting
        // with that character have, longest first, as set lookups: linear in the text whatever the number of
        // pseudonyms (comparing every pseudonym at every position made a large answer over a large scope quadratic).
        // The index is kept while the vault hands out the same list (a call's answer: every string of it).
        var index = _index is { } cached && ReferenceEquals(cached.List, pseudonyms) ? cached : (_index = new PseudonymIndex(pseudonyms));
        var byFirst = index.ByFirst;
        var starts = index.Starts;
        var first = text.AsSpan().IndexOfAny(starts);
        if (first < 0)
        {
            return text;
        }
        var known = index.Known.GetAlternateLookup<ReadOnlySpan<char>>();
        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, first);
        var i = first;
        while (i < text.Length)
        {
            var rel = text.AsSpan(i).IndexOfAny(starts);
            if (rel < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            sb.Append(text, i, rel);
            i += rel;
            string? hit = null;
            foreach (var length in byFirst[text[i]])
            {
                if (i + length <= text.Length && known.TryGetValue(text.AsSpan(i, length), out var candidate))
                {
                    hit = candidate;
                    break;
                }
            }
            if (hit is not null && v.TryResolve(scope, hit, out var original))
            {
                sb.Append(original);
                i += hit.Length;
            }
            else
            {
                sb.Append(text[i]);
                i++;
            }
        }
        return sb.ToString();
    }

    private PseudonymIndex? _index;

    /// <summary>What the search over a large text needs from one list of pseudonyms; read-only once made (shared by threads).</summary>
    private sealed class PseudonymIndex
    {
        public PseudonymIndex(IReadOnlyList<string> pseudonyms)
        {
            List = pseudonyms;
            foreach (var p in pseudonyms)
            {
                if (p.Length == 0)
                {
                    continue;
                }
                if (!ByFirst.TryGetValue(p[0], out var lengths))
                {
                    ByFirst[p[0]] = lengths = [];
                }
                if (!lengths.Contains(p.Length))
                {
                    lengths.Add(p.Length);
                }
            }
            foreach (var lengths in ByFirst.Values)
            {
                lengths.Sort((a, b) => b.CompareTo(a));
            }
            Starts = System.Buffers.SearchValues.Create([.. ByFirst.Keys]);
            Known = new HashSet<string>(pseudonyms, StringComparer.Ordinal);
        }

        public IReadOnlyList<string> List { get; }

        public Dictionary<char, List<int>> ByFirst { get; } = [];

        public System.Buffers.SearchValues<char> Starts { get; }

        public HashSet<string> Known { get; }
    }

    /// <summary>A short text or a small scope (a streamed delta, one JSON string): every pseudonym at every position, no set-up.</summary>
    private static string DeanonymizeSmall(string text, string scope, IPseudonymVault v, IReadOnlyList<string> pseudonyms)
    {
        StringBuilder? sb = null;
        var i = 0;
        var copied = 0;
        while (i < text.Length)
        {
            string? hit = null;
            foreach (var p in pseudonyms)
            {
                if (p.Length > 0 && p[0] == text[i] && string.CompareOrdinal(text, i, p, 0, p.Length) == 0)
                {
                    hit = p;
                    break;
                }
            }
            if (hit is not null && v.TryResolve(scope, hit, out var original))
            {
                sb ??= new StringBuilder(text.Length + 16);
                sb.Append(text, copied, i - copied).Append(original);
                i += hit.Length;
                copied = i;
            }
            else
            {
                i++;
            }
        }
        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Decrypts a value produced by the encrypt operator.</summary>
    public string Decrypt(string encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        return _cipher.Open(Convert.FromBase64String(encrypted.StartsWith("enc:", StringComparison.Ordinal) ? encrypted[4..] : encrypted));
    }

    private string Encrypt(string value) => Convert.ToBase64String(_cipher.Seal(value));

    private static string Mask(string value, OperatorConfig op)
    {
        var keep = Math.Clamp(op.KeepLast, 0, value.Length);
        var chars = value.ToCharArray();
        for (var k = 0; k < chars.Length - keep; k++)
        {
            // Separators stay so the shape is still recognizable ("****-****-****-1111").
            if (char.IsLetterOrDigit(chars[k]))
            {
                chars[k] = op.MaskChar;
            }
        }
        return new string(chars);
    }

    private IPseudonymVault Vault() => _vault ?? throw new InvalidOperationException("The surrogate and token operators need a vault.");
}
