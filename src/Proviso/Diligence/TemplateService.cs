using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Diligence.Questionnaires;
using Proviso.Hosting;
using Proviso.Ledger;

namespace Proviso.Diligence;

public sealed record TemplateSummary(Guid Id, string Key, string Title, string Source, int Version, int Questions, bool BuiltIn, DateTimeOffset ModifiedAt);

/// <summary>Questionnaire templates: the built-in one, custom ones authored as YAML/JSON, imported VSAQ files.</summary>
public sealed class TemplateService(ProvisoDbContext db, AuditTrail audit)
{
    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken ct = default) =>
        (await db.QuestionnaireTemplates.AsNoTracking().ToListAsync(ct))
        .OrderByDescending(t => t.IsBuiltIn).ThenBy(t => t.Title, StringComparer.OrdinalIgnoreCase)
        .Select(Summary).ToList();

    public async Task<QuestionnaireTemplate?> GetAsync(string key, CancellationToken ct = default) =>
        await db.QuestionnaireTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct) is { } row ? Parse(row.Definition) : null;

    internal static QuestionnaireTemplate Parse(string definition) => TemplateFormat.Read(definition);

    /// <summary>Makes sure the shipped questionnaire exists and is current (run at startup).</summary>
    public async Task EnsureBuiltInAsync(CancellationToken ct = default)
    {
        var builtIn = TemplateFormat.BuiltIn();
        var json = TemplateFormat.ToJson(builtIn);
        var row = await db.QuestionnaireTemplates.FirstOrDefaultAsync(t => t.Key == builtIn.Key, ct);
        if (row is null)
        {
            db.Add(Row(new QuestionnaireTemplateRow { IsBuiltIn = true }, builtIn, json));
        }
        else if (row.IsBuiltIn && row.Definition != json)
        {
            Row(row, builtIn, json);
        }
        else
        {
            return;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance seeded it at the same moment.
        }
    }

    /// <summary>Creates or replaces a custom template from YAML or JSON text; <paramref name="format"/> <c>vsaq</c> imports Google's format.</summary>
    public async Task<Outcome<TemplateSummary>> SaveAsync(string text, string? format = null, string? key = null, CancellationToken ct = default)
    {
        QuestionnaireTemplate template;
        try
        {
            template = format?.ToLowerInvariant() == "vsaq"
                ? VsaqImporter.Import(text, string.IsNullOrWhiteSpace(key) ? "vsaq-import" : key.Trim())
                : TemplateFormat.Read(text);
        }
        catch (TemplateException ex)
        {
            return Outcome<TemplateSummary>.Invalid(new Dictionary<string, string[]> { ["template"] = [.. ex.Problems] });
        }
        if (template.Source is null or "built-in")
        {
            template.Source = "custom";
        }
        var row = await db.QuestionnaireTemplates.FirstOrDefaultAsync(t => t.Key == template.Key, ct);
        if (row is { IsBuiltIn: true })
        {
            return Outcome<TemplateSummary>.Conflict($"'{template.Key}' is the built-in questionnaire; save your version under another key.");
        }
        var json = TemplateFormat.ToJson(template);
        if (row is null)
        {
            row = new QuestionnaireTemplateRow();
            db.Add(row);
        }
        else
        {
            template.Version = Math.Max(template.Version, row.Version + 1);
            json = TemplateFormat.ToJson(template);
        }
        Row(row, template, json);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("questionnaire.saved", "questionnaire", template.Key, null, new Dictionary<string, object?>
        {
            ["title"] = template.Title, ["source"] = template.Source, ["version"] = template.Version, ["questions"] = row.QuestionCount,
        }, ct);
        return Outcome<TemplateSummary>.Ok(Summary(row));
    }

    public async Task<Outcome<bool>> DeleteAsync(string key, CancellationToken ct = default)
    {
        var row = await db.QuestionnaireTemplates.FirstOrDefaultAsync(t => t.Key == key, ct);
        if (row is null)
        {
            return Outcome<bool>.NotFound($"There is no questionnaire '{key}'.");
        }
        if (row.IsBuiltIn)
        {
            return Outcome<bool>.Conflict("The built-in questionnaire cannot be deleted.");
        }
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("questionnaire.deleted", "questionnaire", key, null, null, ct);
        return Outcome<bool>.Ok(true);
    }

    private static QuestionnaireTemplateRow Row(QuestionnaireTemplateRow row, QuestionnaireTemplate t, string json)
    {
        row.Key = t.Key;
        row.Title = t.Title;
        row.Source = t.Source ?? "custom";
        row.Version = t.Version;
        row.QuestionCount = t.AllQuestions.Count();
        row.Definition = json;
        return row;
    }

    private static TemplateSummary Summary(QuestionnaireTemplateRow r) =>
        new(r.Id, r.Key, r.Title, r.Source, r.Version, r.QuestionCount, r.IsBuiltIn, r.ModifiedAt);
}
