using System.CommandLine;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Cli;

/// <summary><c>proviso scan FILE… [--json] [--md DIR] [--html DIR] [--playbook P]</c>: the contract review engine on files.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Contracts to review (PDF, DOCX, Markdown, HTML, text).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per file, every clause kind in each." };
        var md = new Option<DirectoryInfo?>("--md") { Description = "Write a Markdown gap report per file into this directory." };
        var html = new Option<DirectoryInfo?>("--html") { Description = "Write an HTML gap report per file into this directory." };
        var playbookOption = new Option<FileInfo?>("--playbook") { Description = "YAML overrides for the default playbook." };
        var command = new Command("scan", "Find and grade the playbook's 16 clauses in contracts.") { files, json, md, html, playbookOption };
        command.SetAction(parse =>
        {
            ClausePlaybook playbook;
            try
            {
                playbook = parse.GetValue(playbookOption) is { } p ? ClausePlaybook.WithOverrides(File.ReadAllText(p.FullName)) : ClausePlaybook.Default();
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                Console.Error.WriteLine($"proviso: playbook: {ex.Message}");
                return 1;
            }
            var analyzer = new ClauseAnalyzer(playbook);
            var results = new List<ContractAnalysis>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var result = analyzer.Analyze(DocumentReader.Read(file.FullName));
                    if (result.Warning is not null)
                    {
                        Console.Error.WriteLine($"proviso: {file.Name}: warning: {result.Warning}");
                    }
                    results.Add(result);
                }
                catch (DocumentReadException ex)
                {
                    Console.Error.WriteLine($"proviso: {file.Name}: {ex.Message}");
                    return 1;
                }
            }
            WriteReports(parse.GetValue(md), ".review.md", results, r => ScanOutput.ToMarkdown(r, playbook));
            WriteReports(parse.GetValue(html), ".review.html", results, r => ScanOutput.ToHtml(r, playbook));
            if (parse.GetValue(json))
            {
                Console.WriteLine(ScanOutput.ToJsonArray(results));
            }
            else
            {
                foreach (var r in results)
                {
                    Console.WriteLine($"{r.File}: score {r.Score}");
                    foreach (var kind in ClausePlaybook.Kinds)
                    {
                        Console.WriteLine($"  {kind,-26} {r.Clauses[kind].Status.ToString().ToLowerInvariant()}");
                    }
                }
            }
            return 0;
        });
        return command;
    }

    private static void WriteReports(DirectoryInfo? dir, string suffix, List<ContractAnalysis> results, Func<ContractAnalysis, string> render)
    {
        if (dir is null)
        {
            return;
        }
        dir.Create();
        foreach (var r in results)
        {
            File.WriteAllText(Path.Combine(dir.FullName, Path.GetFileNameWithoutExtension(r.File) + suffix), render(r));
        }
    }
}
