using Proviso.Diligence.Questionnaires;

namespace Proviso.Diligence.Tests;

public sealed class VsaqImportTests
{
    private static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "questionnaires", name));

    [Theory]
    [InlineData("vsaq-infrastructure.json")]
    [InlineData("vsaq-physical_and_datacenter.json")]
    [InlineData("vsaq-security_privacy_programs.json")]
    [InlineData("vsaq-webapp.json")]
    public void Each_real_vsaq_file_imports_into_a_valid_template_that_round_trips(string file)
    {
        var t = VsaqImporter.Import(Data(file), "vsaq-" + Path.GetFileNameWithoutExtension(file)[5..].Replace('_', '-'));
        Assert.Empty(TemplateFormat.Validate(t));
        Assert.True(t.AllQuestions.Count() >= 15, $"{t.AllQuestions.Count()} questions");
        Assert.Contains(t.Findings, f => f.Severity >= Severity.Medium);
        Assert.Contains("Apache", t.Notice);
        Assert.DoesNotContain(t.AllQuestions, q => q.Text.Contains("<b>", StringComparison.Ordinal) || q.Text.Contains("<a ", StringComparison.Ordinal) || q.Text.Contains("&amp;", StringComparison.Ordinal));
        var again = TemplateFormat.Read(TemplateFormat.ToYaml(t));
        Assert.Equal(TemplateFormat.ToJson(t), TemplateFormat.ToJson(again));
    }

    [Fact]
    public void Vsaq_warnings_fire_from_answers_and_follow_ups_follow_their_conditions()
    {
        var c = TemplateFormat.Compile(VsaqImporter.Import(Data("vsaq-webapp.json"), "vsaq-webapp"));
        var today = new DateOnly(2026, 11, 24);
        // In the web application questionnaire, answering that the application is served over plain HTTP
        // raises the "Unencrypted application network traffic" warning (severity high).
        var q = c.Template.AllQuestions.First(x => x.Choices.Any(ch => ch.Id == "application_ssl_none"));
        var bad = c.Evaluate(new Dictionary<string, Answer> { [q.Id] = new("application_ssl_none") }, today);
        Assert.Contains(bad.Findings, f => f.Name == "Unencrypted application network traffic" && f.Severity == Severity.High);
        var good = c.Evaluate(new Dictionary<string, Answer> { [q.Id] = new("application_ssl_exclusively") }, today);
        Assert.DoesNotContain(good.Findings, f => f.Name == "Unencrypted application network traffic");
    }

    [Fact]
    public void Javascript_comments_and_string_concatenation_are_normalized()
    {
        var json = VsaqImporter.Normalize("""
            // header
            {"questionnaire": [ /* inline */ {"type": "line", "id": "x", "text": "a" +
               // between
               "b // not a comment" + "c"}]}
            """);
        var t = VsaqImporter.Import(json, "tiny");
        Assert.Equal("ab // not a commentc", Assert.Single(t.AllQuestions).Text);
    }

    [Theory]
    [InlineData("not json at all", "Not a VSAQ")]
    [InlineData("{\"title\": \"x\"}", "no \"questionnaire\" list")]
    public void Non_vsaq_input_is_refused(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<TemplateException>(() => VsaqImporter.Import(text, "x")).Message);
}
