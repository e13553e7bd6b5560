using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using Proviso.Accounts;
using Proviso.Data;
using Proviso.Gateway;
using Proviso.Hosting;
using Proviso.Privacy;
using Proviso.Privacy.Operators;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Gateway;

/// <summary>The gateway driven by the official OpenAI .NET SDK against a local stub vendor.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string Key = "pgw_test_demo_key_0123456789";
    private const string Message = "Hi, I am Margaret Thompson, write to margaret.thompson@example.com or call (415) 555-2671 about card 4111 1111 1111 1111.";
    private static readonly string[] Originals = ["Margaret Thompson", "margaret.thompson@example.com", "(415) 555-2671", "4111 1111 1111 1111"];

    private StubUpstream _stub = null!;
    private ProvisoFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubUpstream.StartAsync();
        _factory = NewFactory(_stub.BaseUrl);
        _ = _factory.Services;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _stub.DisposeAsync();
    }

    private static ProvisoFactory NewFactory(string upstream) => new(DatabaseProvider.Sqlite, new Dictionary<string, string?>
    {
        ["Proviso:Demo:Enabled"] = "true",
        ["Proviso:Demo:UpstreamUrl"] = upstream,
        ["Proviso:Demo:GatewayKey"] = Key,
    });

    private static ChatClient Chat(ProvisoFactory factory, string key = Key, string model = "demo-llm") =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    [Fact]
    public async Task Chat_MasksEveryDetectedValueBeforeTheVendor_AndRestoresThemForTheCaller()
    {
        ChatCompletion completion = await Chat(_factory).CompleteChatAsync([new UserChatMessage(Message)]);

        Assert.Equal("You said: " + Message, completion.Content[0].Text);
        var received = _stub.AllReceived;
        Assert.Single(_stub.Received);
        foreach (var original in Originals)
        {
            Assert.DoesNotContain(original, received);
        }
        Assert.Contains("<PERSON_1>", received);
        Assert.Contains("<EMAIL_ADDRESS_1>", received);
    }

    [Fact]
    public async Task ANameACueRevealsInOneMessage_IsMaskedInTheOthersToo()
    {
        // "Mali" alone says nothing; "my kid Mali" in the system prompt does. The user's message must not leak it.
        const string user = "Write a short sick note for Mali, please.";
        ChatCompletion completion = await Chat(_factory).CompleteChatAsync([new SystemChatMessage("You help a parent. My kid Mali has a fever."), new UserChatMessage(user)]);

        Assert.DoesNotContain("Mali", _stub.AllReceived, StringComparison.Ordinal);
        Assert.Equal("You said: " + user, completion.Content[0].Text);
    }

    [Fact]
    public async Task EachCallsPseudonyms_AreForgottenOnceItsAnswerIsSent()
    {
        var vault = Assert.IsType<InMemoryVault>(_factory.Services.GetRequiredService<IPseudonymVault>());
        for (var i = 0; i < 5; i++)
        {
            await Chat(_factory).CompleteChatAsync([new UserChatMessage(Message)]);
        }
        await foreach (var _ in Chat(_factory).CompleteChatStreamingAsync([new UserChatMessage(Message)]))
        {
        }
        // Dropped when each response completes: the vault does not grow with traffic.
        for (var wait = 0; wait < 50 && vault.ScopeCount > 0; wait++)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, vault.ScopeCount);
    }

    [Fact]
    public async Task StreamedChat_RestoresPseudonymsSplitAcrossEvents()
    {
        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in Chat(_factory).CompleteChatStreamingAsync([new UserChatMessage(Message)]))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }
        Assert.True(updates > 10, "the answer should arrive in many pieces");
        Assert.Equal("You said: " + Message, text.ToString());
        foreach (var original in Originals)
        {
            Assert.DoesNotContain(original, _stub.AllReceived);
        }
    }

    [Fact]
    public async Task Metrics_CountCallsByOutcome_ForPrometheus_AndOnlyForGatewayManagers()
    {
        await Chat(_factory).CompleteChatAsync([new UserChatMessage(Message)]);
        await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory).CompleteChatAsync([new UserChatMessage("Update medical record number 00483921 for the patient.")]));
        await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory, key: "pgw_wrong").CompleteChatAsync([new UserChatMessage("hi")]));

        var anonymous = await _factory.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var procurement = await (await _factory.ClientAsAsync(Roles.Procurement)).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, procurement.StatusCode);

        var security = await _factory.ClientAsAsync(Roles.Security);
        string text = "";
        // The exporter caches a scrape briefly; the counts are there once the calls above are.
        for (var attempt = 0; attempt < 50 && !text.Contains("outcome=\"rejected\"", StringComparison.Ordinal); attempt++)
        {
            text = await security.GetStringAsync("/metrics");
            await Task.Delay(100);
        }
        var forwarded = text.Split('\n').FirstOrDefault(l => l.StartsWith("proviso_gateway_calls_total{", StringComparison.Ordinal) && l.Contains("outcome=\"forwarded\"", StringComparison.Ordinal));
        Assert.True(forwarded is not null, text);
        Assert.Contains("vendor=\"", forwarded, StringComparison.Ordinal);
        Assert.Contains("status=\"200\"", forwarded, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("proviso_gateway_calls_total{", StringComparison.Ordinal) && l.Contains("outcome=\"blocked\"", StringComparison.Ordinal) && l.Contains("status=\"422\"", StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("proviso_gateway_calls_total{", StringComparison.Ordinal) && l.Contains("outcome=\"rejected\"", StringComparison.Ordinal) && l.Contains("status=\"401\"", StringComparison.Ordinal));
        Assert.Contains("proviso_gateway_preparation_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("entity=\"EMAIL_ADDRESS\"", text, StringComparison.Ordinal);
        // Names and counts only: no value the caller sent.
        foreach (var original in Originals)
        {
            Assert.DoesNotContain(original, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BlockedCategory_Returns422NamingTheCategory_AndSendsNothing()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat(_factory).CompleteChatAsync([new UserChatMessage("Update medical record number 00483921 for the patient.")]));

        Assert.Equal(422, ex.Status);
        var body = ex.GetRawResponse()!.Content.ToString();
        Assert.Contains("category:health", body);
        Assert.DoesNotContain("00483921", body);
        Assert.Empty(_stub.Received);
    }

    [Fact]
    public async Task BadKeysAndModels_AreClearErrors()
    {
        Assert.Equal(401, (await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory, key: "pgw_wrong").CompleteChatAsync([new UserChatMessage("hi")]))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory, model: "gpt-nope").CompleteChatAsync([new UserChatMessage("hi")]))).Status);

        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var malformed = await http.PostAsync("/v1/chat/completions", new StringContent("{\"model\":\"demo-llm\",", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        var huge = await http.PostAsync("/v1/chat/completions", new StringContent("{\"model\":\"demo-llm\",\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Empty(_stub.Received);
    }

    [Fact]
    public async Task ABodyWithoutLength_IsReadWhole_AndRefusedOverTheLimit()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        static HttpContent Chunked(string json)
        {
            // No Content-Length: the body arrives chunked, as from a streaming client.
            var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return content;
        }
        var ok = await http.PostAsync("/v1/chat/completions",
            Chunked("{\"model\":\"demo-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Mail jane.doe@example.com about ünïcode 🚀 " + new string('x', 40_000) + "\"}]}"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var sent = _stub.Received.Last();
        Assert.DoesNotContain("jane.doe@example.com", sent, StringComparison.Ordinal);
        var forwarded = System.Text.Json.Nodes.JsonNode.Parse(sent)!["messages"]![0]!["content"]!.GetValue<string>();
        Assert.EndsWith("ünïcode 🚀 " + new string('x', 40_000), forwarded, StringComparison.Ordinal);
        var answer = await ok.Content.ReadAsByteArrayAsync();
        Assert.Contains("jane.doe@example.com", Encoding.UTF8.GetString(answer), StringComparison.Ordinal);
        // The restored answer goes out whole with its length (not chunked).
        Assert.Equal(answer.Length, ok.Content.Headers.ContentLength);

        var count = _stub.Received.Count;
        var huge = await http.PostAsync("/v1/chat/completions", Chunked("{\"model\":\"demo-llm\",\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(count, _stub.Received.Count);
    }

    [Fact]
    public async Task HalfASurrogatePair_IsMalformedJson_AndNothingIsSent()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var count = _stub.Received.Count;
        foreach (var text in new[] { "hi \\ud83d there", "\\ude80 first", "end \\ud83d", "upper \\uD83D case" })
        {
            var response = await http.PostAsync("/v1/chat/completions", new StringContent(
                "{\"model\":\"demo-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + ", mail jane.doe@example.com\"}]}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("surrogate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(count, _stub.Received.Count);

        // A whole pair, escaped as clients often send it, is a character like any other.
        var paired = await http.PostAsync("/v1/chat/completions", new StringContent(
            "{\"model\":\"demo-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"launch \\ud83d\\ude80, mail jane.doe@example.com\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, paired.StatusCode);
        Assert.Contains("launch 🚀", System.Text.Json.Nodes.JsonNode.Parse(_stub.Received.Last())!["messages"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerWithNothingToRestore_IsPassedOnAsTheVendorWroteIt()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        static StringContent Ask(string text) => new(
            "{\"model\":\"demo-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}", Encoding.UTF8, "application/json");

        // The stub escapes "é" as \u00E9; with nothing to restore those are the bytes the caller gets.
        var plain = await (await http.PostAsync("/v1/chat/completions", Ask("Caf\u00e9 opens at nine"))).Content.ReadAsStringAsync();
        Assert.Contains("Caf\\u00E9", plain, StringComparison.Ordinal);
        Assert.Equal("You said: Café opens at nine", System.Text.Json.Nodes.JsonNode.Parse(plain)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());

        // With a pseudonym in it, the answer is restored (and written anew).
        var restored = await (await http.PostAsync("/v1/chat/completions", Ask("Caf\u00e9 mail: jane.doe@example.com"))).Content.ReadAsStringAsync();
        Assert.Equal("You said: Café mail: jane.doe@example.com", System.Text.Json.Nodes.JsonNode.Parse(restored)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.DoesNotContain("<EMAIL_ADDRESS", restored, StringComparison.Ordinal);
    }

    [Fact]
    public void TheForwardedBody_IsTheSameBytesAsTheDocumentsJsonText()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(
            "{\"model\":\"m\",\"n\":1.50,\"deep\":[true,null,{\"s\":\"<b>&amp; \\\"q\\\" \\u0001 é 日本 🚀 \\ud83d\\ude80\"}],\"big\":\"" + new string('z', 70_000) + "\"}")!;
        var expected = Encoding.UTF8.GetBytes(node.ToJsonString(global::Proviso.Gateway.PayloadPseudonymizer.JsonOptions));
        Assert.Equal(expected, global::Proviso.Gateway.PayloadPseudonymizer.ToUtf8(node));
        Assert.Equal(expected, global::Proviso.Gateway.PayloadPseudonymizer.ToUtf8(node)); // the reused buffer starts clean
    }

    [Fact]
    public async Task RevokedApplication_IsRejectedAtOnce()
    {
        var admin = await _factory.ClientAsAsync(global::Proviso.Accounts.Roles.Admin);
        var apps = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<List<Proviso.Gateway.GatewayApplicationView>>(admin, "/api/gateway/applications", ProvisoFactory.Json);
        var demo = apps!.Single(a => a.Name == "demo-app");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/gateway/applications/{demo.Id}/revoke", null)).StatusCode);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory).CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, ex.Status);
    }

    [Fact]
    public async Task EveryCall_IsOnTheLedgerWithCountsAndNoValues()
    {
        await Chat(_factory).CompleteChatAsync([new UserChatMessage(Message)]);
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ProvisoDbContext>();
        var entries = await db.LedgerEntries.Where(e => e.Action == "gateway.call").ToListAsync();
        var payload = Encoding.UTF8.GetString(entries.Last().Payload);
        Assert.Contains("\"contact-data\":3", payload);
        Assert.Contains("\"financial\":1", payload);
        Assert.Contains("\"application\":\"demo-app\"", payload);
        foreach (var original in Originals)
        {
            Assert.DoesNotContain(original, payload);
        }
    }

    [Fact]
    public async Task UpstreamDown_IsA502_WithAReason()
    {
        var dead = await StubUpstream.StartAsync();
        var url = dead.BaseUrl;
        await dead.DisposeAsync();
        await using var factory = NewFactory(url);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat(factory).CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal(502, ex.Status);
        Assert.Contains("did not answer", ex.GetRawResponse()!.Content.ToString());
    }

    [Fact]
    public async Task Embeddings_AreMaskedToo_AndModelsListsWhatTheKeyMayCall()
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(_factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(_factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        };
        var embeddings = new OpenAI.Embeddings.EmbeddingClient("demo-llm", new ApiKeyCredential(Key), options);
        var result = await embeddings.GenerateEmbeddingAsync("Margaret Thompson lives at 742 Evergreen Terrace, Springfield, OR 97477");
        Assert.Equal(3, result.Value.ToFloats().Length);
        Assert.DoesNotContain("Margaret Thompson", _stub.AllReceived);
        Assert.DoesNotContain("742 Evergreen Terrace", _stub.AllReceived);

        var models = await new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential(Key), options).GetModelsAsync();
        Assert.Equal(["demo-llm"], models.Value.Select(m => m.Id));
    }

    [Fact]
    public async Task GenericRoutes_MaskJsonAndTextBodies_RestoreAnswers_AndRefuseWhatCannotBeInspected()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        var json = await http.PostAsync("/gateway/demo-llm/tickets/42?priority=high",
            new StringContent("{\"reporter\":\"Margaret Thompson\",\"contact\":\"margaret.thompson@example.com\",\"count\":3}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("{\"reporter\":\"Margaret Thompson\",\"contact\":\"margaret.thompson@example.com\",\"count\":3}", await json.Content.ReadAsStringAsync());
        Assert.Contains("?priority=high", _stub.AllReceived);

        var text = await http.PostAsync("/gateway/demo-llm/tickets/43", new StringContent("Call (415) 555-2671 for Margaret Thompson", Encoding.UTF8, "text/plain"));
        Assert.Equal("Call (415) 555-2671 for Margaret Thompson", await text.Content.ReadAsStringAsync());

        var binary = await http.PostAsync("/gateway/demo-llm/tickets/44", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, binary.StatusCode);

        foreach (var original in Originals.Take(3))
        {
            Assert.DoesNotContain(original, _stub.AllReceived);
        }
    }

    [Fact]
    public async Task GenericRoutes_MaskBareStringAndArrayDocuments_AndRestoreThem()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        // A JSON document that is one string has no member to hold its masked copy; it used to be sent as it came.
        const string bare = "\"Call (415) 555-2671 for Margaret Thompson\"";
        var scalar = await http.PostAsync("/gateway/demo-llm/tickets/45", new StringContent(bare, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        var forwarded = _stub.Received.Last();
        Assert.DoesNotContain("555-2671", forwarded);
        Assert.DoesNotContain("Margaret Thompson", forwarded);
        Assert.Matches(" \"[^\"]+\"$", forwarded); // still one JSON string
        Assert.Equal(bare, await scalar.Content.ReadAsStringAsync());

        const string array = "[\"Margaret Thompson\",{\"contact\":\"margaret.thompson@example.com\"},7,null]";
        var list = await http.PostAsync("/gateway/demo-llm/tickets/46", new StringContent(array, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        forwarded = _stub.Received.Last();
        Assert.DoesNotContain("Margaret Thompson", forwarded);
        Assert.DoesNotContain("margaret.thompson@example.com", forwarded);
        Assert.Contains(",7,null]", forwarded);
        Assert.Equal(array, await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DatabaseVault_AndConfiguredCustomRecognizer_WorkEndToEnd()
    {
        await using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Demo:Enabled"] = "true",
            ["Proviso:Demo:UpstreamUrl"] = _stub.BaseUrl,
            ["Proviso:Demo:GatewayKey"] = Key,
            ["Proviso:Privacy:Vault"] = "database",
            ["Proviso:Privacy:CustomRecognizers:0:Type"] = "EMPLOYEE_ID",
            ["Proviso:Privacy:CustomRecognizers:0:Pattern"] = @"\bEMP-\d{6}\b",
            ["Proviso:Privacy:CustomRecognizers:0:Score"] = "0.9",
        });
        ChatCompletion completion = await Chat(factory).CompleteChatAsync([new UserChatMessage("Employee EMP-004211 is Margaret Thompson.")]);
        Assert.Equal("You said: Employee EMP-004211 is Margaret Thompson.", completion.Content[0].Text);
        Assert.DoesNotContain("EMP-004211", _stub.AllReceived);
        Assert.Contains("<EMPLOYEE_ID_1>", _stub.AllReceived);
        Assert.True(File.Exists(Path.Combine(factory.DataDir, "vault.key")));
    }

    private static ChatClient ChatInConversation(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string conversation)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Proviso-Conversation", conversation);
        return new("demo-llm", new ApiKeyCredential(Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        });
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("database")]
    public async Task AConversationsCalls_SharePseudonyms_SoAnAnswerCanNameSomeoneFromAnEarlierCall(string vault)
    {
        await using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Demo:Enabled"] = "true",
            ["Proviso:Demo:UpstreamUrl"] = _stub.BaseUrl,
            ["Proviso:Demo:GatewayKey"] = Key,
            ["Proviso:Privacy:Vault"] = vault,
        });
        var conversation = "thread-" + Guid.NewGuid().ToString("N");
        await ChatInConversation(factory, conversation).CompleteChatAsync([new UserChatMessage("Hi, this is Margaret Thompson.")]);
        await ChatInConversation(factory, conversation).CompleteChatAsync([new UserChatMessage("Please add Daniel Moore and Margaret Thompson.")]);
        // The same person keeps her pseudonym across the conversation's calls; the vendor never sees her name.
        Assert.Contains("Please add <PERSON_2> and <PERSON_1>.", _stub.AllReceived, StringComparison.Ordinal);
        Assert.DoesNotContain("Margaret", _stub.AllReceived, StringComparison.Ordinal);
        // The conversation header is Proviso's: the vendor never sees it.
        Assert.NotEmpty(_stub.ReceivedHeaderNames);
        Assert.DoesNotContain(_stub.ReceivedHeaderNames, h => h.Equals("X-Proviso-Conversation", StringComparison.OrdinalIgnoreCase));

        // A vendor that keeps the conversation may answer with a pseudonym of an earlier call: it is restored.
        ChatCompletion answer = await ChatInConversation(factory, conversation).CompleteChatAsync([new UserChatMessage("Who is <PERSON_2>?")]);
        Assert.Equal("You said: Who is Daniel Moore?", answer.Content[0].Text);
        // Without the conversation a call has its own pseudonyms: nothing of the conversation's is revealed.
        ChatCompletion alone = await Chat(factory).CompleteChatAsync([new UserChatMessage("Who is <PERSON_2>?")]);
        Assert.Equal("You said: Who is <PERSON_2>?", alone.Content[0].Text);

        using (var ledger = factory.Services.CreateScope())
        {
            // The ledger groups the conversation's calls under one tag, never the caller's label.
            var payloads = (await ledger.ServiceProvider.GetRequiredService<ProvisoDbContext>().LedgerEntries.Where(e => e.Action == "gateway.call").ToListAsync())
                .Select(e => Encoding.UTF8.GetString(e.Payload)).ToList();
            var tags = payloads.Select(p => System.Text.Json.JsonDocument.Parse(p).RootElement).Select(Tag).ToList();
            Assert.Equal(4, tags.Count);
            Assert.Single(tags.Take(3).Distinct());
            Assert.Matches("^[0-9a-f]{16}$", tags[0]);
            Assert.Null(tags[3]);
            Assert.All(payloads, p => Assert.DoesNotContain(conversation, p, StringComparison.Ordinal));
            // Keyed: hashing a guessed label (as an unkeyed digest would allow) does not reproduce the tag.
            var appId = (await ledger.ServiceProvider.GetRequiredService<ProvisoDbContext>().LedgerEntries.Where(e => e.Action == "gateway.call").FirstAsync()).Payload;
            var subject = System.Text.Json.JsonDocument.Parse(appId).RootElement.GetProperty("subjectId").GetString()!;
            var guessed = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{Guid.Parse(subject):N}:{conversation}")))[..16];
            Assert.NotEqual(guessed, tags[0]);
        }

        if (vault == "database")
        {
            using var services = factory.Services.CreateScope();
            var db = services.ServiceProvider.GetRequiredService<ProvisoDbContext>();
            // Only the conversation's mappings are stored (encrypted); calls without one never touch the table.
            var stored = db.VaultEntries.AsNoTracking().ToList();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, e => Assert.StartsWith("conv:", e.Scope, StringComparison.Ordinal));
        }
    }

    private static string? Tag(System.Text.Json.JsonElement element)
    {
        if (element.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                if (p.Name == "conversation" && p.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    return p.Value.GetString();
                }
                if (Tag(p.Value) is { } nested)
                {
                    return nested;
                }
            }
        }
        return null;
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task AnInvalidConversationId_IsA400_AndNothingIsSent(string id)
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => ChatInConversation(_factory, id).CompleteChatAsync([new UserChatMessage(Message)]));
        Assert.Equal(400, ex.Status);
        Assert.Contains("X-Proviso-Conversation", ex.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        Assert.Empty(_stub.Received);
    }

    [Fact]
    public async Task UpstreamInvalidJson_IsA502_AndUpstreamErrorsPassThroughRestored()
    {
        var bad = await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory).CompleteChatAsync([new UserChatMessage("__badjson__ from Margaret Thompson")]));
        Assert.Equal(502, bad.Status);
        Assert.Contains("invalid JSON", bad.GetRawResponse()!.Content.ToString());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory).CompleteChatAsync([new UserChatMessage("__error__")]));
        Assert.Equal(500, error.Status);
        Assert.Contains("model overloaded", error.GetRawResponse()!.Content.ToString());
        Assert.DoesNotContain("Margaret Thompson", _stub.AllReceived);
    }

    [Fact]
    public async Task UpstreamResetMidStream_EndsTheCallersStream_WithoutLeakingAnything()
    {
        var ex = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in Chat(_factory).CompleteChatStreamingAsync([new UserChatMessage("__reset__ I am Margaret Thompson")]))
            {
            }
        });
        Assert.NotNull(ex);
        Assert.DoesNotContain("Margaret Thompson", _stub.AllReceived);
        // The gateway stays healthy for the next call.
        ChatCompletion next = await Chat(_factory).CompleteChatAsync([new UserChatMessage("hello")]);
        Assert.Equal("You said: hello", next.Content[0].Text);
    }

    [Fact]
    public async Task LedgerFailure_FailsClosed_With503_AndNothingForwarded()
    {
        using (var scope = _factory.Services.CreateScope())
        {
            // The ledger's table disappears behind its back: a real storage failure.
            await scope.ServiceProvider.GetRequiredService<ProvisoDbContext>().Database.ExecuteSqlRawAsync("ALTER TABLE ledger_entries RENAME TO ledger_entries_gone");
        }
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat(_factory).CompleteChatAsync([new UserChatMessage(Message)]));
        Assert.Equal(503, ex.Status);
        Assert.Contains("nothing was sent", ex.GetRawResponse()!.Content.ToString());
        Assert.Empty(_stub.Received);
    }

    [Fact]
    public async Task VaultFailure_FailsClosed_With503()
    {
        await using var factory = (ProvisoFactory)NewFactory(_stub.BaseUrl);
        using var broken = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPseudonymVault, BrokenVault>()));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => ChatOn(broken).CompleteChatAsync([new UserChatMessage(Message)]));
        Assert.Equal(503, ex.Status);
        Assert.Empty(_stub.Received);
    }

    [Fact]
    public async Task DatabaseVaultWriteFailure_FailsClosed_With503_NamingTheVault()
    {
        await using var factory = (ProvisoFactory)NewFactory(_stub.BaseUrl);
        using var broken = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPseudonymVault, UnwritableStore>()));
        // A call's own pseudonyms never leave memory; a conversation's must be stored before anything is forwarded.
        ChatCompletion own = await ChatOn(broken).CompleteChatAsync([new UserChatMessage(Message)]);
        Assert.Equal("You said: " + Message, own.Content[0].Text);
        _stub.Received.Clear();
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => ChatInConversation(broken, "thread-1").CompleteChatAsync([new UserChatMessage(Message)]));
        Assert.Equal(503, ex.Status);
        Assert.Contains("vault", ex.GetRawResponse()!.Content.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_stub.Received);
    }

    [Fact]
    public async Task AConversationRace_IsRetriedOnce_WithTheConversationAsItIsNow()
    {
        await using var factory = (ProvisoFactory)NewFactory(_stub.BaseUrl);
        var racy = new RacingStore();
        using var raced = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPseudonymVault>(racy)));

        ChatCompletion completion = await ChatInConversation(raced, "thread-9").CompleteChatAsync([new UserChatMessage(Message)]);

        Assert.Equal("You said: " + Message, completion.Content[0].Text);
        // The first store lost the race (another call took <PERSON_1> for someone else); the retry numbered after it.
        Assert.Equal(2, racy.Stores);
        Assert.Single(_stub.Received);
        Assert.Contains("<PERSON_2>", _stub.AllReceived, StringComparison.Ordinal);
        foreach (var original in Originals)
        {
            Assert.DoesNotContain(original, _stub.AllReceived);
        }
    }

    /// <summary>A vault in which another call of the conversation stores "&lt;PERSON_1&gt;" just before this call's first store.</summary>
    private sealed class RacingStore : MemoryBackedStore
    {
        public int Stores { get; private set; }

        public override void Store(string scope, IReadOnlyList<PseudonymMapping> added)
        {
            if (++Stores == 1)
            {
                base.Store(scope, [new PseudonymMapping("PERSON", "Someone Else", "<PERSON_1>")]);
            }
            base.Store(scope, added);
        }
    }

    /// <summary>An in-memory store whose reads and writes a test can make fail or race.</summary>
    private class MemoryBackedStore : IPseudonymStore
    {
        private readonly InMemoryVault _inner = new();

        public string GetOrAdd(string scope, string type, string original, Func<int, string> create) => _inner.GetOrAdd(scope, type, original, create);
        public bool TryResolve(string scope, string pseudonym, out string original) => _inner.TryResolve(scope, pseudonym, out original);
        public IReadOnlyList<string> Pseudonyms(string scope) => _inner.Pseudonyms(scope);
        public void Drop(string scope) => _inner.Drop(scope);
        public virtual IReadOnlyList<PseudonymMapping> Load(string scope) => _inner.Load(scope);
        public virtual void Store(string scope, IReadOnlyList<PseudonymMapping> added) => _inner.Store(scope, added);
        public int Sweep() => _inner.Sweep();
    }

    /// <summary>A database vault that can be read but not written (disk full, read-only replica).</summary>
    private sealed class UnwritableStore : IPseudonymStore
    {
        public string GetOrAdd(string scope, string type, string original, Func<int, string> create) => throw new InvalidOperationException("read-only");
        public bool TryResolve(string scope, string pseudonym, out string original) => throw new InvalidOperationException("read-only");
        public IReadOnlyList<string> Pseudonyms(string scope) => [];
        public void Drop(string scope)
        {
        }

        public IReadOnlyList<PseudonymMapping> Load(string scope) => [];
        public void Store(string scope, IReadOnlyList<PseudonymMapping> added) => throw new InvalidOperationException("attempt to write a readonly database");

        public int Sweep() => throw new InvalidOperationException("attempt to write a readonly database");
    }

    [Fact]
    public async Task DetectionFailure_FailsClosed_With503()
    {
        await using var factory = NewFactory(_stub.BaseUrl);
        using var broken = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(new PiiDetector(new DetectorOptions
        {
            // A misconfigured custom recognizer: its validator does not exist, so detection throws.
            Custom = [new CustomRecognizer { Type = "X", Pattern = "Margaret", Validator = "no-such-check" }],
        }))));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => ChatOn(broken).CompleteChatAsync([new UserChatMessage(Message)]));
        Assert.Equal(503, ex.Status);
        Assert.Empty(_stub.Received);
    }

    private static ChatClient ChatOn(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory) =>
        new("demo-llm", new ApiKeyCredential(Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    private sealed class BrokenVault : IPseudonymVault
    {
        public string GetOrAdd(string scope, string type, string original, Func<int, string> create) => throw new InvalidOperationException("vault store offline");
        public bool TryResolve(string scope, string pseudonym, out string original) => throw new InvalidOperationException("vault store offline");
        public IReadOnlyList<string> Pseudonyms(string scope) => throw new InvalidOperationException("vault store offline");
        public void Drop(string scope) => throw new InvalidOperationException("vault store offline");
    }

    [Fact]
    public async Task VendorCredential_FromConfiguration_IsSentUpstream_AndNoCallerCredentialEverIs()
    {
        await using var stub = await StubUpstream.StartAsync();
        await using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Demo:Enabled"] = "true",
            ["Proviso:Demo:UpstreamUrl"] = stub.BaseUrl,
            ["Proviso:Demo:GatewayKey"] = Key,
            ["Proviso:Gateway:Credentials:lumen"] = "sk-vendor-secret",
        });

        async Task<Outcome<GatewayPolicy>> SetAsync(string? credential, string? header)
        {
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<Proviso.Data.ProvisoDbContext>();
            db.Actor = "test";
            var service = (await db.AiServices.AsNoTracking().ToListAsync()).Single(s => s.Gateway.Models.Contains("demo-llm"));
            var policy = service.Gateway;
            policy.UpstreamCredential = credential;
            policy.UpstreamAuthHeader = header;
            return await scope.ServiceProvider.GetRequiredService<GatewayAdmin>().SetPolicyAsync(service.Id, policy);
        }

        async Task CallAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"demo-llm","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
            request.Headers.Add("x-api-key", "caller-own-vendor-key");
            request.Headers.Add("Cookie", "session=caller");
            var response = await factory.CreateClient().SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var unknown = await SetAsync("nope", null);
        Assert.Equal(OutcomeKind.Invalid, unknown.Kind);
        Assert.Contains("Proviso:Gateway:Credentials:nope", unknown.Describe(), StringComparison.Ordinal);

        Assert.True((await SetAsync("lumen", null)).IsOk);
        await CallAsync();
        Assert.True((await SetAsync("lumen", "x-api-key")).IsOk);
        await CallAsync();

        // The credential disappears from configuration after the policy was saved: fail closed, send nothing.
        var credentials = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.Credentials;
        credentials.Remove("lumen");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"demo-llm","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
            var missing = await factory.CreateClient().SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, missing.StatusCode);
            Assert.Contains("Proviso:Gateway:Credentials:lumen", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        credentials["lumen"] = "sk-vendor-secret";

        Assert.True((await SetAsync(null, null)).IsOk);
        await CallAsync();

        Assert.Equal(
            ["Authorization=Bearer sk-vendor-secret|x-api-key=", "Authorization=|x-api-key=sk-vendor-secret", "Authorization=|x-api-key="],
            stub.ReceivedCredentials.ToArray());
    }

    [Fact]
    public async Task Responses_ThroughTheOfficialSdk_AreMaskedForTheVendor_AndRestoredForTheCaller()
    {
#pragma warning disable OPENAI001 // the Responses client is marked experimental in the SDK
        var client = new OpenAI.Responses.ResponsesClient(new ApiKeyCredential(Key), new OpenAI.Responses.ResponsesClientOptions
        {
            Endpoint = new Uri(_factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(_factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

        var response = await client.CreateResponseAsync("demo-llm", Message);
        var text = response.Value.GetOutputText();
#pragma warning restore OPENAI001

        var sent = _stub.Received.Last();
        Assert.All(Originals, o => Assert.DoesNotContain(o, sent, StringComparison.Ordinal));
        Assert.All(Originals, o => Assert.Contains(o, text, StringComparison.Ordinal));
    }

#pragma warning disable OPENAI001 // the Responses client is marked experimental in the SDK
    private static OpenAI.Responses.ResponsesClient Responses(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory) =>
        new(new ApiKeyCredential(Key), new OpenAI.Responses.ResponsesClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    private static async Task<(string Id, string Text)> StreamedResponseAsync(OpenAI.Responses.ResponsesClient client, string input, string previous)
    {
        string? id = null;
        var text = new StringBuilder();
        await foreach (var update in await client.CreateResponseStreamingAsync("demo-llm", input, previous))
        {
            if (update is OpenAI.Responses.StreamingResponseCreatedUpdate created)
            {
                id = created.Response.Id;
            }
            else if (update is OpenAI.Responses.StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
        }
        return (id!, text.ToString());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("database")]
    public async Task AResponsesFollowUp_ContinuesTheConversationOfTheAnswerItNames_WithoutAHeader(string vault)
    {
        await using var stub = await StubUpstream.StartAsync();
        await using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Demo:Enabled"] = "true",
            ["Proviso:Demo:UpstreamUrl"] = stub.BaseUrl,
            ["Proviso:Demo:GatewayKey"] = Key,
            ["Proviso:Privacy:Vault"] = vault,
        });
        var client = Responses(factory);

        var first = (await client.CreateResponseAsync("demo-llm", "Hi, this is Margaret Thompson.")).Value;
        // The vendor kept the first turn as it received it (with a pseudonym) and quotes it back: the caller reads the name.
        var second = (await client.CreateResponseAsync("demo-llm", "Please add Daniel Moore.", first.Id)).Value;
        Assert.Equal("You said: Please add Daniel Moore. Earlier you said: Hi, this is Margaret Thompson.", second.GetOutputText());
        // Pseudonyms are numbered across the conversation, and the vendor never saw a name.
        Assert.Contains("Please add <PERSON_2>.", stub.AllReceived, StringComparison.Ordinal);
        Assert.DoesNotContain("Margaret", stub.AllReceived, StringComparison.Ordinal);
        Assert.DoesNotContain("Daniel", stub.AllReceived, StringComparison.Ordinal);

        // Streamed: restored event by event, and its id (seen in the first event) continues the conversation too.
        var third = await StreamedResponseAsync(client, "Also add Wei O'Brien.", second.Id);
        Assert.Equal("You said: Also add Wei O'Brien. Earlier you said: Please add Daniel Moore.", third.Text);
        var fourth = (await client.CreateResponseAsync("demo-llm", "Who came last?", third.Id)).Value;
        Assert.Equal("You said: Who came last? Earlier you said: Also add Wei O'Brien.", fourth.GetOutputText());
        Assert.DoesNotContain("O'Brien", stub.AllReceived, StringComparison.Ordinal);

        // A follow-up of an answer the gateway never saw starts a conversation of its own: nothing of this one is revealed.
        var stranger = (await client.CreateResponseAsync("demo-llm", "Who is <PERSON_1>?", "resp_from_elsewhere")).Value;
        Assert.Equal("You said: Who is <PERSON_1>?", stranger.GetOutputText());

        using var scope = factory.Services.CreateScope();
        var payloads = (await scope.ServiceProvider.GetRequiredService<ProvisoDbContext>().LedgerEntries.Where(e => e.Action == "gateway.call").ToListAsync())
            .Select(e => System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(e.Payload)).RootElement).Select(Tag).ToList();
        // The ledger groups the four calls under one conversation tag; the stranger's call has another.
        Assert.Equal(5, payloads.Count);
        Assert.Single(payloads.Take(4).Distinct());
        Assert.NotNull(payloads[4]);
        Assert.NotEqual(payloads[0], payloads[4]);
    }

    [Fact]
    public async Task ResponsesCallsInOneVendorConversation_SharePseudonyms()
    {
        var client = Responses(_factory);
        OpenAI.Responses.CreateResponseOptions InConversation(string text) =>
            new("demo-llm", [OpenAI.Responses.ResponseItem.CreateUserMessageItem(text)]) { ConversationOptions = new OpenAI.Responses.ResponseConversationOptions("conv_42") };

        await client.CreateResponseAsync(InConversation("Hi, this is Margaret Thompson."));
        var second = (await client.CreateResponseAsync(InConversation("Please add Daniel Moore."))).Value;

        // The vendor's conversation holds the first turn as sent; quoted back, it is restored, and numbering went on.
        Assert.Equal("You said: Please add Daniel Moore. Earlier you said: Hi, this is Margaret Thompson.", second.GetOutputText());
        Assert.Contains("Please add <PERSON_2>.", _stub.AllReceived, StringComparison.Ordinal);
        Assert.DoesNotContain("Margaret", _stub.AllReceived, StringComparison.Ordinal);
        // The vendor gets its conversation reference as sent.
        Assert.Contains("\"conv_42\"", _stub.Received.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResponsesCallTheVendorDoesNotKeep_KeepsItsPseudonymsToItself()
    {
        await using var factory = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Demo:Enabled"] = "true",
            ["Proviso:Demo:UpstreamUrl"] = _stub.BaseUrl,
            ["Proviso:Demo:GatewayKey"] = Key,
            ["Proviso:Privacy:Vault"] = "database",
        });
        var options = new OpenAI.Responses.CreateResponseOptions("demo-llm", [OpenAI.Responses.ResponseItem.CreateUserMessageItem(Message)]) { StoredOutputEnabled = false };
        var answer = (await Responses(factory).CreateResponseAsync(options)).Value;

        Assert.All(Originals, o => Assert.Contains(o, answer.GetOutputText(), StringComparison.Ordinal));
        Assert.All(Originals, o => Assert.DoesNotContain(o, _stub.AllReceived, StringComparison.Ordinal));
        // "store": false — no follow-up can name this answer, so nothing of the call is written to the vault.
        using var scope = factory.Services.CreateScope();
        Assert.Empty(scope.ServiceProvider.GetRequiredService<ProvisoDbContext>().VaultEntries.AsNoTracking().ToList());
    }

    [Fact]
    public async Task AResponsesFollowUp_WhoseConversationCannotBeLookedUp_FailsClosed_With503()
    {
        await using var factory = (ProvisoFactory)NewFactory(_stub.BaseUrl);
        using var broken = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPseudonymVault, UnreadableStore>()));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Responses(broken).CreateResponseAsync("demo-llm", Message, "resp_1"));
        Assert.Equal(503, ex.Status);
        Assert.Contains("vault", ex.GetRawResponse()!.Content.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_stub.Received);
    }
    [Fact]
    public async Task AnAnswerThatCannotBeLinked_StillReachesTheCaller_AndItsFollowUpStartsAfresh()
    {
        await using var factory = (ProvisoFactory)NewFactory(_stub.BaseUrl);
        var store = new UnlinkableStore();
        using var broken = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPseudonymVault>(store)));
        var client = Responses(broken);

        // The call's own pseudonyms were stored before forwarding; only linking the vendor's answer to them fails.
        var first = (await client.CreateResponseAsync("demo-llm", "Hi, this is Margaret Thompson.")).Value;
        Assert.Equal("You said: Hi, this is Margaret Thompson.", first.GetOutputText());
        Assert.Equal(1, store.FailedLinks);

        // The follow-up cannot be placed: a conversation of its own, so the vendor's quote of the first turn stays a pseudonym.
        var second = (await client.CreateResponseAsync("demo-llm", "Who was that?", first.Id)).Value;
        Assert.Equal("You said: Who was that? Earlier you said: Hi, this is <PERSON_1>.", second.GetOutputText());
        Assert.DoesNotContain("Margaret", _stub.AllReceived, StringComparison.Ordinal);
    }
#pragma warning restore OPENAI001

    /// <summary>A vault that stores conversations' pseudonyms but fails to store answer links (a constraint, a full table).</summary>
    private sealed class UnlinkableStore : MemoryBackedStore
    {
        public int FailedLinks { get; private set; }

        public override void Store(string scope, IReadOnlyList<PseudonymMapping> added)
        {
            if (scope.StartsWith("resp:", StringComparison.Ordinal))
            {
                FailedLinks++;
                throw new InvalidOperationException("disk full");
            }
            base.Store(scope, added);
        }
    }

    /// <summary>A vault that can be written but not read (a replica that lost its connection mid-call).</summary>
    private sealed class UnreadableStore : MemoryBackedStore
    {
        public override IReadOnlyList<PseudonymMapping> Load(string scope) => throw new InvalidOperationException("connection lost");
    }
}
