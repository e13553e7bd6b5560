using System.Text;
using Microsoft.Extensions.AI;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Tests;

/// <summary>The optional LLM second opinion, with a scripted model standing in for the vendor's remote API.</summary>
public class LlmReviewTests
{
    private sealed class ScriptedModel(Func<string, string> answer) : IChatClient
    {
        public List<string> Prompts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages.Last().Text;
            Prompts.Add(prompt);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(prompt))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private const string Contract = """
        1. Security Incidents. Vendor will notify Customer of a Security Incident without undue delay.
        2. Encryption. Vendor encrypts Customer Data at rest and in transit.
        3. Models. Vendor commits that prompts and outputs are excluded from every model improvement programme it runs.
        4. General. The parties agree that this Agreement is governed by the laws of Ireland.
        """;

    private static (ContractDocument Doc, ContractAnalysis Analysis) Analyze()
    {
        var doc = DocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Contract)), "c.txt");
        return (doc, new ClauseAnalyzer(ClausePlaybook.Default()).Analyze(doc));
    }

    private static int Numbered(string prompt, string contains) =>
        int.Parse(prompt.Split('\n').First(l => l.Contains(contains, StringComparison.Ordinal))[1..].Split(']')[0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task OnlyGapsAreAsked_AndTheOpinionQuotesTheDocumentItself()
    {
        var (doc, analysis) = Analyze();
        Assert.Equal(ClauseStatus.Present, analysis.Clauses["encryption"].Status);
        var model = new ScriptedModel(p => p.Contains("(non-training)", StringComparison.Ordinal)
            ? $$"""{"status":"present","sentence":{{Numbered(p, "model improvement")}},"reason":"Prompts and outputs are excluded from training."}"""
            : """{"status":"missing","sentence":null,"reason":"Not addressed."}""");

        var opinions = await new LlmClauseReviewer(model).ReviewAsync(doc, analysis);

        Assert.DoesNotContain(model.Prompts, p => p.Contains("(encryption)", StringComparison.Ordinal));
        var training = Assert.Single(opinions, o => o.Kind == "non-training");
        Assert.Equal(ClauseStatus.Present, training.Status);
        Assert.Equal(doc.Text[training.Location!.Start..training.Location.End], training.Evidence);
        Assert.Contains("model improvement programme", training.Evidence, StringComparison.Ordinal);
        // The deterministic finding is left as it was.
        Assert.Equal(ClauseStatus.Missing, analysis.Clauses["non-training"].Status);
    }

    [Theory]
    [InlineData("""{"status":"present","sentence":99,"reason":"x"}""")]
    [InlineData("""{"status":"present","reason":"no sentence named"}""")]
    [InlineData("""{"status":"excellent","sentence":1,"reason":"x"}""")]
    [InlineData("""{"status":"2","sentence":1,"reason":"x"}""")]
    [InlineData("The clause is present, see sentence 1.")]
    [InlineData("""{"status":"present","sentence":1""")]
    [InlineData("")]
    public async Task AnswersThatDoNotPointAtAListedSentence_AreIgnored(string answer)
    {
        var (doc, analysis) = Analyze();
        var opinions = await new LlmClauseReviewer(new ScriptedModel(_ => answer)).ReviewAsync(doc, analysis);
        Assert.Empty(opinions);
    }
}
