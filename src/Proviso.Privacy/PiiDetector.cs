using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Proviso.Privacy.Recognizers;

namespace Proviso.Privacy;

/// <summary>A recognizer declared in configuration: a regular expression, an optional validator and context words.</summary>
public sealed record CustomRecognizer
{
    /// <summary>Entity type to report, e.g. <c>EMPLOYEE_ID</c>.</summary>
    public required string Type { get; init; }

    /// <summary>.NET regular expression; the whole match (or the group named <c>value</c>) is the span.</summary>
    public required string Pattern { get; init; }

    /// <summary>Score of a match before context.</summary>
    public double Score { get; init; } = 0.6;

    /// <summary>Optional check: <c>luhn</c>, <c>mod97</c>, <c>verhoeff</c>, <c>mod11</c>.</summary>
    public string? Validator { get; init; }

    /// <summary>Words that raise the score when near the match.</summary>
    public IReadOnlyList<string> Context { get; init; } = [];
}

/// <summary>How detection is tuned.</summary>
public sealed record DetectorOptions
{
    /// <summary>Only these types (null: all built-in and custom types).</summary>
    public IReadOnlySet<string>? Entities { get; init; }

    /// <summary>Minimum score to report, for every type without its own threshold.</summary>
    public double DefaultThreshold { get; init; } = 0.5;

    /// <summary>Per-type minimum scores.</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>How much a context word nearby adds to a score.</summary>
    public double ContextBoost { get; init; } = 0.35;

    /// <summary>Values never reported (case-insensitive), e.g. the organization's own support address.</summary>
    public IReadOnlySet<string> AllowList { get; init; } = new HashSet<string>();

    /// <summary>Values always reported, with the type to report them as.</summary>
    public IReadOnlyDictionary<string, string> DenyList { get; init; } = new Dictionary<string, string>();

    /// <summary>Recognizers declared in configuration.</summary>
    public IReadOnlyList<CustomRecognizer> Custom { get; init; } = [];

    /// <summary>Region for national phone numbers without a country code (ISO 3166 alpha-2).</summary>
    /// <summary>
    /// A value found once is also found wherever else it appears as a whole word — in the same text, and across a document's
    /// fields or a request's messages — even where nothing around it gives it away (on by default; ~3% of detection time on name-heavy prose).
    /// </summary>
    public bool RepeatValues { get; init; } = true;

    public string DefaultRegion { get; init; } = "US";
}

/// <summary>
/// Finds personal data and secrets in text. Thread-safe; build one per configuration and reuse it.
/// Findings never overlap: where candidates compete, the higher score (then the longer span) wins.
/// </summary>
public sealed partial class PiiDetector
{
    private readonly DetectorOptions _options;
    private readonly List<(CustomRecognizer Spec, Regex Regex, ContextList? Context)> _custom;
    private readonly HashSet<string> _allow;
    private readonly Func<string, bool> _enabled;

