using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Proviso.Bench;

/// <summary>A minimal OpenAI-compatible vendor stand-in for latency runs: a fixed, small completion.</summary>
internal static class StubUpstream
{
    private const string Completion = """{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"demo-llm","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Thanks, I have noted the details for the account."}}],"usage":{"prompt_tokens":350,"completion_tokens":12,"total_tokens":362}}""";

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
        {
            // Read the body like a real server would.
            using var reader = new StreamReader(ctx.Request.Body);
            await reader.ReadToEndAsync();
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(Completion);
        });
        await app.RunAsync();
    }
}
