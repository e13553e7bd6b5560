using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Proviso.Diligence.Questionnaires;

/// <summary>
/// Imports Google's Vendor Security Assessment Questionnaire (VSAQ) format: JSON with JavaScript
/// comments and <c>"a" + "b"</c> string concatenation; nested blocks become sections (a nested block's
/// condition is joined to its parent's), radio groups become choice questions, check groups multiple
/// choice, boxes and lines text, <c>upload</c> a file question, and tips become findings (warnings keep
/// their severity; plain tips are advice). Conditions keep VSAQ's syntax, which ours is.
/// </summary>
public static partial class VsaqImporter
{
    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    public static QuestionnaireTemplate Import(string text, string key, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > TemplateFormat.MaxBytes)
        {
            throw new TemplateException([$"The VSAQ file is larger than {TemplateFormat.MaxBytes / 1024 / 1024} MB."]);
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(Normalize(text), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new TemplateException([$"Not a VSAQ questionnaire: {ex.Message}"]);
        }
        if (root?["questionnaire"] is not JsonArray items)
        {
            throw new TemplateException(["Not a VSAQ questionnaire: there is no \"questionnaire\" list at the top."]);
        }
        var template = new QuestionnaireTemplate
        {
            Key = key,
            Source = "vsaq",
            Notice = "Imported from Google's Vendor Security Assessment Questionnaire (VSAQ), Copyright Google, Apache License 2.0.",
        };
        var ctx = new Context(template);
        // VSAQ files wrap everything in one top-level block whose text is the questionnaire's name.
        if (items.Count == 1 && items[0] is JsonObject only && Str(only, "type") == "block")
        {
            template.Title = title ?? Clean(Str(only, "text")) ?? key;
            ctx.Walk(only["items"] as JsonArray ?? [], null, null, template.Title);
        }
        else
        {
            template.Title = title ?? key;
            ctx.Walk(items, null, null, template.Title);
        }
        template.Sections.RemoveAll(s => s.Questions.Count == 0);
        // VSAQ conditions may name choices of questionnaires not imported (e.g. shared option blocks); such a name is never true.
        var known = new HashSet<string>(template.Sections.Select(s => s.Id)
            .Concat(template.AllQuestions.SelectMany(q => CompiledQuestionnaire.ChoiceIds(q).Prepend(q.Id)))
            .Concat(template.Findings.Select(f => f.Id)), StringComparer.Ordinal);
        foreach (var s in template.Sections)
        {
            s.When = Prune(s.When, known);
            foreach (var q in s.Questions)
            {
                q.When = Prune(q.When, known);
            }
        }
        foreach (var f in template.Findings)
        {
            f.When = Prune(f.When, known)!;
        }
        var problems = TemplateFormat.Validate(template);
        return problems.Count > 0 ? throw new TemplateException(problems) : template;
    }

    /// <summary>Reads names that exist nowhere in the file (VSAQ shares option blocks between files) as never true.</summary>
    private static string? Prune(string? when, HashSet<string> known)
    {
        if (string.IsNullOrWhiteSpace(when))
        {
            return when;
        }
        var result = when;
        foreach (var name in Condition.Parse(when).Atoms().Select(a => a.Name).Where(n => !known.Contains(n) && !Condition.IsConstant(n)).Distinct())
        {
            result = Regex.Replace(result, $@"\^?(?<![A-Za-z0-9_.-]){Regex.Escape(name)}(?![A-Za-z0-9_.-])", "false");
        }
        return result;
    }

    private sealed class Context(QuestionnaireTemplate template)
    {
        private int _anonymous;

