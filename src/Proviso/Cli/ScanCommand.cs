using System.CommandLine;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;
using Microsoft.Extensions.AI;

namespace Proviso.Cli;

/// <summary><c>proviso scan FILE… [--json] [--md DIR] [--html DIR] [--playbook P] [--llm-url URL --llm-model M]</c>: the contract review engine on files.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Contracts to review (PDF, DOCX, Markdown, HTML, text).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per file, every clause kind in each." };
        var md = new Option<DirectoryInfo?>("--md") { Description = "Write a Markdown gap report per file into this directory." };
        var html = new Option<DirectoryInfo?>("--html") { Description = "Write an HTML gap report per file into this directory." };
        var playbookOption = new Option<FileInfo?>("--playbook") { Description = "YAML overrides for the default playbook." };
        var llmUrl = new Option<string?>("--llm-url")
        {
            Description = "Optional LLM second opinion on missing and weak clauses: an OpenAI-compatible base URL, ideally Proviso's own gateway (…/v1). The key is read from PROVISO_LLM_API_KEY.",
        };
        var llmModel = new Option<string>("--llm-model") { Description = "Model name for --llm-url.", DefaultValueFactory = _ => "gpt-4o-mini" };
        var command = new Command("scan", "Find and grade the playbook's 16 clauses in contracts.") { files, json, md, html, playbookOption, llmUrl, llmModel };
        command.SetAction(async (parse, ct) =>
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
            Uri? llmEndpoint = null;
            if (parse.GetValue(llmUrl) is { } rawUrl
                && (!Uri.TryCreate(rawUrl, UriKind.Absolute, out llmEndpoint) || llmEndpoint.Scheme is not ("http" or "https")))
            {
                Console.Error.WriteLine($"proviso: --llm-url: '{rawUrl}' is not an http(s) URL");
                return 1;
            }
            var analyzer = new ClauseAnalyzer(playbook);
            var results = new List<ContractAnalysis>();
            var documents = new List<ContractDocument>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var document = DocumentReader.Read(file.FullName);
                    documents.Add(document);
                    var result = analyzer.Analyze(document);
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
            var opinions = llmEndpoint is { } url
                ? await LlmOpinionsAsync(url, parse.GetValue(llmModel)!, documents, results, ct)
                : null;
            WriteReports(parse.GetValue(md), ".review.md", results, r => ScanOutput.ToMarkdown(r, playbook));
            WriteReports(parse.GetValue(html), ".review.html", results, r => ScanOutput.ToHtml(r, playbook));
            if (parse.GetValue(json))
            {
                Console.WriteLine(ScanOutput.ToJsonArray(results, opinions));
            }
            else
            {
                foreach (var r in results)
                {
                    Console.WriteLine($"{r.File}: score {r.Score}");
                    foreach (var kind in ClausePlaybook.Kinds)
                    {
                        var llm = opinions?.GetValueOrDefault(r)?.FirstOrDefault(o => o.Kind == kind);
                        Console.WriteLine($"  {kind,-26} {r.Clauses[kind].Status.Key()}{(llm is null ? "" : $"   (LLM: {llm.Status.Key()} — {llm.Reason})")}");
                    }
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The LLM's second opinion per file. The deterministic engine stands on its own: when the model
    /// cannot be reached, the scan reports that on stderr and goes on without it.
    /// </summary>
    private static async Task<Dictionary<ContractAnalysis, IReadOnlyList<LlmOpinion>>?> LlmOpinionsAsync(
        Uri url, string model, List<ContractDocument> documents, List<ContractAnalysis> results, CancellationToken ct)
    {
        var key = Environment.GetEnvironmentVariable("PROVISO_LLM_API_KEY") is { Length: > 0 } k ? k : "none";
        using var client = new OpenAI.Chat.ChatClient(model, new System.ClientModel.ApiKeyCredential(key),
            new OpenAI.OpenAIClientOptions { Endpoint = url, NetworkTimeout = TimeSpan.FromSeconds(60) }).AsIChatClient();
        var reviewer = new LlmClauseReviewer(client);
        var opinions = new Dictionary<ContractAnalysis, IReadOnlyList<LlmOpinion>>();
        try
        {
            for (var i = 0; i < results.Count; i++)
            {
                opinions[results[i]] = await reviewer.ReviewAsync(documents[i], results[i], ct);
            }
        }
        catch (Exception ex) when (ex is System.ClientModel.ClientResultException or HttpRequestException or TaskCanceledException or AggregateException)
        {
            Console.Error.WriteLine($"proviso: LLM review skipped: {ex.Message.Split('\n')[0]}");
            return null;
        }
        return opinions;
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
