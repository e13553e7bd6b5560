using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Proviso.Tests.Gateway;

/// <summary>
/// Stands in for the AI vendor's remote API (which cannot be reached from here): an OpenAI-compatible
/// server on a loopback port that records every body it receives and echoes the last user message,
/// streamed in three-character pieces when asked, so pseudonyms are split across events.
/// </summary>
public sealed class StubUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Responses API answers the stub keeps, by id: what it was told (pseudonyms and all).</summary>
    public ConcurrentDictionary<string, string> Kept { get; } = new();

    /// <summary>Vendor-side conversations: the last thing said in each (pseudonyms and all).</summary>
    public ConcurrentDictionary<string, string> Conversations { get; } = new();

    private int _responses;

    public string BaseUrl { get; }

    /// <summary>The credential headers of each chat request, as "Authorization=…|x-api-key=…".</summary>
    public ConcurrentQueue<string> ReceivedCredentials { get; } = new();

    /// <summary>The names of every header the stub received.</summary>
    public ConcurrentQueue<string> ReceivedHeaderNames { get; } = new();

    private StubUpstream(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string AllReceived => string.Join("\n", Received);

    public static async Task<StubUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StubUpstream? self = null;
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Received.Enqueue(body);
            self.ReceivedCredentials.Enqueue($"Authorization={ctx.Request.Headers.Authorization}|x-api-key={ctx.Request.Headers["x-api-key"]}");
            foreach (var name in ctx.Request.Headers.Keys)
            {
                self.ReceivedHeaderNames.Enqueue(name);
            }
            var json = JsonNode.Parse(body)!;
            var last = json["messages"]!.AsArray().Last()!;
            var text = "You said: " + (last["content"]?.GetValue<string>() ?? "");
            // Fault modes, chosen by the caller's message.
            if (text.Contains("__badjson__", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"choices\": [ this is not json");
                return;
            }
            if (text.Contains("__error__", StringComparison.Ordinal))
            {
                ctx.Response.StatusCode = 500;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}");
                return;
            }
            if (text.Contains("__reset__", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "text/event-stream";
                await ctx.Response.WriteAsync("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"demo-llm\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"You sa\"},\"finish_reason\":null}]}\n\n");
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
                return;
            }
            if (json["stream"]?.GetValue<bool>() == true)
            {
                ctx.Response.ContentType = "text/event-stream";
                for (var i = 0; i < text.Length; i += 3)
                {
                    var piece = text.Substring(i, Math.Min(3, text.Length - i));
                    var chunk = new JsonObject
                    {
                        ["id"] = "chatcmpl-stub", ["object"] = "chat.completion.chunk", ["created"] = 1, ["model"] = json["model"]!.GetValue<string>(),
                        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["content"] = piece }, ["finish_reason"] = null }),
                    };
                    await ctx.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
                    await ctx.Response.Body.FlushAsync();
                }
                var done = new JsonObject
                {
                    ["id"] = "chatcmpl-stub", ["object"] = "chat.completion.chunk", ["created"] = 1, ["model"] = json["model"]!.GetValue<string>(),
                    ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "stop" }),
                };
                await ctx.Response.WriteAsync("data: " + done.ToJsonString() + "\n\ndata: [DONE]\n\n");
                return;
            }
            var response = new JsonObject
            {
                ["id"] = "chatcmpl-stub", ["object"] = "chat.completion", ["created"] = 1, ["model"] = json["model"]!.GetValue<string>(),
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0, ["finish_reason"] = "stop",
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
            };
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(response.ToJsonString());
        });
        app.MapPost("/v1/tickets/{id}", async (HttpContext ctx, string id) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Received.Enqueue(ctx.Request.ContentType + " " + ctx.Request.QueryString + " " + body);
            ctx.Response.ContentType = ctx.Request.ContentType ?? "text/plain";
            await ctx.Response.WriteAsync(body);
        });
        app.MapPost("/v1/responses", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Received.Enqueue(body);
            var json = JsonNode.Parse(body)!;
            var input = json["input"];
            var said = input is JsonValue v ? v.GetValue<string>()
                : string.Join(" ", input!.AsArray().SelectMany(m => m!["content"] is JsonArray parts ? parts.Select(p => p!["text"]?.GetValue<string>() ?? "") : [m!["content"]?.GetValue<string>() ?? ""]));
            // Like the real API, the stub keeps its answers (unless "store": false) and a follow-up naming one continues it: the
            // answer then also quotes the earlier turn, as the vendor received it.
            var text = "You said: " + said;
            if (json["previous_response_id"]?.GetValue<string>() is { } previous && self.Kept.TryGetValue(previous, out var earlier))
            {
                text += " Earlier you said: " + earlier;
            }
            // A vendor-side conversation object ("conversation": {"id": …}) keeps its turns too.
            var conversation = json["conversation"] is JsonObject co ? co["id"]?.GetValue<string>() : json["conversation"]?.GetValue<string>();
            if (conversation is not null)
            {
                if (self.Conversations.TryGetValue(conversation, out var before))
                {
                    text += " Earlier you said: " + before;
                }
                self.Conversations[conversation] = said;
            }
            var id = "resp_" + Interlocked.Increment(ref self._responses).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (json["store"]?.GetValue<bool>() != false)
            {
                self.Kept[id] = said;
            }
            JsonObject Answer(string status, string content) => new()
            {
                ["id"] = id, ["object"] = "response", ["created_at"] = 1, ["status"] = status, ["model"] = "demo-llm",
                ["output"] = content.Length == 0 ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["type"] = "message", ["id"] = "msg_" + id, ["status"] = "completed", ["role"] = "assistant",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = content, ["annotations"] = new JsonArray() }),
                }),
            };
            if (json["stream"]?.GetValue<bool>() == true)
            {
                ctx.Response.ContentType = "text/event-stream";
                async Task Event(JsonObject e)
                {
                    await ctx.Response.WriteAsync($"event: {e["type"]}\ndata: {e.ToJsonString()}\n\n");
                    await ctx.Response.Body.FlushAsync();
                }
                await Event(new JsonObject { ["type"] = "response.created", ["sequence_number"] = 0, ["response"] = Answer("in_progress", "") });
                for (var i = 0; i < text.Length; i += 3)
                {
                    await Event(new JsonObject
                    {
                        ["type"] = "response.output_text.delta", ["sequence_number"] = 1 + (i / 3), ["item_id"] = "msg_" + id, ["output_index"] = 0, ["content_index"] = 0,
                        ["delta"] = text.Substring(i, Math.Min(3, text.Length - i)),
                    });
                }
                await Event(new JsonObject { ["type"] = "response.completed", ["sequence_number"] = 1 + text.Length, ["response"] = Answer("completed", text) });
                return;
            }
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(Answer("completed", text).ToJsonString());
        });
        app.MapPost("/v1/embeddings", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            self!.Received.Enqueue(body);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2,0.3]}],\"model\":\"demo-llm\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new StubUpstream(app, address + "/v1");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
