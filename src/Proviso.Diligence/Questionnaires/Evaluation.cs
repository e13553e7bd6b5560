using System.Globalization;

namespace Proviso.Diligence.Questionnaires;

/// <summary>One answer: <see cref="Value"/> for every type but multiple choice, which uses <see cref="Values"/>.</summary>
public sealed record Answer(string? Value = null, IReadOnlyList<string>? Values = null, string? Comment = null)
{
    public const int CommentMax = 4000;

    public bool IsEmpty => string.IsNullOrWhiteSpace(Value) && (Values is null || Values.Count == 0);
}

/// <summary>Whether unanswered required questions are errors (submit) or simply still open (draft).</summary>
public enum EvaluationMode
{
    Draft,
    Submit,
}

public sealed record QuestionResult(string QuestionId, string SectionId, bool Visible, bool Answered, double? Score);

/// <summary>Something a reviewer must look at, raised by an answer or by a finding rule.</summary>
public sealed record Finding(string Id, string Name, Severity Severity, string? QuestionId, string? Advice);

/// <summary>
/// The outcome of checking answers against a template: errors by question id (empty when valid), which
/// questions are shown, the score (0–100, null when nothing is scored) and the findings.
/// </summary>
public sealed record Evaluation(
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<QuestionResult> Questions,
    double? Score,
    IReadOnlyList<Finding> Findings)
{
    public bool IsValid => Errors.Count == 0;
    public int Asked => Questions.Count(q => q.Visible);
    public int Answered => Questions.Count(q => q.Visible && q.Answered);
}