    /// <summary>Creates a detector; throws <see cref="ArgumentException"/> for an invalid custom pattern.</summary>
    public PiiDetector(DetectorOptions? options = null)
    {
        _options = options ?? new DetectorOptions();
        _allow = new HashSet<string>(_options.AllowList, StringComparer.OrdinalIgnoreCase);
        var only = _options.Entities;
        _enabled = only is null ? _ => true : only.Contains;
        _custom = [];
        foreach (var c in _options.Custom)
        {
            try
            {
                _custom.Add((c, new Regex(c.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250)),
                    c.Context.Count > 0 ? new ContextList([.. c.Context]) : null));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Custom recognizer {c.Type}: invalid pattern: {ex.Message}", nameof(options), ex);
            }
        }
        _rules = Entities.All.Concat(_custom.Select(c => c.Spec.Type)).Concat(_options.DenyList.Values).Concat(_options.Thresholds.Keys)
            .Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(t => t, MakeRule, StringComparer.Ordinal);
        _rulesByInstance = new Dictionary<string, TypeRule>(_rules, ReferenceEqualityComparer.Instance);
        _denyList = [.. _options.DenyList];
    }

    // An array: walking the options' dictionary through its interface allocated an enumerator on every call, even when empty.
    private readonly KeyValuePair<string, string>[] _denyList;

    /// <summary>What scoring needs about a type (threshold, whether enabled, context words), found with one lookup per candidate.</summary>
    private sealed record TypeRule(double Threshold, bool Enabled, ContextList? Positive, ContextList? Negative);

    private readonly FrozenDictionary<string, TypeRule> _rules;

    // Candidates carry the very string instances the rules were made for (the Entities constants, the configured names), so
    // most lookups are by reference: no hashing of the type name's characters, twice per candidate.
    private readonly Dictionary<string, TypeRule> _rulesByInstance;

    private TypeRule RuleFor(string type) =>
        _rulesByInstance.TryGetValue(type, out var rule) || _rules.TryGetValue(type, out rule) ? rule : MakeRule(type);

    private TypeRule MakeRule(string type) => new(
        _options.Thresholds.TryGetValue(type, out var t) ? t : _options.DefaultThreshold,
        _enabled(type),
        ContextWords.Positive.GetValueOrDefault(type),
        ContextWords.Negative.GetValueOrDefault(type));

    /// <summary>Whether values found once are looked for again elsewhere (<see cref="DetectorOptions.RepeatValues"/>).</summary>
    public bool RepeatValues => _options.RepeatValues;

    /// <summary>All built-in and custom types this detector can report.</summary>
    public IEnumerable<string> SupportedTypes => Entities.All.Concat(_custom.Select(c => c.Spec.Type)).Distinct();

    /// <summary>Detects entities in <paramref name="text"/>, ordered by position.</summary>
    /// <param name="text">The text to scan.</param>
    /// <param name="hint">Optional field name (JSON key, CSV header) that raises matching types, e.g. <c>email</c>.</param>
    public List<Finding> Detect(string text, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var results = new List<Finding>();
        if (text.Length == 0)
        {
            return results;
        }
        // Scratch lists are kept per thread: a detector is called once per line or cell, millions of times.
        var candidates = t_candidates ??= new List<Candidate>(64);
        candidates.Clear();
        var repeatable = t_repeatable ??= new List<int>(16);
        repeatable.Clear();
        TextScanner.Scan(text, _enabled, candidates, _options.DefaultRegion);
        AddCustom(text, candidates);
        AddDenyList(text, candidates);
        var hinted = FieldHints.TypesFor(hint);
        if (hinted is not null && hinted.Contains(Entities.Secret) && _enabled(Entities.Secret))
        {
            AddFieldSecret(text, candidates);
        }

        for (var k = 0; k < candidates.Count; k++)
        {
            var c = candidates[k];
            var rule = RuleFor(c.Type);
            var score = c.Score;
            // A birth date's context comes right before it ("born on", "DOB:"); other types look both ways.
            var (before, after) = c.Type == Entities.DateOfBirth ? (28, 2) : (48, 24);
            if (rule.Positive is { } words && ContextWords.Near(text, c.Start, c.End, words, before, after))
            {
                score += _options.ContextBoost;
            }
            if (rule.Negative is { } negative && ContextWords.Near(text, c.Start, c.End, negative, 24, 8))
            {
                score -= 0.3;
            }
            if (hinted is not null && hinted.Contains(c.Type))
            {
                score += 0.4;
            }
            c.Cued = c.Score < rule.Threshold && score >= rule.Threshold;
            c.Score = Math.Clamp(score, 0, 1);
            c.Passes = c.Score >= rule.Threshold && rule.Enabled;
            candidates[k] = c;
        }

        Ordering.SortByStrength(candidates);
        // Which characters findings already cover, one bit each: overlap checks cost the candidate's length, not the
        // number of findings so far (a list made a 4 MB text quadratic). Kept per thread for texts up to 16K characters (not
        // on the stack: a stackalloc kept this method from profile-guided re-optimization), rented for longer ones; only
        // the words the text needs are cleared (a fixed 2 KB clear per call cost ~1% on short lines).
        var coverageWords = (text.Length + 63) >> 6;
        ulong[]? rented = null;
        var bits = coverageWords <= CoverageWords ? t_covered ??= new ulong[CoverageWords] : rented = System.Buffers.ArrayPool<ulong>.Shared.Rent(coverageWords);
        var covered = bits.AsSpan(0, coverageWords);
        covered.Clear();
        try
        {
            foreach (var c in candidates)
            {
                if (!c.Passes)
                {
                    continue;
                }
                if (_allow.Count > 0 && _allow.Contains(text[c.Start..c.End]))
                {
                    continue;
                }
                if (!Coverage.Any(covered, c.Start, c.End))
                {
                    Coverage.Set(covered, c.Start, c.End);
                    if (c.Type == Entities.Person ? Repeats.IsStrongName(c.Score, c.Rule) : c.Cued || c.Type == Entities.Secret)
                    {
                        // Names found by more than a lexicon hit (cues, titles, full names), secrets (often found by the word
                        // before them) and whatever only context revealed may appear again where nothing gives them away; the
                        // rest is found wherever it appears.
                        repeatable.Add(results.Count);
                    }
                    results.Add(new Finding(c.Type, c.Start, c.End, Math.Round(c.Score, 2), c.Rule));
                }
                else if (c.Type is Entities.StreetAddress or Entities.Person)
                {
                    // An address or name that lost part of itself to a stronger finding ("…1111 742 Evergreen Terrace" after a card)
                    // keeps what is left, so no detected text goes out unmasked.
                    AddRemainders(text, c, covered, results);
                }
            }
            if (repeatable.Count > 0 && _options.RepeatValues)
            {
                // A value found once is masked wherever else it appears in the text, even where nothing around it says so
                // ("my kid Mali … Mali said").
                Repeats.Add(text, results, repeatable, covered);
            }
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<ulong>.Shared.Return(rented);
            }
        }
        Ordering.SortByStart(results);
        if (candidates.Capacity > 4096)
        {
            // One huge input must not pin a huge buffer to the thread for ever.
            t_candidates = null;
        }
        TextScanner.TrimCapitalStarts();
        return results;
    }

    private const int CoverageWords = 256;

    [ThreadStatic]
    private static ulong[]? t_covered;

    /// <summary>
    /// The value of a field named like a secret (<c>"password"</c>, <c>"api_key"</c>, <c>"token"</c>) is one when it is a single
    /// token that is no plain word: <c>{"password":"hunter22"}</c> holds no keyword or prefix the scanner could see.
    /// </summary>
    private static void AddFieldSecret(string text, List<Candidate> candidates)
    {
        var value = text.AsSpan().Trim();
        if (value.Length is < 6 or > 512 || value.ContainsAny(Whitespace))
        {
            return;
        }
        var plainWord = true;
        foreach (var ch in value)
        {
            plainWord &= char.IsLetter(ch);
        }
        if (!plainWord || value.Length >= 12)
        {
            var start = text.Length - text.AsSpan().TrimStart().Length;
            candidates.Add(new Candidate(Entities.Secret, start, start + value.Length, 0.6, "secret/field-value"));
        }
    }

    private static readonly System.Buffers.SearchValues<char> Whitespace = System.Buffers.SearchValues.Create(" \t\r\n\u00a0");

    private static void AddRemainders(string text, Candidate c, Span<ulong> covered, List<Finding> results)
    {
        var pos = c.Start;
        while (pos < c.End)
        {
            // The next stretch of the candidate that no finding covers.
            while (pos < c.End && Coverage.Has(covered, pos))
            {
                pos++;
            }
            var next = pos;
            while (next < c.End && !Coverage.Has(covered, next))
            {
                next++;
            }
            var (s, e) = (pos, next);
            while (s < e && !char.IsLetterOrDigit(text[s]))
            {
                s++;
            }
            while (e > s && !char.IsLetterOrDigit(text[e - 1]))
            {
                e--;
            }
            if (e - s >= 3)
            {
                Coverage.Set(covered, s, e);
                results.Add(new Finding(c.Type, s, e, Math.Round(c.Score, 2), c.Rule + "/remainder"));
            }
            pos = next;
        }
    }

    /// <summary>Character coverage as a bit set.</summary>
    internal static class Coverage
    {
        public static bool Has(ReadOnlySpan<ulong> bits, int i) => (bits[i >> 6] & (1UL << (i & 63))) != 0;

        public static bool Any(ReadOnlySpan<ulong> bits, int start, int end)
        {
            for (var i = start; i < end;)
            {
                var bit = i & 63;
                var take = Math.Min(64 - bit, end - i);
                if ((bits[i >> 6] & Mask(bit, take)) != 0)
                {
                    return true;
                }
                i += take;
            }
            return false;
        }

        public static void Set(Span<ulong> bits, int start, int end)
        {
            for (var i = start; i < end;)
            {
                var bit = i & 63;
                var take = Math.Min(64 - bit, end - i);
                bits[i >> 6] |= Mask(bit, take);
                i += take;
            }
        }

        private static ulong Mask(int bit, int take) => (take == 64 ? ulong.MaxValue : (1UL << take) - 1) << bit;
    }

    private static Task? s_warmUp;

    /// <summary>
    /// Prepares what a process's first detection would otherwise wait for — the word lists, libphonenumber's
    /// metadata and the compiled scanners (~150 ms in all on one core) — in parallel on the thread pool. Call it
    /// early (the CLI before it opens its input, the host at start) and the first text is not slower than the rest.
    /// Idempotent; detection works without it.
    /// </summary>
    public static Task WarmUpAsync() => s_warmUp ??= Task.WhenAll(
        Task.Run(TextScanner.WarmPhones),
        Task.Run(Lexicon.WarmAll),
        Task.Run(() => new PiiDetector().Detect(
            "Dear Ms. Anna Berg, your card 4111 1111 1111 1111 and IBAN DE89 3704 0044 0532 0130 00 are on file; mail anna.berg@example.com, " +
            "ship to 742 Evergreen Terrace, Springfield, OR 97477 or Hauptstraße 5, 10115 Berlin. SSN 536-22-8726, IP 203.0.113.42, " +
            "https://portal.example.com/u/42, AKIAIOSFODNN7EXAMPLE.")));

    [ThreadStatic]
    private static List<Candidate>? t_candidates;

    [ThreadStatic]
    private static List<int>? t_repeatable;


    private void AddCustom(string text, List<Candidate> candidates)
    {
        foreach (var (spec, regex, context) in _custom)
        {
            if (!_enabled(spec.Type))
            {
                continue;
            }
            try
            {
                foreach (Match m in regex.Matches(text))
                {
                    var g = m.Groups["value"].Success ? m.Groups["value"] : (Group)m;
                    if (g.Length == 0 || !Validate(spec.Validator, g.ValueSpan))
                    {
                        continue;
                    }
                    var score = spec.Score + (context is not null && ContextWords.Near(text, g.Index, g.Index + g.Length, context) ? _options.ContextBoost : 0);
                    candidates.Add(new Candidate(spec.Type, g.Index, g.Index + g.Length, Math.Min(1, score), $"custom/{spec.Type.ToLowerInvariant()}"));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern on hostile input must not stall the pipeline; the built-ins still ran.
            }
        }
    }

    private static bool Validate(string? validator, ReadOnlySpan<char> value)
    {
        if (validator is null)
        {
            return true;
        }
        Span<char> buffer = stackalloc char[Math.Min(value.Length, 64)];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c) && n < buffer.Length)
            {
                buffer[n++] = char.ToUpperInvariant(c);
            }
        }
        var v = buffer[..n];
        return validator.ToLowerInvariant() switch
        {
            "luhn" => Checksums.Luhn(v),
            "mod97" => Checksums.IbanMod97(v),
            "verhoeff" => Checksums.Verhoeff(v),
            "mod11" => Checksums.NhsMod11(v),
            _ => throw new ArgumentException($"Unknown validator '{validator}'. Use luhn, mod97, verhoeff or mod11."),
        };
    }

    private void AddDenyList(string text, List<Candidate> candidates)
    {
        foreach (var (value, type) in _denyList)
        {
            var i = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
            while (i >= 0)
            {
                candidates.Add(new Candidate(type, i, i + value.Length, 1.0, "deny-list"));
                i = text.IndexOf(value, i + value.Length, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}

/// <summary>Field names that tell what a value holds ("email", "ssn", "dob").</summary>
internal static class FieldHints
{
    private static readonly (string[] Words, string[] Types)[] Map =
    [
        (["email", "e_mail", "mail"], [Entities.Email]),
        (["phone", "mobile", "tel", "fax", "cell"], [Entities.Phone]),
        (["ssn", "social_security", "socialsecurity"], [Entities.UsSsn]),
        (["dob", "birth", "birthday", "born"], [Entities.DateOfBirth]),
        (["name", "firstname", "first_name", "lastname", "last_name", "surname", "fullname", "full_name", "given", "contact", "customer", "patient", "employee"], [Entities.Person]),
        (["address", "street", "addr", "line1", "line2"], [Entities.StreetAddress]),
        (["card", "cc", "pan", "creditcard", "credit_card"], [Entities.CreditCard]),
        (["iban", "account", "acct", "bank"], [Entities.Iban, Entities.UsBankNumber]),
        (["routing", "aba"], [Entities.AbaRouting]),
        (["passport"], [Entities.UsPassport]),
        (["license", "licence", "dl"], [Entities.UsDriverLicense]),
        (["mrn", "medical_record", "patient_id"], [Entities.MedicalRecordNumber]),
        (["ip", "ip_address", "ipaddress", "host"], [Entities.IpAddress]),
        (["password", "secret", "token", "apikey", "api_key", "key", "credential"], [Entities.Secret]),
        (["nhs"], [Entities.UkNhs]),
        (["bsn"], [Entities.NlBsn]),
        (["aadhaar", "aadhar"], [Entities.InAadhaar]),
        (["tfn"], [Entities.AuTfn]),
        (["nino", "national_insurance"], [Entities.UkNino]),
    ];

    // Field names repeat (every message's "content", every row's column): each is matched once. Bounded,
    // because JSON keys can be data too (a map keyed by ids would otherwise grow it without end).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>?> Cache = new(StringComparer.Ordinal);
    private const int MaxCached = 4096;

    public static HashSet<string>? TypesFor(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return null;
        }
        if (Cache.TryGetValue(field, out var cached))
        {
            return cached;
        }
        var types = Match(field);
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(field, types);
        }
        return types;
    }

    private static HashSet<string>? Match(string field)
    {
        var f = field.ToLowerInvariant().Replace("-", "_", StringComparison.Ordinal);
        HashSet<string>? types = null;
        foreach (var (words, ts) in Map)
        {
            foreach (var w in words)
            {
                if (f == w || f.StartsWith(w + "_", StringComparison.Ordinal) || f.EndsWith("_" + w, StringComparison.Ordinal) || (w.Length >= 4 && f.Contains(w, StringComparison.Ordinal)))
                {
                    (types ??= []).UnionWith(ts);
                    break;
                }
            }
        }
        return types;
    }
}
