using YamlDotNet.RepresentationModel;

namespace Proviso.Clauses.Playbook;

/// <summary>Thresholds and weights per clause kind, from the shipped YAML with optional overrides.</summary>
public sealed class ClausePlaybook
{
    private readonly Dictionary<string, Dictionary<string, object>> _kinds;

    private ClausePlaybook(Dictionary<string, Dictionary<string, object>> kinds) => _kinds = kinds;

    /// <summary>The 16 clause kinds, in the playbook's order.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "non-training", "data-ownership", "output-confidentiality", "data-residency", "audit-rights", "adaptive-compliance",
        "security-certifications", "data-flow-transparency", "subprocessor-changes", "breach-notification", "deletion-on-termination",
        "bias-explainability", "encryption", "access-control", "sla", "regulatory-compliance",
    ];

    public static ClausePlaybook Default()
    {
        using var stream = typeof(ClausePlaybook).Assembly.GetManifestResourceStream("Proviso.Clauses.default-playbook.yaml")!;
        using var reader = new StreamReader(stream);
        return new ClausePlaybook(Parse(reader.ReadToEnd()));
    }

    /// <summary>The default playbook with the values in <paramref name="yaml"/> laid over it.</summary>
    public static ClausePlaybook WithOverrides(string yaml)
    {
        var playbook = Default();
        foreach (var (kind, values) in Parse(yaml))
        {
            if (!Kinds.Contains(kind))
            {
                throw new FormatException($"Unknown clause kind '{kind}' in the playbook. Known: {string.Join(", ", Kinds)}.");
            }
            foreach (var (k, v) in values)
            {
                playbook._kinds[kind][k] = v;
            }
        }
        return playbook;
    }

    public double Number(string kind, string key, double fallback) =>
        _kinds.TryGetValue(kind, out var v) && v.TryGetValue(key, out var o) && double.TryParse(o.ToString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : fallback;

    public bool Flag(string kind, string key, bool fallback) =>
        _kinds.TryGetValue(kind, out var v) && v.TryGetValue(key, out var o) && bool.TryParse(o.ToString(), out var b) ? b : fallback;

    public IReadOnlyList<string> List(string kind, string key) =>
        _kinds.TryGetValue(kind, out var v) && v.TryGetValue(key, out var o) && o is List<string> l ? l : [];

    public string? Text(string kind, string key) =>
        _kinds.TryGetValue(kind, out var v) && v.TryGetValue(key, out var o) && o is string s ? s : null;

    public double Weight(string kind) => Number(kind, "weight", 1);

    private static Dictionary<string, Dictionary<string, object>> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new FormatException($"The playbook is not valid YAML: {ex.Message}");
        }
        var result = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return result;
        }
        foreach (var (key, value) in root.Children)
        {
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            if (value is YamlMappingNode map)
            {
                foreach (var (k, v) in map.Children)
                {
                    values[((YamlScalarNode)k).Value!] = v switch
                    {
                        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToList(),
                        YamlScalarNode s => s.Value!,
                        _ => "",
                    };
                }
            }
            result[((YamlScalarNode)key).Value!] = values;
        }
        return result;
    }
}
