using YamlDotNet.RepresentationModel;

namespace Proviso.Clauses.Playbook;

/// <summary>One clause library entry: a title, the risk it answers and the proposed language.</summary>
public sealed record ClauseTemplate(string Kind, string Title, string Risk, string Language);

/// <summary>The project's own model language for each clause kind, shipped as YAML.</summary>
public static class ClauseLibrary
{
    private static readonly Lazy<IReadOnlyDictionary<string, ClauseTemplate>> Entries = new(Load);

    /// <summary>Every entry, one per playbook kind.</summary>
    public static IReadOnlyDictionary<string, ClauseTemplate> All => Entries.Value;

    /// <summary>The entry for <paramref name="kind"/>, with the organization's <c>model_language</c> when its playbook sets one.</summary>
    public static ClauseTemplate For(string kind, ClausePlaybook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        var entry = All[kind];
        return playbook.Text(kind, "model_language") is { Length: > 0 } own ? entry with { Language = own } : entry;
    }

    private static Dictionary<string, ClauseTemplate> Load()
    {
        using var stream = typeof(ClauseLibrary).Assembly.GetManifestResourceStream("Proviso.Clauses.clause-library.yaml")!;
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var result = new Dictionary<string, ClauseTemplate>(StringComparer.Ordinal);
        foreach (var (key, value) in ((YamlMappingNode)yaml.Documents[0].RootNode).Children)
        {
            var kind = ((YamlScalarNode)key).Value!;
            var map = (YamlMappingNode)value;
            string Get(string name) => ((YamlScalarNode)map.Children[new YamlScalarNode(name)]).Value!;
            result[kind] = new ClauseTemplate(kind, Get("title"), Get("risk"), Get("language"));
        }
        return result;
    }
}