/// <summary>A validated template with its conditions parsed once; evaluates answers.</summary>
public sealed class CompiledQuestionnaire
{
    private readonly Dictionary<string, Question> _questions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Question Question, string ChoiceId)> _choices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuestionSection> _sectionOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuestionSection> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FindingRule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Condition?> _conditions = new(StringComparer.Ordinal);

    internal CompiledQuestionnaire(QuestionnaireTemplate template)
    {
        Template = template;
        foreach (var section in template.Sections)
        {
            _sections[section.Id] = section;
            _conditions["§" + section.Id] = Parse(section.When);
            foreach (var q in section.Questions)
            {
                _questions[q.Id] = q;
                _sectionOf[q.Id] = section;
                _conditions[q.Id] = Parse(q.When);
                foreach (var id in ChoiceIds(q))
                {
                    _choices[id] = (q, id);
                }
            }
        }
        foreach (var rule in template.Findings)
        {
            _rules[rule.Id] = rule;
            _conditions["!" + rule.Id] = Parse(rule.When);
        }
    }

    public QuestionnaireTemplate Template { get; }

    public Question? Question(string id) => _questions.GetValueOrDefault(id);

    internal static IEnumerable<string> ChoiceIds(Question q) =>
        q.Type == QuestionType.YesNo ? [q.Id + ".yes", q.Id + ".no"] : q.Choices.Select(c => c.Id);

    private static Condition? Parse(string? when) => string.IsNullOrWhiteSpace(when) ? null : Condition.Parse(when);

    /// <summary>Checks and scores answers as of <paramref name="today"/> (dates such as "last penetration test" age against it).</summary>
    public Evaluation Evaluate(IReadOnlyDictionary<string, Answer> answers, DateOnly today, EvaluationMode mode = EvaluationMode.Draft)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string id, string message)
        {
            if (!errors.TryGetValue(id, out var list))
            {
                errors[id] = list = [];
            }
            list.Add(message);
        }

        foreach (var (id, answer) in answers)
        {
            if (!_questions.TryGetValue(id, out var q))
            {
                Error(id, $"There is no question '{id}' in this questionnaire.");
                continue;
            }
            if (answer.Comment is { Length: > Answer.CommentMax })
            {
                Error(id, $"The comment is {answer.Comment.Length} characters long; the limit is {Answer.CommentMax}.");
            }
            if (!answer.IsEmpty && Check(q, answer, today) is { } problem)
            {
                Error(id, problem);
            }
        }

        var state = new State(this, answers);
        var results = new List<QuestionResult>();
        var findings = new List<Finding>();
        double weighted = 0, weights = 0;
        foreach (var section in Template.Sections)
        {
            foreach (var q in section.Questions)
            {
                var visible = state.Visible(q.Id);
                answers.TryGetValue(q.Id, out var answer);
                var answered = answer is { IsEmpty: false } && !errors.ContainsKey(q.Id);
                if (visible && !answered && q.Required && mode == EvaluationMode.Submit && !errors.ContainsKey(q.Id))
                {
                    Error(q.Id, $"'{Short(q.Text)}' needs an answer.");
                }
                double? score = null;
                if (visible && q.IsScored && (answered || (mode == EvaluationMode.Submit && !q.Required)))
                {
                    score = answered ? Score(q, answer!, today) : 0;
                    weighted += q.Weight * score.Value;
                    weights += q.Weight;
                    if (score < 0.5 && q.Severity is { } sev && answered)
                    {
                        findings.Add(new Finding(q.Id, q.Finding ?? q.Text, sev, q.Id, q.Help));
                    }
                }
                if (visible && answered)
                {
                    foreach (var c in q.Choices.Where(c => c.Severity is not null && Selected(q, answer!, c.Id)))
                    {
                        findings.Add(new Finding(c.Id, c.Finding ?? $"{Short(q.Text)}: {c.Label}", c.Severity!.Value, q.Id, q.Help));
                    }
                }
                results.Add(new QuestionResult(q.Id, section.Id, visible, answered, score));
            }
        }
        foreach (var rule in Template.Findings)
        {
            if (state.Raised(rule.Id))
            {
                findings.Add(new Finding(rule.Id, rule.Name, rule.Severity, null, rule.Advice));
            }
        }
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        double? total = weights > 0 ? Math.Round(100 * weighted / weights, 1) : null;
        return new Evaluation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), results, total, findings);
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>Why an answer is not acceptable for its question, or null when it is.</summary>
    internal static string? Check(Question q, Answer a, DateOnly today)
    {
        var value = a.Value?.Trim() ?? "";
        switch (q.Type)
        {
            case QuestionType.YesNo:
                return ParseYesNo(value) is null ? $"Answer yes or no, not '{Clip(value)}'." : null;
            case QuestionType.Choice:
                return q.Choices.Any(c => c.Id == value) ? null
                    : $"'{Clip(value)}' is not one of the choices ({string.Join(", ", q.Choices.Select(c => c.Id))}).";
            case QuestionType.MultiChoice:
                var values = a.Values ?? (value.Length > 0 ? [value] : []);
                var unknown = values.Where(v => q.Choices.All(c => c.Id != v)).ToList();
                return unknown.Count > 0 ? $"'{Clip(unknown[0])}' is not one of the choices ({string.Join(", ", q.Choices.Select(c => c.Id))})." : null;
            case QuestionType.Text:
                if (value.Length > q.MaxLength)
                {
                    return $"The answer is {value.Length} characters long; the limit is {q.MaxLength}.";
                }
                return value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') ? "The answer contains control characters." : null;
            case QuestionType.Number:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
                {
                    return $"'{Clip(value)}' is not a number.";
                }
                if (n < q.Min || n > q.Max)
                {
                    return $"{n.ToString(CultureInfo.InvariantCulture)} is out of range; answer between {Fmt(q.Min)} and {Fmt(q.Max)}.";
                }
                return null;
            case QuestionType.Date:
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return $"'{Clip(value)}' is not a date (use yyyy-MM-dd).";
                }
                return q.MaxAgeDays is not null && d > today ? $"{value} is in the future; this asks when something happened." : null;
            case QuestionType.File:
                return Guid.TryParse(value, out _) ? null : "Upload the file with the assessment and answer with its evidence id.";
            default:
                return null;
        }
    }

    private static string Fmt(double? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "any";
    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";

    internal static bool? ParseYesNo(string value) => value.ToLowerInvariant() switch
    {
        "yes" or "true" or "y" => true,
        "no" or "false" or "n" => false,
        _ => null,
    };

    private static double Score(Question q, Answer a, DateOnly today)
    {
        var value = a.Value?.Trim() ?? "";
        switch (q.Type)
        {
            case QuestionType.YesNo:
                return ParseYesNo(value) == q.Expect ? 1 : 0;
            case QuestionType.Choice:
                return Math.Clamp(q.Choices.First(c => c.Id == value).Score ?? 0, 0, 1);
            case QuestionType.MultiChoice:
                return Math.Clamp(q.Choices.Where(c => Selected(q, a, c.Id)).Sum(c => c.Score ?? 0), 0, 1);
            case QuestionType.Number:
                var n = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
                return (q.GoodMin is null || n >= q.GoodMin) && (q.GoodMax is null || n <= q.GoodMax) ? 1 : 0;
            case QuestionType.Date:
                var d = DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                return today.DayNumber - d.DayNumber <= q.MaxAgeDays ? 1 : 0;
            default:
                return 1;
        }
    }

    private static bool Selected(Question q, Answer a, string choiceId) => q.Type switch
    {
        QuestionType.YesNo => ParseYesNo(a.Value?.Trim() ?? "") is { } yes && choiceId == q.Id + (yes ? ".yes" : ".no"),
        QuestionType.MultiChoice => (a.Values ?? (a.Value is { } v ? [v] : [])).Contains(choiceId),
        _ => a.Value?.Trim() == choiceId,
    };

    /// <summary>Visibility and rule state for one evaluation, memoized, with cycles read as false.</summary>
    private sealed class State(CompiledQuestionnaire c, IReadOnlyDictionary<string, Answer> answers)
    {
        private readonly Dictionary<string, bool?> _memo = new(StringComparer.Ordinal);

        public bool Visible(string questionId) => Memo(questionId, () =>
            Holds(c._conditions["§" + c._sectionOf[questionId].Id]) && Holds(c._conditions[questionId]));

        public bool Raised(string ruleId) => Memo("!" + ruleId, () => Holds(c._conditions["!" + ruleId]));

        private bool SectionVisible(string sectionId) => Memo("§" + sectionId, () => Holds(c._conditions["§" + sectionId]));

        private bool Memo(string key, Func<bool> compute)
        {
            if (_memo.TryGetValue(key, out var known))
            {
                return known ?? false; // null: being computed, a cycle
            }
            _memo[key] = null;
            var value = compute();
            _memo[key] = value;
            return value;
        }

        private bool Holds(Condition? condition) => condition is null || condition.Evaluate(Atom);

        private bool Atom(string name, bool visibility)
        {
            if (visibility)
            {
                return c._questions.ContainsKey(name) ? Visible(name)
                    : c._sections.ContainsKey(name) ? SectionVisible(name)
                    : c._rules.ContainsKey(name) && Raised(name);
            }
            if (c._choices.TryGetValue(name, out var choice))
            {
                return answers.TryGetValue(choice.Question.Id, out var a) && !a.IsEmpty && Selected(choice.Question, a, choice.ChoiceId);
            }
            if (c._questions.TryGetValue(name, out var q) && answers.TryGetValue(name, out var answer) && !answer.IsEmpty)
            {
                return q.Type != QuestionType.YesNo || ParseYesNo(answer.Value?.Trim() ?? "") == true;
            }
            return false;
        }
    }
}