        public void Walk(JsonArray items, string? when, QuestionSection? section, string title)
        {
            foreach (var node in items.OfType<JsonObject>())
            {
                var type = Str(node, "type");
                var id = Str(node, "id");
                var cond = Join(when, Str(node, "cond"));
                switch (type)
                {
                    case "block":
                        var blockTitle = Clean(Str(node, "text")) ?? "Section";
                        var s = new QuestionSection { Id = id ?? $"section_{++_anonymous}", Title = blockTitle, When = cond };
                        template.Sections.Add(s);
                        Walk(node["items"] as JsonArray ?? [], cond, s, blockTitle);
                        break;
                    case "info":
                        if (section is not null && Clean(Str(node, "text")) is { } info)
                        {
                            section.Description = section.Description is null ? info : section.Description + "\n" + info;
                        }
                        break;
                    case "tip":
                        var warn = Str(node, "warn") == "yes";
                        var severity = Str(node, "severity") switch
                        {
                            "critical" => Severity.Critical,
                            "high" => Severity.High,
                            "medium" => Severity.Medium,
                            "low" => Severity.Low,
                            _ => warn ? Severity.Medium : Severity.Info,
                        };
                        if (id is not null && !string.IsNullOrWhiteSpace(cond))
                        {
                            template.Findings.Add(new FindingRule
                            {
                                Id = id, Name = Clean(Str(node, "name")) ?? Clean(Str(node, "text"))?[..Math.Min(120, Clean(Str(node, "text"))!.Length)] ?? id,
                                Severity = warn ? severity : Severity.Info, When = cond!, Advice = Clean(Str(node, "text")),
                            });
                        }
                        break;
                    case "radiogroup" or "checkgroup" or "yesno" or "box" or "line" or "upload":
                        Question(node, type, id, cond, section ?? Fallback(title));
                        break;
                    default:
                        break; // spacers and presentation-only items
                }
            }
        }

        private QuestionSection Fallback(string title)
        {
            if (template.Sections.Count == 0)
            {
                template.Sections.Add(new QuestionSection { Id = "general", Title = title });
            }
            return template.Sections[^1];
        }

        private void Question(JsonObject node, string type, string? id, string? cond, QuestionSection section)
        {
            var text = Clean(Str(node, "text"));
            var q = new Question
            {
                Id = id ?? $"q_{++_anonymous}",
                Text = text ?? "(no text)",
                When = cond,
                Weight = 0,
                Type = type switch
                {
                    "radiogroup" => QuestionType.Choice,
                    "checkgroup" => QuestionType.MultiChoice,
                    "yesno" => QuestionType.YesNo,
                    "upload" => QuestionType.File,
                    _ => QuestionType.Text,
                },
                Required = type is "radiogroup" or "yesno",
            };
            if (node["choices"] is JsonArray choices)
            {
                foreach (var choice in choices.OfType<JsonObject>())
                {
                    foreach (var (cid, label) in choice)
                    {
                        q.Choices.Add(new Choice { Id = cid, Label = Clean(label?.GetValue<string>()) ?? cid });
                    }
                }
            }
            if (type == "checkgroup" && text is null)
            {
                q.Text = "Select all that apply.";
            }
            section.Questions.Add(q);
        }
    }

    private static string? Join(string? outer, string? inner) =>
        string.IsNullOrWhiteSpace(outer) ? inner
        : string.IsNullOrWhiteSpace(inner) ? outer
        : $"({outer}) && ({inner})";

    private static string? Str(JsonObject node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>VSAQ texts are HTML fragments; questions are shown as plain text.</summary>
    internal static string? Clean(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }
        var text = Space().Replace(WebUtility.HtmlDecode(Tag().Replace(html.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase), " ")), " ").Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>Strips <c>//</c> and <c>/* */</c> comments outside strings and joins <c>"a" + "b"</c> into one string.</summary>
    internal static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                // Copy the string, then keep appending any "+"-joined continuation into it.
                sb.Append('"');
                i++;
                while (true)
                {
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length)
                        {
                            sb.Append(text[i++]);
                        }
                        sb.Append(text[i++]);
                    }
                    i++; // closing quote
                    var j = SkipTrivia(text, i);
                    if (j < text.Length && text[j] == '+')
                    {
                        var k = SkipTrivia(text, j + 1);
                        if (k < text.Length && text[k] == '"')
                        {
                            i = k + 1;
                            continue;
                        }
                    }
                    sb.Append('"');
                    break;
                }
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
            {
                i = SkipTrivia(text, i);
                sb.Append(' ');
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    private static int SkipTrivia(string text, int i)
    {
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else
            {
                break;
            }
        }
        return i;
    }
}
