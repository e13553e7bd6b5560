using System.Globalization;
using System.Text.RegularExpressions;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Analysis;

/// <summary>Whether a clause protects the customer.</summary>
public enum ClauseStatus
{
    Present,
    Weak,
    Contrary,
    Missing,
}

/// <summary>The lower-case names of <see cref="ClauseStatus"/> used in JSON, reports, the API and the ledger.</summary>
public static class ClauseStatuses
{
    public static string Key(this ClauseStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Reads "present", "weak", "contrary" or "missing" (any case); numbers and other names are refused.</summary>
    public static bool TryParse(string? text, out ClauseStatus status)
    {
        status = default;
        return text is not null && !int.TryParse(text, out _) && Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status);
    }
}

/// <summary>The analysis of one clause kind: status, parameters, the quote that decided it and where it is.</summary>
public sealed record ClauseFinding(ClauseStatus Status, IReadOnlyDictionary<string, object?> Params, string Evidence, Location? Location, string? Reason = null);

/// <summary>All 16 kinds for one document.</summary>
public sealed record ContractAnalysis(string File, IReadOnlyDictionary<string, ClauseFinding> Clauses, double Score)
{
    /// <summary>Set when the document does not read like a contract, so a score of 0 is not mistaken for a bad contract.</summary>
    public string? Warning { get; init; }
}

/// <summary>
/// Rule-based clause analysis. Each kind looks for sentences about its subject, then reads polarity
/// (obligation, prohibition, permission), carve-outs and parameters from them. Defined terms
/// ("Specified Notice Period" means 48 hours) are resolved from the same document. Nothing is
/// keyed to a particular contract's wording: rules use the vocabulary of the subject.
/// </summary>
public sealed partial class ClauseAnalyzer(ClausePlaybook playbook)
{
    public ContractAnalysis Analyze(ContractDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var ctx = new Context(doc, DefinedDurations(doc.Text));
        var clauses = new Dictionary<string, ClauseFinding>(StringComparer.Ordinal)
        {
            ["non-training"] = NonTraining(ctx),
            ["data-ownership"] = DataOwnership(ctx),
            ["output-confidentiality"] = OutputConfidentiality(ctx),
            ["data-residency"] = DataResidency(ctx),
            ["audit-rights"] = AuditRights(ctx),
            ["adaptive-compliance"] = AdaptiveCompliance(ctx),
            ["security-certifications"] = SecurityCertifications(ctx),
            ["data-flow-transparency"] = DataFlowTransparency(ctx),
            ["subprocessor-changes"] = SubprocessorChanges(ctx),
            ["breach-notification"] = BreachNotification(ctx),
            ["deletion-on-termination"] = Deletion(ctx),
            ["bias-explainability"] = BiasExplainability(ctx),
            ["encryption"] = Encryption(ctx),
            ["access-control"] = AccessControl(ctx),
            ["sla"] = Sla(ctx),
            ["regulatory-compliance"] = RegulatoryCompliance(ctx),
        };
        return new ContractAnalysis(doc.FileName, clauses, Score(clauses, playbook))
        {
            Warning = LooksLikeContract(doc, clauses) ? null
                : "this does not look like a contract: no clause of the playbook was found and there is little contract language (parties, obligations, terms)",
        };
    }

