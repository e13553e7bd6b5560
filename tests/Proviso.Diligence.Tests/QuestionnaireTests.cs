using Proviso.Diligence.Questionnaires;

namespace Proviso.Diligence.Tests;

public sealed class QuestionnaireTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);
    private static readonly CompiledQuestionnaire BuiltIn = TemplateFormat.Compile(TemplateFormat.BuiltIn());

    private static Dictionary<string, Answer> GoodAnswers() => new()
    {
        ["sec_program"] = new("yes"), ["sec_roles"] = new("CISO: Jane Roe, security@vendor.example"), ["sec_incidents_3y"] = new("no"),
        ["sec_pentest_date"] = new("2026-06-01"), ["cert_held"] = new(Values: ["cert_soc2_t2", "cert_iso27001"]), ["audit_rights"] = new("yes"),
        ["ir_plan"] = new("yes"), ["breach_notice_hours"] = new("48"), ["data_ownership"] = new("yes"), ["access_control"] = new("access_jit"),
        ["enc_rest"] = new("yes"), ["enc_keys"] = new("keys_customer"), ["enc_transit"] = new("yes"), ["secure_transfer"] = new("transfer_api_tls"),
        ["anonymization"] = new("yes"), ["storage_regions"] = new(Values: ["region_eu"]), ["storage_retention_days"] = new("0"), ["logging"] = new("yes"),
        ["log_retention_days"] = new("400"), ["reg_frameworks"] = new(Values: ["reg_gdpr", "reg_ccpa", "reg_hipaa"]), ["reg_dpa"] = new("yes"),
        ["subprocessors_list"] = new("yes"), ["subprocessors_notice"] = new("yes"), ["training_use"] = new("training_never"),
        ["training_human_review"] = new("no"), ["finetune_offered"] = new("no"), ["bias_testing"] = new("yes"), ["explainability"] = new("yes"),
        ["exit_return"] = new("yes"), ["exit_deletion_days"] = new("30"), ["exit_certificate"] = new("yes"),
        ["sec_pentest_summary"] = new(Guid.NewGuid().ToString()), ["cert_report"] = new(Guid.NewGuid().ToString()),
    };

    [Fact]
    public void Built_in_questionnaire_covers_every_topic_the_playbook_of_due_diligence_names()
    {
        var topics = BuiltIn.Template.AllQuestions.Select(q => q.Topic).ToHashSet();
        foreach (var topic in new[] { "security", "track-record", "certifications", "incident-response", "data-ownership", "roles", "access-control",
                     "encryption", "anonymization", "secure-transfer", "storage", "logging", "audits", "compliance", "breach-notification",
                     "sub-processors", "training", "fine-tuning", "bias", "explainability", "exit" })
        {
            Assert.Contains(topic, topics);
        }
        var types = BuiltIn.Template.AllQuestions.Select(q => q.Type).ToHashSet();
        Assert.Equal(Enum.GetValues<QuestionType>().ToHashSet(), types);
    }

    [Fact]
    public void Complete_good_answers_submit_with_full_marks_and_no_findings()
    {
        var result = BuiltIn.Evaluate(GoodAnswers(), Today, EvaluationMode.Submit);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(100, result.Score);
        Assert.DoesNotContain(result.Findings, f => f.Severity > Severity.Info);
        Assert.False(result.Questions.Single(q => q.QuestionId == "sec_incidents_detail").Visible);
        Assert.False(result.Questions.Single(q => q.QuestionId == "finetune_isolated").Visible);
    }

    [Fact]
    public void Bad_answers_lower_the_score_and_raise_findings_by_severity()
    {
        var answers = GoodAnswers();
        answers["training_use"] = new("training_optout");
        answers["reg_frameworks"] = new(Values: ["reg_none"]);
        answers.Remove("reg_dpa"); // hidden now: no GDPR or CCPA
        answers["breach_notice_hours"] = new("120");
        answers["sec_pentest_date"] = new("2024-01-01");
        answers["cert_held"] = new(Values: []);
        var result = BuiltIn.Evaluate(answers, Today, EvaluationMode.Submit);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.True(result.Score < 85, $"score {result.Score}");
        var names = result.Findings.Select(f => f.Name).ToList();
        Assert.Contains("Trains on customer data unless opted out", names);
        Assert.Contains("Trains on customer data without a data processing agreement", names);
        Assert.Contains("No regulatory compliance commitments", names);
        Assert.Contains("Breach notice slower than 72 hours", names);
        Assert.Contains("No penetration test in the last 13 months", names);
        Assert.Contains("No independent certification or attestation", names);
        Assert.Equal(Severity.Critical, result.Findings[0].Severity); // most severe first
    }

    [Fact]
    public void Conditional_question_appears_only_when_its_condition_holds_and_is_then_required()
    {
        var answers = GoodAnswers();
        answers["sec_incidents_3y"] = new("yes");
        var result = BuiltIn.Evaluate(answers, Today, EvaluationMode.Submit);
        Assert.True(result.Questions.Single(q => q.QuestionId == "sec_incidents_detail").Visible);
        Assert.Contains("sec_incidents_detail", result.Errors.Keys);
        Assert.True(BuiltIn.Evaluate(answers, Today, EvaluationMode.Draft).IsValid); // a draft may leave it open
    }

    [Theory]
    [InlineData("breach_notice_hours", "-1", "out of range")]
    [InlineData("breach_notice_hours", "9000", "out of range")]
    [InlineData("breach_notice_hours", "soon", "not a number")]
    [InlineData("breach_notice_hours", "NaN", "not a number")]
    [InlineData("sec_program", "maybe", "yes or no")]
    [InlineData("training_use", "training_sometimes", "not one of the choices")]
    [InlineData("sec_pentest_date", "01/06/2026", "not a date")]
    [InlineData("sec_pentest_date", "2027-01-01", "in the future")]
    [InlineData("sec_pentest_summary", "report.pdf", "evidence id")]
    [InlineData("no_such_question", "yes", "no question")]
    public void Out_of_range_or_malformed_answers_are_refused_with_the_reason(string question, string value, string expected)
    {
        var result = BuiltIn.Evaluate(new Dictionary<string, Answer> { [question] = new(value) }, Today);
        Assert.Contains(expected, Assert.Single(result.Errors[question]), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unknown_multiple_choice_value_and_overlong_text_are_refused()
    {
        var result = BuiltIn.Evaluate(new Dictionary<string, Answer>
        {
            ["cert_held"] = new(Values: ["cert_soc2_t2", "cert_made_up"]),
            ["sec_roles"] = new(new string('x', Question.DefaultMaxLength + 1)),
            ["sec_program"] = new("yes", Comment: new string('c', Answer.CommentMax + 1)),
        }, Today);
        Assert.Contains("cert_made_up", result.Errors["cert_held"][0]);
        Assert.Contains("limit", result.Errors["sec_roles"][0]);
        Assert.Contains("comment", result.Errors["sec_program"][0]);
    }

    [Fact]
    public void Conditions_follow_precedence_negation_and_visibility_references()
    {
        var t = TemplateFormat.Read("""
            key: t
            title: T
            sections:
              - id: s
                title: S
                questions:
                  - { id: a, text: A }
                  - { id: b, text: B }
                  - { id: c, text: C, when: "a && !b || ^d" }
                  - { id: d, text: D, when: b.no && !(a) }
                  - { id: loop1, text: L1, when: ^loop2 }
                  - { id: loop2, text: L2, when: ^loop1 }
            """);
        var c = TemplateFormat.Compile(t);
        bool Visible(string q, params (string, string)[] answers) =>
            c.Evaluate(answers.ToDictionary(a => a.Item1, a => new Answer(a.Item2)), Today).Questions.Single(x => x.QuestionId == q).Visible;
        Assert.True(Visible("c", ("a", "yes"), ("b", "no")));
        Assert.False(Visible("c", ("a", "yes"), ("b", "yes")));
        Assert.True(Visible("d", ("a", "no"), ("b", "no")));
        Assert.True(Visible("c", ("a", "no"), ("b", "no"))); // through ^d
        Assert.False(Visible("loop1")); // a cycle is never shown, and does not hang
    }

    [Theory]
    [InlineData("a &&", "ends where a name")]
    [InlineData("(a || b", "Missing ')'")]
    [InlineData("a & b", "Unexpected '&'")]
    public void Malformed_conditions_are_reported(string condition, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => Condition.Parse(condition)).Message);

    [Fact]
    public void Yaml_and_json_round_trip_the_built_in_template()
    {
        var original = TemplateFormat.BuiltIn();
        var json = TemplateFormat.ToJson(original);
        var fromYaml = TemplateFormat.Read(TemplateFormat.ToYaml(original));
        var fromJson = TemplateFormat.Read(json);
        Assert.Equal(json, TemplateFormat.ToJson(fromYaml));
        Assert.Equal(json, TemplateFormat.ToJson(fromJson));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("key: [unclosed", "not valid YAML")]
    [InlineData("{\"key\": ", "not valid JSON")]
    [InlineData("- a\n- b", "must be a mapping")]
    [InlineData("key: x\ntitle: X\ncolour: blue\nsections: []", "colour")]
    [InlineData("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions:\n      - { id: q, text: Q, type: essay }", "questions[0].type: unknown value 'essay'; use yes_no, choice")]
    [InlineData("key: Bad Key\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q }]", "key 'Bad Key'")]
    [InlineData("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q }, { id: q, text: R }]", "used twice")]
    [InlineData("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q, when: ghost }]", "'ghost'")]
    [InlineData("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q, type: choice, choices: [{ id: only, label: Only }] }]", "two or more choices")]
    [InlineData("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q, type: number, min: 10, max: 1 }]", "minimum is above")]
    [InlineData("key: x\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions: [{ id: q, text: Q, type: choice, choices: [{ id: a, label: A, score: 2 }, { id: b, label: B }] }]", "between 0 and 1")]
    [InlineData("key: x\ntitle: X\nsections: []", "at least one section")]
    public void Broken_templates_are_refused_with_the_problem_named(string text, string expected)
    {
        var ex = Assert.Throws<TemplateException>(() => TemplateFormat.Read(text));
        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Yaml_alias_bomb_is_refused_instead_of_expanded()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join("\n", Enumerable.Range(1, 8).Select(i =>
            $"{(char)('a' + i)}: &{(char)('a' + i)} [" + string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10)) + "]"));
        var ex = Assert.Throws<TemplateException>(() => TemplateFormat.Read(yaml));
        Assert.Contains("200,000", ex.Message);
    }
}

