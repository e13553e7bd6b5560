using System.Text.Json.Serialization;

namespace Proviso.Diligence.Questionnaires;

/// <summary>The kinds of answer a question takes.</summary>
public enum QuestionType
{
    /// <summary>Yes or no; conditions may name <c>id.yes</c> and <c>id.no</c>.</summary>
    YesNo,

    /// <summary>Exactly one of the listed choices.</summary>
    Choice,

    /// <summary>Any number of the listed choices.</summary>
    MultiChoice,

    /// <summary>Free text up to <see cref="Question.MaxLength"/> characters.</summary>
    Text,

    /// <summary>A number between <see cref="Question.Min"/> and <see cref="Question.Max"/>.</summary>
    Number,

    /// <summary>A calendar date (ISO 8601, <c>yyyy-MM-dd</c>).</summary>
    Date,

    /// <summary>An evidence file uploaded with the assessment; the answer is the evidence's id.</summary>
    File,
}

/// <summary>How much a finding matters, from advice only to a reason to reject.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>
/// A questionnaire template: sections of questions, how each answer scores, which questions depend on
/// earlier answers, and which combinations of answers are findings. Templates are data (YAML or JSON,
/// see <see cref="TemplateFormat"/>); the built-in AI-vendor questionnaire is one of them.
/// </summary>
public sealed class QuestionnaireTemplate
{
    public const int MaxQuestions = 2000;

    /// <summary>A stable slug (<c>ai-vendor</c>); letters, digits and dashes.</summary>
    public string Key { get; set; } = "";

    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public int Version { get; set; } = 1;

    /// <summary>Where the template came from (<c>built-in</c>, <c>vsaq</c>, <c>custom</c>) and its licence notice if any.</summary>
    public string? Source { get; set; }

    public string? Notice { get; set; }
    public List<QuestionSection> Sections { get; set; } = [];

    /// <summary>Combinations of answers that are findings on their own (VSAQ's warnings are imported as these).</summary>
    public List<FindingRule> Findings { get; set; } = [];

    [JsonIgnore]
    public IEnumerable<Question> AllQuestions => Sections.SelectMany(s => s.Questions);
}

public sealed class QuestionSection
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>A condition (see <see cref="Condition"/>); the section is shown only when it holds.</summary>
    public string? When { get; set; }

    public List<Question> Questions { get; set; } = [];
}

public sealed class Question
{
    public const int DefaultMaxLength = 4000;

    public string Id { get; set; } = "";
    public string Text { get; set; } = "";
    public string? Help { get; set; }
    public QuestionType Type { get; set; } = QuestionType.YesNo;
    public bool Required { get; set; } = true;

    /// <summary>A condition; the question is asked only when it holds.</summary>
    public string? When { get; set; }

    /// <summary>Topic for reports (e.g. <c>training</c>, <c>encryption</c>).</summary>
    public string? Topic { get; set; }

    public List<Choice> Choices { get; set; } = [];

    /// <summary>Share of this question in the score; 0 leaves it out.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>For yes/no: the answer that scores full marks; unset leaves the question unscored.</summary>
    public bool? Expect { get; set; }

    /// <summary>For numbers: the accepted range; answers outside it are refused.</summary>
    public double? Min { get; set; }

    public double? Max { get; set; }

    /// <summary>For numbers: the range that scores full marks (e.g. breach notice within 72 hours).</summary>
    public double? GoodMin { get; set; }

    public double? GoodMax { get; set; }

    /// <summary>For dates: full marks when the date is at most this many days in the past (e.g. last penetration test).</summary>
    public int? MaxAgeDays { get; set; }

    /// <summary>For text: the longest accepted answer.</summary>
    public int MaxLength { get; set; } = DefaultMaxLength;

    /// <summary>For text and file questions: an answer scores full marks (presence is what matters).</summary>
    public bool ScoreAnswered { get; set; }

    /// <summary>Severity of the finding raised when the answer scores below half marks; unset raises none.</summary>
    public Severity? Severity { get; set; }

    /// <summary>Name of that finding; defaults to the question text.</summary>
    public string? Finding { get; set; }

    [JsonIgnore]
    public bool IsScored => Weight > 0 && Type switch
    {
        QuestionType.YesNo => Expect is not null,
        QuestionType.Choice or QuestionType.MultiChoice => Choices.Any(c => c.Score is not null),
        QuestionType.Number => GoodMin is not null || GoodMax is not null,
        QuestionType.Date => MaxAgeDays is not null,
        _ => ScoreAnswered,
    };
}

public sealed class Choice
{
    public string Id { get; set; } = "";
    public string Label { get; set; } = "";

    /// <summary>Marks from 0 to 1; for multiple choice the selected choices' marks add up, capped at 1.</summary>
    public double? Score { get; set; }

    /// <summary>Choosing this raises a finding of this severity.</summary>
    public Severity? Severity { get; set; }

    public string? Finding { get; set; }
}

/// <summary>A finding raised when its condition holds, whatever the individual scores.</summary>
public sealed class FindingRule
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Severity Severity { get; set; } = Severity.Medium;
    public string When { get; set; } = "";
    public string? Advice { get; set; }
}
