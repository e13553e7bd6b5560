using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Proviso.Diligence.Questionnaires;

/// <summary>A template that cannot be used, with every problem found (not just the first).</summary>
public sealed class TemplateException(IReadOnlyList<string> problems)
    : FormatException(problems.Count == 1 ? problems[0] : $"{problems.Count} problems: " + string.Join(" ", problems.Take(10)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads and writes templates as YAML or JSON (same shape, snake_case names), validates them, and
/// compiles them for evaluation. The built-in AI-vendor questionnaire ships as an embedded YAML file.
/// </summary>
public static partial class TemplateFormat
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const string BuiltInKey = "ai-vendor";

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 32,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex IdPattern();

    /// <summary>The project's own AI-vendor questionnaire.</summary>
    public static QuestionnaireTemplate BuiltIn()
    {
        using var stream = typeof(TemplateFormat).Assembly.GetManifestResourceStream("Proviso.Diligence.ai-vendor-questionnaire.yaml")!;
        using var reader = new StreamReader(stream);
        return Read(reader.ReadToEnd(), "ai-vendor-questionnaire.yaml");
    }

    /// <summary>Reads a template from YAML or JSON (JSON is YAML, but JSON is parsed strictly for better messages) and validates it.</summary>
    public static QuestionnaireTemplate Read(string text, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var label = name is null ? "The template" : $"{name}";
        if (text.Length > MaxBytes)
        {
            throw new TemplateException([$"{label} is larger than {MaxBytes / 1024 / 1024} MB."]);
        }
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0)
        {
            throw new TemplateException([$"{label} is empty."]);
        }
        JsonNode? node;
        if (trimmed[0] is '{')
        {
            try
            {
                node = JsonNode.Parse(trimmed, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 32 });
            }
            catch (JsonException ex)
            {
                throw new TemplateException([$"{label} is not valid JSON: {ex.Message}"]);
            }
        }
        else
        {
            node = YamlToJson(trimmed, label);
        }
        if (node is not JsonObject obj)
        {
            throw new TemplateException([$"{label} must be a mapping with key, title and sections."]);
        }
        QuestionnaireTemplate? template;
        try
        {
            template = obj.Deserialize<QuestionnaireTemplate>(Json);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } p ? $" at {p}" : "";
            var message = ex.Message.Split(" Path:", 2)[0];
            foreach (var type in new[] { typeof(QuestionType), typeof(Severity) })
            {
                if (message.Contains(type.FullName!, StringComparison.Ordinal))
                {
                    var bad = Pointer(obj, ex.Path);
                    message = $"unknown value '{bad}'; use {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)))}.";
                }
            }
            throw new TemplateException([$"{label}{where}: {message}"]);
        }
        var problems = Validate(template!);
        return problems.Count > 0 ? throw new TemplateException(problems) : template!;
    }

    /// <summary>The value at a JSON path such as <c>$.sections[0].questions[1].type</c>, for error messages.</summary>
    private static string? Pointer(JsonNode root, string? path)
    {
        JsonNode? node = root;
        foreach (Match m in Regex.Matches(path ?? "", @"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]"))
        {
            node = m.Groups[1].Success ? (node as JsonObject)?[m.Groups[1].Value] : (node as JsonArray)?.ElementAtOrDefault(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        return node?.ToString();
    }

    public static string ToJson(QuestionnaireTemplate template) => JsonSerializer.Serialize(template, Json);

    public static string ToYaml(QuestionnaireTemplate template)
    {
        var node = JsonSerializer.SerializeToNode(template, Json);
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
        return serializer.Serialize(ToPlain(node));
    }

    public static CompiledQuestionnaire Compile(QuestionnaireTemplate template)
    {
        var problems = Validate(template);
        return problems.Count > 0 ? throw new TemplateException(problems) : new CompiledQuestionnaire(template);
    }

    /// <summary>Every problem with a template: ids, types, choices, ranges, conditions naming things that do not exist.</summary>
    public static List<string> Validate(QuestionnaireTemplate t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var problems = new List<string>();
        if (!KeyPattern().IsMatch(t.Key ?? ""))
        {
            problems.Add($"key '{t.Key}' must be 1 to 64 lower-case letters, digits and dashes.");
        }
        if (string.IsNullOrWhiteSpace(t.Title) || t.Title.Length > 200)
        {
            problems.Add("title is required (at most 200 characters).");
        }
        if (t.Version < 1)
        {
            problems.Add("version must be 1 or more.");
        }
        t.Sections ??= [];
        t.Findings ??= [];
        if (t.Sections.Count == 0 || !t.AllQuestions.Any())
        {
            problems.Add("A questionnaire needs at least one section with a question.");
        }
        if (t.AllQuestions.Count() > QuestionnaireTemplate.MaxQuestions)
        {
            problems.Add($"A questionnaire holds at most {QuestionnaireTemplate.MaxQuestions} questions.");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Id(string? id, string what)
        {
            if (id is null || !IdPattern().IsMatch(id))
            {
                problems.Add($"{what} has id '{id}'; ids are 1 to 128 letters, digits, '_', '-' and '.'.");
            }
            else if (Condition.IsConstant(id))
            {
                problems.Add($"{what} has id '{id}', which conditions read as a constant; choose another id.");
            }
            else if (!ids.Add(id))
            {
                problems.Add($"id '{id}' is used twice; question, choice, section and finding ids share one namespace.");
            }
        }
        var atoms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in t.Sections)
        {
            Id(s.Id, $"Section '{s.Title}'");
            s.Questions ??= [];
            if (string.IsNullOrWhiteSpace(s.Title))
            {
                problems.Add($"section {s.Id} needs a title.");
            }
            foreach (var q in s.Questions)
            {
                var where = $"question {q.Id}";
                Id(q.Id, $"A question in section {s.Id}");
                q.Choices ??= [];
                if (string.IsNullOrWhiteSpace(q.Text) || q.Text.Length > 4000)
                {
                    problems.Add($"{where} needs text (at most 4000 characters).");
                }
                if (q.Type is QuestionType.Choice or QuestionType.MultiChoice)
                {
                    if (q.Choices.Count < (q.Type == QuestionType.Choice ? 2 : 1))
                    {
                        problems.Add($"{where} is {Name(q.Type)} and needs {(q.Type == QuestionType.Choice ? "two" : "one")} or more choices.");
                    }
                }
                else if (q.Choices.Count > 0)
                {
                    problems.Add($"{where} is {Name(q.Type)} and cannot have choices.");
                }
                foreach (var c in q.Choices)
                {
                    Id(c.Id, $"A choice of {where}");
                    if (string.IsNullOrWhiteSpace(c.Label))
                    {
                        problems.Add($"choice {c.Id} of {where} needs a label.");
                    }
                    if (c.Score is < 0 or > 1)
                    {
                        problems.Add($"choice {c.Id} of {where} scores {c.Score}; scores are between 0 and 1.");
                    }
                }
                foreach (var id in CompiledQuestionnaire.ChoiceIds(q).Where(_ => q.Type == QuestionType.YesNo))
                {
                    Id(id, $"The implicit choice of yes/no {where}");
                }
                if (q.Weight is < 0 or > 100 || !double.IsFinite(q.Weight))
                {
                    problems.Add($"{where} has weight {q.Weight}; weights are between 0 and 100.");
                }
                if (q.Min > q.Max || q.GoodMin > q.GoodMax)
                {
                    problems.Add($"{where} has a range whose minimum is above its maximum.");
                }
                if (q.MaxLength is < 1 or > 100_000)
                {
                    problems.Add($"{where} has max_length {q.MaxLength}; it must be between 1 and 100000.");
                }
                if (q.MaxAgeDays is < 0)
                {
                    problems.Add($"{where} has a negative max_age_days.");
                }
                if (q.Expect is not null && q.Type != QuestionType.YesNo)
                {
                    problems.Add($"{where}: expect applies to yes/no questions only.");
                }
            }
        }
        foreach (var r in t.Findings)
        {
            Id(r.Id, $"Finding '{r.Name}'");
            if (string.IsNullOrWhiteSpace(r.Name))
            {
                problems.Add($"finding {r.Id} needs a name.");
            }
            if (string.IsNullOrWhiteSpace(r.When))
            {
                problems.Add($"finding {r.Id} needs a condition (when).");
            }
        }
        atoms.UnionWith(ids);
        void CheckCondition(string? when, string where)
        {
            if (string.IsNullOrWhiteSpace(when))
            {
                return;
            }
            try
            {
                foreach (var (name, _) in Condition.Parse(when).Atoms().Where(a => !atoms.Contains(a.Name)))
                {
                    problems.Add($"{where}: condition names '{name}', which is not a question, choice, section or finding.");
                }
            }
            catch (FormatException ex)
            {
                problems.Add($"{where}: {ex.Message}");
            }
        }
        foreach (var s in t.Sections)
        {
            CheckCondition(s.When, $"section {s.Id}");
            foreach (var q in s.Questions)
            {
                CheckCondition(q.When, $"question {q.Id}");
            }
        }
        foreach (var r in t.Findings)
        {
            CheckCondition(r.When, $"finding {r.Id}");
        }
        return problems;
    }

    public static string Name(QuestionType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());

    private static JsonNode? YamlToJson(string text, string label)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new TemplateException([$"{label} is not valid YAML (line {ex.Start.Line}): {ex.Message}"]);
        }
        if (stream.Documents.Count == 0)
        {
            throw new TemplateException([$"{label} is empty."]);
        }
        var budget = 200_000;
        return Convert(stream.Documents[0].RootNode, 0, label, ref budget);
    }

    private static JsonNode? Convert(YamlNode node, int depth, string label, ref int budget)
    {
        if (--budget < 0)
        {
            // Anchors and aliases can make a small file expand into billions of nodes.
            throw new TemplateException([$"{label} expands to more than 200,000 values."]);
        }
        if (depth > 32)
        {
            throw new TemplateException([$"{label} is nested more than 32 levels deep."]);
        }
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? throw new TemplateException([$"{label} (line {k.Start.Line}): keys must be plain text."]);
                    if (obj.ContainsKey(key))
                    {
                        throw new TemplateException([$"{label} (line {k.Start.Line}): '{key}' appears twice."]);
                    }
                    obj[key] = Convert(v, depth + 1, label, ref budget);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(Convert(item, depth + 1, label, ref budget));
                }
                return arr;
            case YamlScalarNode s:
                var value = s.Value ?? "";
                if (s.Style is ScalarStyle.Plain)
                {
                    if (value is "" or "~" or "null")
                    {
                        return null;
                    }
                    if (value is "true" or "false")
                    {
                        return JsonValue.Create(value == "true");
                    }
                    if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        return JsonValue.Create(l);
                    }
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    {
                        return JsonValue.Create(d);
                    }
                }
                return JsonValue.Create(value);
            default:
                throw new TemplateException([$"{label} (line {node.Start.Line}): aliases and tags are not supported."]);
        }
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToString(),
        _ => null,
    };
}