public class ConditionRenameTests
{
    [Theory]
    [InlineData("trains && !trains.yes", "trains", "uses_data", "uses_data && !uses_data.yes")]
    [InlineData("^trains || trains.no", "trains", "uses_data", "^uses_data || uses_data.no")]
    [InlineData("trains_extra && (other.yes||trains)", "trains", "t2", "trains_extra && (other.yes||t2)")] // a longer name that starts the same is another name
    [InlineData("trains.maybe", "trains", "t2", "trains.maybe")] // only the yes/no names derive from a question
    [InlineData("opt_a || opt_b", "opt_a", "opt_x", "opt_x || opt_b")]
    public void Rename_ChangesWholeNamesOnly_AndKeepsTheRestAsWritten(string condition, string from, string to, string expected) =>
        Assert.Equal(expected, ConditionRename.Rename(condition, from, to));

    [Fact]
    public void RenameEverywhere_ReachesSectionsQuestionsAndFindingRules_AndTheTemplateStillValidates()
    {
        var template = TemplateFormat.Read("""
            key: rename-test
            title: Rename test
            sections:
              - id: basics
                title: Basics
                questions:
                  - id: trains
                    text: Do you train on our data?
                  - id: optout
                    text: How do we opt out?
                    type: text
                    when: trains.yes
              - id: more
                title: More
                when: ^optout
                questions:
                  - id: notes
                    text: Anything else?
                    type: text
            findings:
              - id: training-risk
                name: Trains on our data
                severity: high
                when: trains.yes && !optout
            """);
        template.Sections[0].Questions[0].Id = "uses_data";
        Assert.Equal(2, ConditionRename.RenameEverywhere(template, "trains", "uses_data"));
        Assert.Equal("uses_data.yes", template.Sections[0].Questions[1].When);
        Assert.Equal("uses_data.yes && !optout", template.Findings[0].When);
        template.Sections[0].Questions[1].Id = "opt_out";
        Assert.Equal(2, ConditionRename.RenameEverywhere(template, "optout", "opt_out"));
        Assert.Equal("^opt_out", template.Sections[1].When);
        Assert.Empty(TemplateFormat.Validate(template));
    }
}