    /// <summary>The contract score, 0-100: present counts fully, weak half, weighted by the playbook.</summary>
    public static double Score(IReadOnlyDictionary<string, ClauseFinding> clauses, ClausePlaybook playbook)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        ArgumentNullException.ThrowIfNull(playbook);
        double total = 0, earned = 0;
        foreach (var (kind, f) in clauses)
        {
            var w = playbook.Weight(kind);
            total += w;
            earned += w * f.Status switch { ClauseStatus.Present => 1, ClauseStatus.Weak => 0.5, _ => 0 };
        }
        return Math.Round(total == 0 ? 0 : 100 * earned / total, 1);
    }

    /// <summary>
    /// Contract language per thousand words: obligation verbs, parties and agreement vocabulary. A
    /// document with none of the playbook's clauses and little of this language is not a contract.
    /// </summary>
    private static bool LooksLikeContract(ContractDocument doc, Dictionary<string, ClauseFinding> clauses)
    {
        if (clauses.Values.Any(c => c.Status != ClauseStatus.Missing))
        {
            return true;
        }
        var words = Math.Max(1, WordPattern().Count(doc.Text));
        var signals = ContractVocabulary().Count(doc.Text);
        return signals * 1000.0 / words >= 8;
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\b(?:shall|agreement|party|parties|hereby|herein|terminat\w*|warrant\w*|indemnif\w*|liabilit\w*|licen[cs]\w*|obligations?|governing law|in witness|effective date|confidential\w*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ContractVocabulary();

    private sealed record Context(ContractDocument Doc, IReadOnlyDictionary<string, (int Value, string Unit)> Defined)
    {
        public IEnumerable<Sentence> Where(Regex pattern) => Doc.Sentences.Where(s => pattern.IsMatch(s.Text));
    }

    private static ClauseFinding Found(ClauseStatus status, Sentence s, Dictionary<string, object?>? p = null, string? reason = null) =>
        new(status, p ?? [], s.Text, new Location(s.Page, s.Section?.Number, s.Start, s.End), reason);

    private static ClauseFinding Missing(Dictionary<string, object?>? p = null) => new(ClauseStatus.Missing, p ?? [], "", null);

    private static bool IsDefinition(Sentence s) => DefinitionLine().IsMatch(s.Text);

    // ---------------------------------------------------------------- kinds

    private static ClauseFinding NonTraining(Context c)
    {
        var about = c.Where(TrainingWords()).Where(s => CustomerData().IsMatch(s.Text) && !IsDefinition(s)).ToList();
        var prohibited = about.FirstOrDefault(s => Prohibition().IsMatch(s.Text));
        var permitted = about.FirstOrDefault(s => Permission().IsMatch(s.Text) && !Prohibition().IsMatch(s.Text));
        if (prohibited is not null)
        {
            return Found(ClauseStatus.Present, prohibited);
        }
        return permitted is not null ? Found(ClauseStatus.Contrary, permitted, reason: "The vendor may use customer data to train models.") : Missing();
    }

    private static ClauseFinding DataOwnership(Context c)
    {
        var s = c.Where(Ownership()).FirstOrDefault(x => !IsDefinition(x));
        if (s is null)
        {
            return Missing();
        }
        var outputs = Outputs().IsMatch(s.Text);
        var limited = LimitedBy().IsMatch(s.Text);
        return Found(outputs && !limited ? ClauseStatus.Present : ClauseStatus.Weak, s, new() { ["covers_outputs"] = outputs },
            outputs ? null : "Ownership of inputs or content only; outputs are not covered.");
    }

    private static ClauseFinding OutputConfidentiality(Context c)
    {
        var s = c.Where(ConfidentialInformation()).FirstOrDefault(x => Outputs().IsMatch(x.Text) && !IsDefinition(x));
        return s is null ? Missing() : Found(ClauseStatus.Present, s);
    }

    private ClauseFinding DataResidency(Context c)
    {
        var anywhere = c.Where(TransferAnywhere()).FirstOrDefault(s => !Prohibition().IsMatch(s.Text));
        if (anywhere is not null)
        {
            return Found(ClauseStatus.Contrary, anywhere, new() { ["regions"] = new List<string>() }, "Transfers are allowed outside any named region.");
        }
        var only = c.Where(StoredOnlyIn()).FirstOrDefault();
        if (only is null)
        {
            return Missing();
        }
        var regions = Regions().Matches(only.Text).Select(m => m.Value).Distinct().ToList();
        var allowed = playbook.List("data-residency", "allowed_regions");
        var ok = regions.Count > 0 && regions.All(r => allowed.Contains(r, StringComparer.OrdinalIgnoreCase));
        return Found(ok ? ClauseStatus.Present : ClauseStatus.Weak, only, new() { ["regions"] = regions });
    }

    private ClauseFinding AuditRights(Context c)
    {
        var all = c.Doc.Sentences;
        var audits = new List<Sentence>();
        for (var i = 0; i < all.Count; i++)
        {
            if (AuditWord().IsMatch(all[i].Text) && !IsDefinition(all[i]))
            {
                audits.Add(all[i]);
                // A limit is often set in the next sentence, pointing back ("Such requests may only be made once a year").
                if (i + 1 < all.Count && PointsBack().IsMatch(all[i + 1].Text) && all[i + 1].Section?.Number == all[i].Section?.Number)
                {
                    audits.Add(all[++i]);
                }
            }
        }
        if (audits.Count == 0)
        {
            return Missing();
        }
        var text = string.Join(' ', audits.Select(a => a.Text));
        // Customer's own audit (not only the vendor's reports) counts as the right to audit on site.
        var onSite = OnSite().IsMatch(text) || (CustomerAudits().IsMatch(text) && !ReportsOnly().IsMatch(text));
        int? perYear = OncePerYear().IsMatch(text) ? 1 : null;
        var p = new Dictionary<string, object?> { ["on_site"] = onSite };
        if (perYear is not null)
        {
            p["per_year"] = perYear;
        }
        var evidence = audits.FirstOrDefault(a => OncePerYear().IsMatch(a.Text)) ?? audits.FirstOrDefault(a => OnSite().IsMatch(a.Text)) ?? audits[0];
        var strong = onSite || !playbook.Flag("audit-rights", "require_on_site", true);
        return Found(strong && (perYear ?? 1) >= playbook.Number("audit-rights", "min_per_year", 1) ? ClauseStatus.Present : ClauseStatus.Weak, evidence, p,
            onSite ? null : "Audits only through the vendor's reports or certifications.");
    }

    private static ClauseFinding AdaptiveCompliance(Context c)
    {
        var s = c.Where(ChangeInLaw()).FirstOrDefault(x => !IsDefinition(x));
        if (s is null)
        {
            return Missing();
        }
        var terminate = TerminateWithoutPenalty().IsMatch(s.Text);
        var binding = Amendment().IsMatch(s.Text) || terminate;
        return Found(binding ? ClauseStatus.Present : ClauseStatus.Weak, s, new() { ["termination_without_penalty"] = terminate });
    }

    private static ClauseFinding SecurityCertifications(Context c)
    {
        var named = c.Doc.Sentences.FirstOrDefault(s => Certifications().IsMatch(s.Text) && !IsDefinition(s));
        if (named is not null)
        {
            var certs = Certifications().Matches(named.Text).Select(m => Regex.Replace(m.Value, @"\s+", " ")).Distinct().ToList();
            return Found(ClauseStatus.Present, named, new() { ["certifications"] = certs });
        }
        var ifAny = c.Where(CertificationPrograms()).FirstOrDefault();
        if (ifAny is not null && IfAny().IsMatch(ifAny.Text))
        {
            return Found(ClauseStatus.Weak, ifAny, new() { ["certifications"] = new List<string>() }, "Certifications only 'if any'.");
        }
        var audited = c.Where(ThirdPartyAudited()).FirstOrDefault();
        if (audited is not null)
        {
            return Found(ClauseStatus.Present, audited, new() { ["param_unresolved"] = true }, "The standards are named in a document outside this contract.");
        }
        return ifAny is not null ? Found(ClauseStatus.Weak, ifAny, new() { ["certifications"] = new List<string>() }) : Missing();
    }

    private static ClauseFinding DataFlowTransparency(Context c)
    {
        var s = c.Where(SubprocessorList()).FirstOrDefault(x => Locations().IsMatch(x.Text));
        return s is null ? Missing() : Found(ClauseStatus.Present, s);
    }

    private ClauseFinding SubprocessorChanges(Context c)
    {
        var about = c.Where(SubprocessorWord()).Where(s => !IsDefinition(s)).ToList();
        var notice = about.FirstOrDefault(s => NoticeDays().IsMatch(s.Text) && (NewOrChange().IsMatch(s.Text)));
        if (notice is null)
        {
            return about.FirstOrDefault(s => NewOrChange().IsMatch(s.Text) && Notify().IsMatch(s.Text)) is { } vague
                ? Found(ClauseStatus.Weak, vague, reason: "Notice of new subprocessors without a fixed period.")
                : Missing();
        }
        var m = NoticeDays().Match(notice.Text);
        var p = new Dictionary<string, object?> { ["notice_days"] = Number(m.Groups["n"].Value) };
        if (m.Groups["business"].Success)
        {
            p["business_days"] = true;
        }
        // The objection window may be stated without repeating "subprocessor" ("objects to the change within 30 days").
        var objection = about.Concat(c.Doc.Sentences.Where(s => s.Section == notice.Section || s.Section?.Number == notice.Section?.Number))
            .Select(s => ObjectionDays().Match(s.Text)).FirstOrDefault(x => x.Success)
            ?? c.Doc.Sentences.Select(s => ObjectionDays().Match(s.Text)).FirstOrDefault(x => x.Success);
        if (objection is not null)
        {
            p["objection_days"] = Number(objection.Groups["n"].Value);
        }
        var objectionSentences = about.Where(s => ObjectWord().IsMatch(s.Text))
            .Concat(c.Doc.Sentences.Where(s => ObjectionDays().IsMatch(s.Text))).Distinct().ToList();
        p["termination_right"] = objectionSentences.Any(s => TerminateWord().IsMatch(s.Text));
        var ok = objectionSentences.Count > 0 && (int)p["notice_days"]! >= playbook.Number("subprocessor-changes", "min_notice_days", 10);
        return Found(ok ? ClauseStatus.Present : ClauseStatus.Weak, notice, p);
    }

    private ClauseFinding BreachNotification(Context c)
    {
        var about = c.Where(BreachWord()).Where(s => Notify().IsMatch(s.Text) && !IsDefinition(s)).ToList();
        if (about.Count == 0)
        {
            return Missing();
        }
        foreach (var s in about)
        {
            int? hours = null;
            var h = Hours().Match(s.Text);
            if (h.Success)
            {
                hours = Number(h.Groups["n"].Value) * (h.Groups["unit"].Value.StartsWith("day", StringComparison.OrdinalIgnoreCase) ? 24 : 1);
            }
            else
            {
                foreach (var (term, value) in c.Defined)
                {
                    if (s.Text.Contains(term, StringComparison.Ordinal))
                    {
                        hours = value.Unit.StartsWith("day", StringComparison.OrdinalIgnoreCase) ? value.Value * 24 : value.Value;
                    }
                }
            }
            if (hours is { } n)
            {
                var ok = n <= playbook.Number("breach-notification", "max_hours", 72);
                return Found(ok ? ClauseStatus.Present : ClauseStatus.Weak, s, new() { ["hours"] = n });
            }
        }
        var vague = about[0];
        return Found(ClauseStatus.Weak, vague, new() { ["hours"] = null }, "Notice 'without undue delay' with no fixed deadline.");
    }

    private ClauseFinding Deletion(Context c)
    {
        var about = c.Where(DeleteWord()).Where(s => CustomerData().IsMatch(s.Text) && !IsDefinition(s)).ToList();
        if (about.Count == 0)
        {
            return Missing();
        }
        var main = about.FirstOrDefault(s => EndOfContract().IsMatch(s.Text)) ?? about[0];
        var all = string.Join(' ', about.Select(s => s.Text));
        var carveOut = c.Doc.Sentences.FirstOrDefault(s => RetainBackups().IsMatch(s.Text));
        var days = WithinDays().Match(all);
        var p = new Dictionary<string, object?>
        {
            ["certification"] = Certify().IsMatch(all) || c.Doc.Sentences.Any(s => Certify().IsMatch(s.Text) && DeleteWord().IsMatch(s.Text)),
            ["covers_backups"] = BackupsCovered().IsMatch(all) && carveOut is null,
            ["covers_models"] = ModelsCovered().IsMatch(all),
        };
        if (days.Success)
        {
            p["days"] = Number(days.Groups["n"].Value);
        }
        var tooLate = days.Success && Number(days.Groups["n"].Value) > playbook.Number("deletion-on-termination", "max_days", 30);
        if (carveOut is not null)
        {
            return Found(ClauseStatus.Weak, carveOut, p, "Backups or retention copies are carved out of deletion.");
        }
        return Found(tooLate ? ClauseStatus.Weak : ClauseStatus.Present, main, p);
    }

    private static ClauseFinding BiasExplainability(Context c)
    {
        var s = c.Where(Bias()).FirstOrDefault(x => !IsDefinition(x));
        return s is null ? Missing() : Found(ClauseStatus.Present, s);
    }

    private static ClauseFinding Encryption(Context c)
    {
        var s = c.Where(EncryptWord()).Where(x => !IsDefinition(x)).ToList();
        if (s.Count == 0)
        {
            return Missing();
        }
        var text = string.Join(' ', s.Select(x => x.Text));
        var atRest = AtRest().IsMatch(text);
        var inTransit = InTransit().IsMatch(text);
        return Found(atRest && inTransit ? ClauseStatus.Present : ClauseStatus.Weak, s[0], new() { ["at_rest"] = atRest, ["in_transit"] = inTransit });
    }

    private static ClauseFinding AccessControl(Context c)
    {
        var strong = c.Where(StrongAccess()).FirstOrDefault();
        if (strong is not null)
        {
            return Found(ClauseStatus.Present, strong);
        }
        var weak = c.Where(WeakAccess()).FirstOrDefault(x => !IsDefinition(x));
        return weak is null ? Missing() : Found(ClauseStatus.Weak, weak, reason: "Only need-to-know or confidentiality duties; no access-control measures.");
    }

    private ClauseFinding Sla(Context c)
    {
        var s = c.Where(Uptime()).FirstOrDefault();
        if (s is not null)
        {
            var pct = double.Parse(Uptime().Match(s.Text).Groups["p"].Value, CultureInfo.InvariantCulture);
            return Found(pct >= playbook.Number("sla", "min_uptime_percent", 99.5) ? ClauseStatus.Present : ClauseStatus.Weak, s, new() { ["uptime_percent"] = pct });
        }
        var vague = c.Where(ServiceLevel()).FirstOrDefault(x => !IsDefinition(x));
        return vague is null ? Missing() : Found(ClauseStatus.Weak, vague, reason: "Service levels without a committed availability.");
    }

    private static ClauseFinding RegulatoryCompliance(Context c)
    {
        // Laws count where the text speaks of laws (compliance duties, definitions, examples), not
        // where a statute is merely mentioned (e.g. a list of data the customer must not upload).
        var lawSentences = c.Doc.Sentences.Where(s => LawWord().IsMatch(s.Text)).Select(s => s.Text);
        var laws = NamedLaws(string.Join('\n', lawSentences));
        var s = c.Where(ComplyWithLaws()).FirstOrDefault(x => !IsDefinition(x));
        if (s is null && laws.Count == 0)
        {
            return Missing();
        }
        if (laws.Count > 0)
        {
            var evidence = s ?? c.Doc.Sentences.First(x => NamedLaws(x.Text).Count > 0);
            return Found(ClauseStatus.Present, evidence, new() { ["laws"] = laws });
        }
        return Found(ClauseStatus.Weak, s!, new() { ["laws"] = new List<string>() }, "Compliance with laws in general; none named.");
    }

    // ---------------------------------------------------------------- helpers

    private static int Number(string s) => s.ToLowerInvariant() switch
    {
        "one" => 1, "two" => 2, "three" => 3, "five" => 5, "seven" => 7, "ten" => 10, "fourteen" => 14, "fifteen" => 15, "thirty" => 30,
        "sixty" => 60, "ninety" => 90, "twenty-four" => 24, "forty-eight" => 48, "seventy-two" => 72,
        _ => int.Parse(s, CultureInfo.InvariantCulture),
    };

    /// <summary>Defined durations: "Specified Notice Period" means 48 hours / is 2 business days.</summary>
    private static Dictionary<string, (int, string)> DefinedDurations(string text)
    {
        var result = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        foreach (Match m in DefinedDuration().Matches(text))
        {
            result[m.Groups["term"].Value] = (Number(m.Groups["n"].Value), m.Groups["unit"].Value);
        }
        return result;
    }

    private static readonly (string Name, Regex Pattern)[] Laws =
    [
        ("UK GDPR", new Regex(@"\bUK GDPR\b", RegexOptions.Compiled)),
        ("GDPR", new Regex(@"(?<!UK )\bGDPR\b|General Data Protection Regulation", RegexOptions.Compiled)),
        ("CCPA", new Regex(@"\bCCPA\b|California Consumer Privacy Act", RegexOptions.Compiled)),
        ("CPRA", new Regex(@"\bCPRA\b|California Privacy Rights Act", RegexOptions.Compiled)),
        ("HIPAA", new Regex(@"\bHIPAA\b|Health Insurance Portability", RegexOptions.Compiled)),
        ("Swiss FADP", new Regex(@"Swiss FADP|\bFADP\b", RegexOptions.Compiled)),
        ("Swiss Federal Data Protection Act", new Regex(@"Swiss Federal (Act on )?Data Protection( Act)?", RegexOptions.Compiled)),
        ("UK Data Protection Act 2018", new Regex(@"Data Protection Act 2018", RegexOptions.Compiled)),
        ("FCPA", new Regex(@"\bFCPA\b|Foreign Corrupt Practices Act", RegexOptions.Compiled)),
        ("UK Bribery Act 2010", new Regex(@"Bribery Act( 2010)?", RegexOptions.Compiled)),
        ("EU AI Act", new Regex(@"\bEU AI Act\b|Artificial Intelligence Act", RegexOptions.Compiled)),
        ("PIPEDA", new Regex(@"\bPIPEDA\b", RegexOptions.Compiled)),
        ("LGPD", new Regex(@"\bLGPD\b", RegexOptions.Compiled)),
    ];

    private static List<string> NamedLaws(string text)
    {
        var found = Laws.Where(l => l.Pattern.IsMatch(text)).Select(l => l.Name).ToList();
        // One law, two names: keep the abbreviation the contract defines.
        if (found.Contains("Swiss FADP"))
        {
            found.Remove("Swiss Federal Data Protection Act");
        }
        return found;
    }

    [GeneratedRegex(@"\blaws?\b|\blegislation\b|\bregulations?\b", RegexOptions.IgnoreCase)]
    private static partial Regex LawWord();

    [GeneratedRegex(@"^\s*(\d+(\.\d+)*\.?\s*)?[""“]?[A-Z][\w ’'-]{1,60}[""”]?\s+(means|has the meaning|refers to)\b")]
    private static partial Regex DefinitionLine();

    [GeneratedRegex(@"[""“](?<term>[A-Z][\w ]{2,60})[""”]\s+(means|is|will be)\s+(?<n>\d+|[a-z-]+)\s+(?<unit>(business )?(hours|days))", RegexOptions.IgnoreCase)]
    private static partial Regex DefinedDuration();

    [GeneratedRegex(@"\btrain(s|ed|ing)?\b|machine learning|\bimprove\b.{0,40}\bmodels?\b|\bdevelop\b.{0,40}\bmodels?\b", RegexOptions.IgnoreCase)]
    private static partial Regex TrainingWords();

    [GeneratedRegex(@"Customer(’s|'s)? (Personal )?(Data|Content|Input|Output)|\bInputs?\b|\bOutputs?\b|Customer Content|Customer Data|Personal Data|Usage Data", RegexOptions.IgnoreCase)]
    private static partial Regex CustomerData();

    [GeneratedRegex(@"\b(may|shall|will|must|can|does|do) not\b|\bwon’t\b|\bwon't\b|\bcannot\b|\bnever\b|\bprohibited\b|\bwithout\b.{0,30}\bconsent\b", RegexOptions.IgnoreCase)]
    private static partial Regex Prohibition();

    [GeneratedRegex(@"\bmay\b.{0,80}\b(use|used|train|develop|enhance|improve)\b|\b(is|are) permitted to\b|\bgrants?\b.{0,60}\blicen[cs]e\b.{0,80}\btrain", RegexOptions.IgnoreCase)]
    private static partial Regex Permission();

    [GeneratedRegex(@"\b(retains?|owns?|will own)\b.{0,40}(all )?(right, title,? and interest|ownership)|\bowns all\b|\b(customer|client|licensee|you)\s+(owns?|will own|shall own)\b.{0,60}\b(data|content|inputs?|outputs?|prompts?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ownership();

    [GeneratedRegex(@"\bOutputs?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Outputs();

    [GeneratedRegex(@"^\s*(Except|Subject to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LimitedBy();

    [GeneratedRegex(@"Confidential Information", RegexOptions.IgnoreCase)]
    private static partial Regex ConfidentialInformation();

    [GeneratedRegex(@"\btransfer\b.{0,80}\b(outside|globally|anywhere|any country|worldwide)\b|\b(globally|worldwide)\b.{0,40}\btransfer", RegexOptions.IgnoreCase)]
    private static partial Regex TransferAnywhere();

    [GeneratedRegex(@"\b(store|stored|host|hosted|process|processed)\b.{0,60}\b(only|solely|exclusively)\b.{0,20}\bin\b", RegexOptions.IgnoreCase)]
    private static partial Regex StoredOnlyIn();

    [GeneratedRegex(@"\b(EU|EEA|European Union|European Economic Area|United Kingdom|UK|Switzerland|United States|USA|Canada|Australia|Japan|India|Germany|France)\b")]
    private static partial Regex Regions();

    [GeneratedRegex(@"\baudit", RegexOptions.IgnoreCase)]
    private static partial Regex AuditWord();

    [GeneratedRegex(@"on-?site|onsite|\binspect(ion)?s?\b.{0,40}\b(premises|facilities|offices)\b|\b(premises|facilities)\b.{0,60}\baudit", RegexOptions.IgnoreCase)]
    private static partial Regex OnSite();

    [GeneratedRegex(@"Customer\b.{0,30}\b(may|can|is entitled to|has the right to)\b.{0,30}\b(exercise its audit right|audit|conduct (an )?audits?|inspect)", RegexOptions.IgnoreCase)]
    private static partial Regex CustomerAudits();

    [GeneratedRegex(@"only exercise\b.{0,40}\baudit rights?\b.{0,120}\bby (instructing|requesting|reviewing)", RegexOptions.IgnoreCase)]
    private static partial Regex ReportsOnly();

    [GeneratedRegex(@"once (annually|a year|per year|every (twelve|12) months)|(no more than|not more than|up to) (once|one time) (annually|per year|a year|in any (twelve|12)[- ]month)|annual audit", RegexOptions.IgnoreCase)]
    private static partial Regex OncePerYear();

    [GeneratedRegex(@"^\W*(all |any )?(such|these|this|those)\s+(requests?|audits?|inspections?|rights?|reviews?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PointsBack();

    [GeneratedRegex(@"\bchanges? (in|to) (the )?(applicable )?(data protection )?(law|laws|legislation|regulation)|\b(amend|amendment|revise)\b.{0,120}\b(Laws?|requirements|regulation)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChangeInLaw();

    [GeneratedRegex(@"\bamend(ment)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Amendment();

    [GeneratedRegex(@"terminat\w*.{0,60}without (penalty|liability|charge|fee)", RegexOptions.IgnoreCase)]
    private static partial Regex TerminateWithoutPenalty();

    [GeneratedRegex(@"SOC ?[12]( Type (I|II|1|2))?|ISO(/IEC)? ?(27001|27701|27017|27018|42001)|PCI[ -]DSS|FedRAMP|HITRUST", RegexOptions.IgnoreCase)]
    private static partial Regex Certifications();

    [GeneratedRegex(@"certification programs?|audit reports?", RegexOptions.IgnoreCase)]
    private static partial Regex CertificationPrograms();

    [GeneratedRegex(@"\(if any\)|\bif any\b", RegexOptions.IgnoreCase)]
    private static partial Regex IfAny();

    [GeneratedRegex(@"independent third[- ]party auditors?|audited\b.{0,60}\bindependent", RegexOptions.IgnoreCase)]
    private static partial Regex ThirdPartyAudited();

    [GeneratedRegex(@"list of\b.{0,30}\bSub-?processors|Sub-?processors? list", RegexOptions.IgnoreCase)]
    private static partial Regex SubprocessorList();

    [GeneratedRegex(@"\blocations?\b|\bcountry\b|\bcountries\b", RegexOptions.IgnoreCase)]
    private static partial Regex Locations();

    [GeneratedRegex(@"Sub-?processor", RegexOptions.IgnoreCase)]
    private static partial Regex SubprocessorWord();

    [GeneratedRegex(@"\b(new|intended changes?|add(ing|ition)?|replac\w*|changes to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NewOrChange();

    [GeneratedRegex(@"(at least|no less than|not less than|minimum of)\s+(?<n>\d+|[a-z-]+)\s+(\((\d+)\)\s+)?(?<business>business )?days", RegexOptions.IgnoreCase)]
    private static partial Regex NoticeDays();

    [GeneratedRegex(@"\bobject\w*\b.{0,80}\bwithin\s+(?<n>\d+|[a-z-]+)\s+(\(\d+\)\s+)?(business )?days|within\s+(?<n>\d+|[a-z-]+)\s+(\(\d+\)\s+)?(business )?days\b.{0,160}\bobject", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectionDays();

    [GeneratedRegex(@"\bobject", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectWord();

    [GeneratedRegex(@"\bterminat", RegexOptions.IgnoreCase)]
    private static partial Regex TerminateWord();

    [GeneratedRegex(@"\b(notify|notice|inform|notif\w*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Notify();

    [GeneratedRegex(@"Security Incident|Personal Data Breach|data breach|security breach|\bbreach of security\b", RegexOptions.IgnoreCase)]
    private static partial Regex BreachWord();

    [GeneratedRegex(@"(?<n>\d+|[a-z-]+)\s+(\(\d+\)\s+)?(?<unit>hours|days)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Hours();

    [GeneratedRegex(@"\b(delete|deletes|deleted|deletion|destroy|destruction|erase|return or delete)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DeleteWord();

    [GeneratedRegex(@"terminat|expir|end of (the )?(agreement|term|services)", RegexOptions.IgnoreCase)]
    private static partial Regex EndOfContract();

    [GeneratedRegex(@"\bmay retain\b.{0,200}\bbackup|\bbackup\b.{0,80}\b(retention|retain)\b.{0,40}\b(policy|policies|practices|schedules?)", RegexOptions.IgnoreCase)]
    private static partial Regex RetainBackups();

    [GeneratedRegex(@"within\s+(?<n>\d+|[a-z-]+)\s+(\(\d+\)\s+)?days", RegexOptions.IgnoreCase)]
    private static partial Regex WithinDays();

    [GeneratedRegex(@"\bcertif(y|ies|ied|ication|icate)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Certify();

    [GeneratedRegex(@"(including|and) (all )?(copies in )?backups?|backups? (are|will be) (deleted|destroyed)", RegexOptions.IgnoreCase)]
    private static partial Regex BackupsCovered();

    [GeneratedRegex(@"\b(fine-?tuned|derived|trained) models?\b|\bmodels? (trained|fine-?tuned)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ModelsCovered();

    [GeneratedRegex(@"\bbias\b|explainab|fairness (audit|assessment|testing)", RegexOptions.IgnoreCase)]
    private static partial Regex Bias();

    [GeneratedRegex(@"\bencrypt", RegexOptions.IgnoreCase)]
    private static partial Regex EncryptWord();

    [GeneratedRegex(@"at rest|in storage|stored data", RegexOptions.IgnoreCase)]
    private static partial Regex AtRest();

    [GeneratedRegex(@"in transit|in motion|TLS|transmission", RegexOptions.IgnoreCase)]
    private static partial Regex InTransit();

    [GeneratedRegex(@"role-based access|least privilege|multi-?factor|access controls? (measures|policies|mechanisms)|unique user (IDs|accounts)", RegexOptions.IgnoreCase)]
    private static partial Regex StrongAccess();

    [GeneratedRegex(@"need to know|need-to-know|only accesses and uses|authori[sz]ed personnel|personnel who Process\b.{0,80}\bconfidentiality", RegexOptions.IgnoreCase)]
    private static partial Regex WeakAccess();

    [GeneratedRegex(@"(?<p>9\d(\.\d+)?)\s?%.{0,60}\b(uptime|availability|available)|\b(uptime|availability|available)\b.{0,60}(?<p>9\d(\.\d+)?)\s?%", RegexOptions.IgnoreCase)]
    private static partial Regex Uptime();

    [GeneratedRegex(@"service level|\bSLA\b", RegexOptions.IgnoreCase)]
    private static partial Regex ServiceLevel();

    [GeneratedRegex(@"\bcomply\b.{0,80}\b(Laws|law|regulations?)\b|\bobligations under\b.{0,60}\bLaws\b|\bsubject to\b.{0,80}\bLaws\b", RegexOptions.IgnoreCase)]
    private static partial Regex ComplyWithLaws();
}
