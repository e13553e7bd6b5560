using System.Text;
using Proviso.Gateway;
using Proviso.Privacy;
using Proviso.Privacy.Operators;

namespace Proviso.Tests.Gateway;

public class RestoringStreamTests
{
    private static (PayloadPseudonymizer Restorer, string Token) Scope(string scope)
    {
        var anonymizer = new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault());
        var token = anonymizer.Apply(new OperatorConfig { Kind = OperatorKind.Token }, Entities.Person, "Margaret Thompson", scope);
        return (new PayloadPseudonymizer(new PiiDetector(), anonymizer), token);
    }

    [Fact]
    public void ADocumentThatIsOneString_IsRestored_AndCannotSlipThroughMaskingUnseen()
    {
        var (restorer, token) = Scope("s0");
        Assert.Equal("\"Dear Margaret Thompson,\"", restorer.RestoreJson($"\"Dear {token},\"", "s0"));
        Assert.Equal("\"Dear Margaret Thompson,\"", Encoding.UTF8.GetString(restorer.RestoreJsonUtf8(Encoding.UTF8.GetBytes($"\"Dear {token},\""), "s0")!));
        Assert.Null(restorer.RestoreJsonUtf8("\"nothing to restore\""u8, "s0"));

        // Masking a bare string in place is impossible (no parent to hold the copy): refused, never a silent pass-through.
        var policy = new GatewayPolicy();
        var bare = System.Text.Json.Nodes.JsonValue.Create("Call Margaret Thompson on (415) 555-2671")!;
        Assert.Throws<ArgumentException>(() => restorer.Pseudonymize(bare, policy, "s0"));
        System.Text.Json.Nodes.JsonNode document = bare;
        var findings = restorer.PseudonymizeRoot(ref document, policy, "s0");
        Assert.True(findings.Types.Count > 0);
        Assert.Null(document.Parent);
        Assert.DoesNotContain("555-2671", document.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamedEventArrivingByteByByte_IsRestoredOnceItsLineEnds()
    {
        var (restorer, token) = Scope("s1");
        using var output = new MemoryStream();
        var stream = new RestoringStream(output, restorer, "s1", streaming: true, maxBuffered: 1024 * 1024);
        var bytes = Encoding.UTF8.GetBytes($"data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"Hello {token}, welcome.\"}}}}]}}\n\ndata: [DONE]\n\n");
        foreach (var b in bytes)
        {
            await stream.WriteAsync(new[] { b });
        }
        await stream.CompleteAsync(CancellationToken.None);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("Hello Margaret Thompson, welcome.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndlessStreamedLine_IsRefusedAtTheLimit_NotBufferedForever()
    {
        var (restorer, _) = Scope("s2");
        using var output = new MemoryStream();
        var stream = new RestoringStream(output, restorer, "s2", streaming: true, maxBuffered: 64 * 1024);
        var chunk = Encoding.UTF8.GetBytes("data: " + new string('x', 4090));
        var ex = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await stream.WriteAsync(chunk);
            }
        });
        Assert.Contains("without ending", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length); // nothing of the unfinished event went out
    }
}
