using System.Globalization;
using System.Security;
using System.Text;

namespace Proviso.Diligence.Flows;

/// <summary>One declared flow: an internal system sends data categories to a vendor service, processed in a region, passed on to sub-processors.</summary>
public sealed record DataFlow(string InternalSystem, IReadOnlyList<string> Categories, string Service, string? Region, IReadOnlyList<string> SubProcessors);

/// <summary>
/// Draws declared flows as a left-to-right SVG: internal systems → data categories → vendor service →
/// region → sub-processors. Self-contained (no scripts, no external fonts or images), so it can be
/// inlined in the UI and in exported reports, and every label is escaped.
/// </summary>
public static class DataFlowDiagram
{
    private const int BoxWidth = 170;
    private const int BoxHeight = 34;
    private const int ColumnGap = 60;
    private const int RowGap = 14;
    private const int Top = 44;
    private const int Margin = 16;
    private const int MaxLabel = 26;

    private static readonly string[] Columns = ["Internal systems", "Data categories", "Vendor services", "Regions", "Sub-processors"];
    private static readonly string[] Fills = ["#e3f2fd", "#fff3e0", "#ede7f6", "#e8f5e9", "#fce4ec"];

    public static string Render(string title, IReadOnlyList<DataFlow> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var columns = Enumerable.Range(0, Columns.Length).Select(_ => new List<string>()).ToArray();
        var edges = new HashSet<(int, string, string)>();
        void Node(int col, string name)
        {
            if (!columns[col].Contains(name))
            {
                columns[col].Add(name);
            }
        }
        foreach (var f in flows)
        {
            var region = string.IsNullOrWhiteSpace(f.Region) ? "Region not declared" : f.Region;
            var categories = f.Categories.Count == 0 ? ["No categories declared"] : f.Categories;
            Node(0, f.InternalSystem);
            Node(2, f.Service);
            Node(3, region);
            foreach (var c in categories)
            {
                Node(1, c);
                edges.Add((0, f.InternalSystem, c));
                edges.Add((1, c, f.Service));
            }
            edges.Add((2, f.Service, region));
            foreach (var s in f.SubProcessors)
            {
                Node(4, s);
                edges.Add((3, region, s));
            }
        }
        var rows = Math.Max(1, columns.Max(c => c.Count));
        var width = Margin * 2 + Columns.Length * BoxWidth + (Columns.Length - 1) * ColumnGap;
        var height = Top + rows * (BoxHeight + RowGap) + Margin;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Esc(title)}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append(inv, $"<title>{Esc(title)}</title>");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#607d8b\"/></marker></defs>");
        sb.Append(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        int X(int col) => Margin + col * (BoxWidth + ColumnGap);
        int Y(int col, string name) => Top + columns[col].IndexOf(name) * (BoxHeight + RowGap);
        for (var col = 0; col < Columns.Length; col++)
        {
            sb.Append(inv, $"<text x=\"{X(col) + BoxWidth / 2}\" y=\"24\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#37474f\">{Columns[col]}</text>");
        }
        foreach (var (col, from, to) in edges.OrderBy(e => e.Item1).ThenBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.Item3, StringComparer.Ordinal))
        {
            var x1 = X(col) + BoxWidth;
            var y1 = Y(col, from) + BoxHeight / 2;
            var x2 = X(col + 1);
            var y2 = Y(col + 1, to) + BoxHeight / 2;
            var mid = (x1 + x2) / 2;
            sb.Append(inv, $"<path class=\"edge\" d=\"M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}\" fill=\"none\" stroke=\"#90a4ae\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>");
        }
        for (var col = 0; col < Columns.Length; col++)
        {
            foreach (var name in columns[col])
            {
                var x = X(col);
                var y = Y(col, name);
                var label = name.Length > MaxLabel ? name[..(MaxLabel - 1)] + "…" : name;
                sb.Append(inv, $"<g class=\"node\" data-column=\"{col}\"><title>{Esc(name)}</title>");
                sb.Append(inv, $"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\" fill=\"{Fills[col]}\" stroke=\"#78909c\"/>");
                sb.Append(inv, $"<text x=\"{x + BoxWidth / 2}\" y=\"{y + BoxHeight / 2 + 4}\" text-anchor=\"middle\" fill=\"#263238\">{Esc(label)}</text></g>");
            }
        }
        if (flows.Count == 0)
        {
            sb.Append(inv, $"<text x=\"{width / 2}\" y=\"{Top + 20}\" text-anchor=\"middle\" fill=\"#78909c\">No data flows declared yet.</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
