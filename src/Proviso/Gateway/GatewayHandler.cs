using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Proviso.Hosting;
using Proviso.Privacy.Operators;
using Proviso.Ledger;
using Proviso.Vendors;
using Yarp.ReverseProxy.Forwarder;

namespace Proviso.Gateway;

public sealed class GatewayOptions
{
    /// <summary>Largest request body accepted from a caller.</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest non-streamed response held for restoration.</summary>
    public long MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How long to wait for the vendor.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Vendor credentials by name, referenced from service policies (<see cref="GatewayPolicy.UpstreamCredential"/>).</summary>
    public Dictionary<string, string> Credentials { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The egress path: authenticate the application, resolve the model to a vendor service, enforce
/// its policy, pseudonymize every free-text field, record the share in the ledger, forward with YARP,
/// restore pseudonyms in the response. Any failure before forwarding answers 4xx/503 and sends nothing.
/// </summary>
public sealed class GatewayHandler(
    GatewayCatalog catalog,
    GatewayLimits limits,
    PayloadPseudonymizer pseudonymizer,
    IPseudonymVault vault,
    LedgerService ledger,
    IHttpForwarder forwarder,
    TimeProvider time,
    IOptions<GatewayOptions> options,
    ILogger<GatewayHandler> logger,
    GatewayMetrics metrics,
    ConversationTags tags)
{
    private static readonly HttpMessageInvoker Upstream = new(new WholeBodyHandler(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ActivityHeadersPropagator = null,
    }));

    /// <summary>Names a conversation whose calls share pseudonyms (optional).</summary>
    public const string ConversationHeader = "X-Proviso-Conversation";

    private static bool IsConversationId(string id)
    {
        if (id.Length is 0 or > 128)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Handles one call. <paramref name="modelFromRoute"/> is set for generic routes (/gateway/{model}/…), where the body may be any JSON or text.</summary>
    public async Task HandleAsync(HttpContext context, string operation, string? modelFromRoute = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var call = new CallInfo();
        try
        {
            await HandleCoreAsync(context, operation, modelFromRoute, call, started);
        }
        finally
        {
            metrics.Record(call, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task HandleCoreAsync(HttpContext context, string operation, string? modelFromRoute, CallInfo call, long started)
    {
        var ct = context.RequestAborted;
        var secret = ReadKey(context.Request);
        if (secret is null)
        {
            await Problem(context, 401, "Gateway key required", "Send 'Authorization: Bearer pgw_…' with an application key from Proviso.");
            return;
        }
        GatewayApplication? app;
        try
        {
            app = await catalog.FindApplicationAsync(secret, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            call.Outcome = "failed";
            logger.LogError(ex, "Gateway catalog unavailable");
            await Problem(context, 503, "Gateway unavailable", "Proviso could not read its policy store; nothing was sent.");
            return;
        }
        if (app is null)
        {
            await Problem(context, 401, "Invalid gateway key", "The key is unknown or was revoked.");
            return;
        }
        call.Application = app.Name;
        if (limits.TryAcquire(app) is { } limit)
        {
            context.Response.Headers.RetryAfter = "60";
            await Problem(context, 429, "Too many requests", $"Application '{app.Name}': {limit}.");
            return;
        }

        // Body: bounded; a JSON object for the OpenAI routes, JSON or text (or nothing) for generic routes.
        if (context.Request.ContentLength > options.Value.MaxRequestBytes)
        {
            await Problem(context, 413, "Request too large", $"Requests are limited to {options.Value.MaxRequestBytes / 1024 / 1024} MB.");
            return;
        }
        byte[] raw;
        try
        {
            raw = await ReadBodyAsync(context.Request, options.Value.MaxRequestBytes, ct);
        }
        catch (RequestTooLargeException)
        {
            await Problem(context, 413, "Request too large", $"Requests are limited to {options.Value.MaxRequestBytes / 1024 / 1024} MB.");
            return;
        }
        var contentType = context.Request.ContentType ?? "";
        var isJson = raw.Length > 0 && (modelFromRoute is null || contentType.Contains("json", StringComparison.OrdinalIgnoreCase));
        var isText = raw.Length > 0 && !isJson && contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase);
        if (raw.Length > 0 && !isJson && !isText)
        {
            // What cannot be inspected cannot be shared.
            await Problem(context, 415, "Unsupported content", $"The gateway inspects JSON and text bodies only; '{contentType}' cannot be checked for personal data.");
            return;
        }
        JsonNode? body = null;
        if (isJson)
        {
            try
            {
                body = JsonNode.Parse(raw, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
                if (modelFromRoute is null && body is not JsonObject)
                {
                    throw new System.Text.Json.JsonException("The body must be a JSON object.");
                }
                RejectUnpairedSurrogates(raw);
            }
            catch (System.Text.Json.JsonException ex)
            {
                await Problem(context, 400, "Malformed JSON", ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]);
                return;
            }
        }

        var model = modelFromRoute ?? (body?["model"] is JsonValue mv && mv.TryGetValue<string>(out var m) ? m : null);
        if (string.IsNullOrWhiteSpace(model))
        {
            await Problem(context, 400, "Model required", "The request names no model.");
            return;
        }
        var route = await catalog.FindRouteAsync(model, ct);
        if (route is null)
        {
            await Problem(context, 404, "Unknown model", $"No vendor service answers to model '{model}'.");
            return;
        }
        call.Vendor = route.VendorName;
        call.Service = route.ServiceName;
        if (!app.ServiceIds.Contains(route.ServiceId))
        {
            await Problem(context, 403, "Service not allowed", $"Application '{app.Name}' may not call {route.VendorName} / {route.ServiceName}.");
            return;
        }
        if (PolicyViolation(route) is { } violation)
        {
            call.Outcome = "blocked";
            await RecordAsync("gateway.blocked", app, route, model, operation, null, new Dictionary<string, object?> { ["rule"] = violation.Rule }, ct);
            await Problem(context, 403, "Blocked by vendor policy", violation.Message, violation.Rule);
            return;
        }

        // A call's pseudonyms belong to it alone, unless the caller names a conversation: then they stay the same across its
        // calls (for vendors that keep the conversation — previous_response_id, threads — and answer with earlier pseudonyms).
        var conversation = context.Request.Headers[ConversationHeader].ToString();
        if (conversation.Length > 0 && !IsConversationId(conversation))
        {
            await Problem(context, 400, "Invalid conversation id",
                $"'{ConversationHeader}' must be 1-128 characters of letters, digits, '.', '_', ':' or '-'.");
            return;
        }
        var store = vault as IPseudonymStore;
        // The Responses API keeps conversations itself: without a header, a call the vendor will keep starts or continues one
        // (ResponseChains), so a follow-up naming an earlier answer gets that answer's pseudonyms back.
        var chained = false;
        var newConversation = false;
        if (conversation.Length == 0 && operation == "responses" && modelFromRoute is null && store is not null && body is JsonObject request)
        {
            if (ResponseChains.VendorConversation(request) is { } vendorConversation && IsConversationId(vendorConversation))
            {
                // The vendor's own conversation object ("conversation": "conv_…"): its calls share its pseudonyms.
                conversation = "vendor-" + vendorConversation;
                chained = true;
            }
            else if (ResponseChains.VendorKeepsAnswer(request))
            {
                try
                {
                    var previous = ResponseChains.PreviousResponseId(request);
                    var known = previous is not null && IsConversationId(previous) ? ResponseChains.ConversationOf(store, app.Id, previous) : null;
                    newConversation = known is null;
                    conversation = known ?? "resp-" + Guid.NewGuid().ToString("N");
                    chained = true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    call.Outcome = "failed";
                    logger.LogError(ex, "Pseudonym vault unavailable");
                    await Problem(context, 503, "Pseudonym vault unavailable", "The conversation this call continues could not be looked up; nothing was sent to the vendor.");
                    return;
                }
            }
        }
        var perCall = conversation.Length == 0;
        var scope = perCall ? "gw:" + Guid.NewGuid().ToString("N") : $"conv:{app.Id:N}:{conversation}";
        // The vault is read at most once and written at most once per call, never per value: the call's pseudonyms are handed
        // out and restored from memory. A call's own scope never reaches the vault (no one else can need it); a conversation's
        // new pseudonyms are stored together before anything is forwarded.
        var batch = store is null ? null : new PseudonymBatch(store, scope, isNew: perCall || newConversation);
        var callPseudonymizer = batch is null ? pseudonymizer : pseudonymizer.With(batch);
        context.Response.OnCompleted(() =>
        {
            if (!perCall || batch is not null)
            {
                // A conversation's pseudonyms live until its time to live; a batch's die with it.
                return Task.CompletedTask;
            }
            try
            {
                vault.Drop(scope);
            }
#pragma warning disable CA1031 // The caller has its answer; a vault that cannot forget now forgets at the scope's expiry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Could not drop vault scope");
            }
            return Task.CompletedTask;
        });
        PayloadFindings findings;
        string? maskedText = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (body is not null)
                {
                    findings = callPseudonymizer.PseudonymizeRoot(ref body, route.Policy, scope);
                }
                else if (isText)
                {
                    var wrapper = new JsonObject { ["text"] = Encoding.UTF8.GetString(raw) };
                    findings = callPseudonymizer.Pseudonymize(wrapper, route.Policy, scope);
                    maskedText = wrapper["text"]!.GetValue<string>();
                }
                else
                {
                    findings = new PayloadFindings();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                call.Outcome = "failed";
                logger.LogError(ex, "Pseudonymization failed");
                await Problem(context, 503, "Pseudonymization failed", "Personal data could not be masked, so nothing was sent to the vendor.");
                return;
            }
            try
            {
                if (findings.Blocked is null && !perCall)
                {
                    batch?.Save();
                }
                break;
            }
            catch (PseudonymConflictException) when (attempt == 1 && store is not null)
            {
                // Another call of the conversation stored a pseudonym first: start once more from the caller's body, with the
                // conversation as it is now.
                batch = new PseudonymBatch(store, scope);
                callPseudonymizer = pseudonymizer.With(batch);
                body = body is null ? null : JsonNode.Parse(raw, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                call.Outcome = "failed";
                logger.LogError(ex, "Pseudonym vault unavailable");
                await Problem(context, 503, "Pseudonym vault unavailable",
                    ex is PseudonymConflictException ? "Other calls of this conversation kept storing pseudonyms at the same moment; nothing was sent to the vendor. Retry the call."
                    : "The conversation's pseudonyms could not be stored; nothing was sent to the vendor.");
                return;
            }
        }
        if (findings.Blocked is { } blocked)
        {
            call.Outcome = "blocked";
            await RecordAsync("gateway.blocked", app, route, model, operation, findings, new Dictionary<string, object?> { ["rule"] = $"category:{Taxonomy.Key(blocked)}" }, ct);
            await Problem(context, 422, "Blocked by vendor policy",
                $"The request contains {Taxonomy.Label(blocked).ToLowerInvariant()} ({findings.BlockedType}), which {route.VendorName} / {route.ServiceName} may not receive.",
                $"category:{Taxonomy.Key(blocked)}");
            return;
        }
        if (modelFromRoute is null && route.Policy.UpstreamModel is { Length: > 0 } upstreamModel)
        {
            body!["model"] = upstreamModel;
        }
        var outgoing = body is not null ? PayloadPseudonymizer.ToUtf8(body)
            : maskedText is not null ? Encoding.UTF8.GetBytes(maskedText) : [];

        string? credential = null;
        if (route.Policy.UpstreamCredential is { Length: > 0 } credentialName
            && !options.Value.Credentials.TryGetValue(credentialName, out credential))
        {
            call.Outcome = "failed";
            logger.LogError("Upstream credential {Name} is not configured", credentialName);
            await Problem(context, 503, "Vendor credential missing",
                $"The policy of {route.VendorName} / {route.ServiceName} names the credential '{credentialName}', which is not configured (Proviso:Gateway:Credentials:{credentialName}); nothing was sent.");
            return;
        }

        // The share is on the ledger before a byte leaves; if the ledger cannot record it, nothing leaves.
        try
        {
            var share = new Dictionary<string, object?> { ["requestBytes"] = outgoing.Length };
            if (!perCall)
            {
                // Auditors can group a conversation's calls; the caller's label itself is not recorded.
                share["conversation"] = tags.Tag(app.Id, conversation);
            }
            await RecordAsync("gateway.call", app, route, model, operation, findings, share, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            call.Outcome = "failed";
            logger.LogError(ex, "Ledger unavailable");
            await Problem(context, 503, "Ledger unavailable", "The data share could not be recorded, so nothing was sent to the vendor.");
            return;
        }

        call.Preparation = Stopwatch.GetElapsedTime(started);
        call.Entities = findings.Types;
        call.Outcome = "forwarded";
        // Generic routes may send an array or a bare value, which has no "stream" member (and no indexer by name).
        var streaming = body is JsonObject bodyObject && bodyObject["stream"] is JsonValue sv && sv.TryGetValue<bool>(out var st) && st;
        // YARP forwards HttpContext.Request as it stands: the pseudonymized body replaces the caller's.
        context.Request.Body = new MemoryStream(outgoing, writable: false);
        context.Request.ContentLength = outgoing.Length;
        if (body is not null)
        {
            context.Request.ContentType = "application/json";
        }
        var original = context.Response.Body;
        var restoring = new RestoringStream(original, callPseudonymizer, scope, streaming, options.Value.MaxResponseBytes)
        {
            PlainText = modelFromRoute is not null,
            Response = context.Response,
            // Linked before the answer (or the stream event) carrying its id reaches the caller, so a follow-up cannot outrun it.
            ResponseIdSeen = chained ? id => LinkAnswer(store!, app, id, conversation) : null,
        };
        context.Response.Body = restoring;
        ForwarderError error;
        try
        {
            var transformer = new GatewayTransformer(route.Policy.UpstreamBaseUrl!, operation + context.Request.QueryString,
                route.Policy.UpstreamAuthHeader is { Length: > 0 } h ? h : "Authorization", credential)
            {
                Body = outgoing.Length > 0 ? outgoing : null,
            };
            error = await forwarder.SendAsync(context, route.Policy.UpstreamBaseUrl!, Upstream,
                new ForwarderRequestConfig { ActivityTimeout = options.Value.UpstreamTimeout }, transformer);
            if (error == ForwarderError.None)
            {
                await restoring.CompleteAsync(ct);
            }
        }
        catch (System.Text.Json.JsonException) when (!context.Response.HasStarted)
        {
            context.Response.Body = original;
            context.Response.Headers.Clear();
            call.Outcome = "failed";
            await Problem(context, 502, "Invalid vendor response", $"{route.VendorName} / {route.ServiceName} answered with invalid JSON; nothing of it was passed on.");
            RecordCompletion(app, route, model, operation, 502, Stopwatch.GetElapsedTime(started), 0, ForwarderError.None);
            return;
        }
        catch (IOException ex) when (!context.Response.HasStarted)
        {
            context.Response.Body = original;
            context.Response.Headers.Clear();
            call.Outcome = "failed";
            await Problem(context, 502, "Vendor response rejected", ex.Message);
            return;
        }
        finally
        {
            context.Response.Body = original;
        }
        var latency = Stopwatch.GetElapsedTime(started);
        if (error != ForwarderError.None)
        {
            call.Outcome = "failed";
        }
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            logger.LogWarning(failure, "Upstream error {Error} for {Vendor}", error, route.VendorName);
            await Problem(context, error is ForwarderError.RequestTimedOut ? 504 : 502, "Vendor unavailable",
                $"{route.VendorName} / {route.ServiceName} did not answer ({error}{(failure is null ? "" : ": " + failure.GetBaseException().Message)}).");
        }
        RecordCompletion(app, route, model, operation, context.Response.StatusCode, latency, restoring.BytesWritten, error);
    }

    /// <summary>
    /// Links a Responses API answer to the conversation of the call that produced it. A failure costs only the restoration of
    /// earlier pseudonyms in a later follow-up (it starts a new conversation); the answer itself still goes out.
    /// </summary>
    private void LinkAnswer(IPseudonymStore store, GatewayApplication app, string responseId, string conversation)
    {
        if (!IsConversationId(responseId))
        {
            return;
        }
        try
        {
            ResponseChains.Link(store, app.Id, responseId, conversation);
        }
#pragma warning disable CA1031 // The caller is owed the answer; a lost link is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not link answer {ResponseId} to its conversation", responseId);
        }
    }

    /// <summary>
    /// The call's outcome. Its data share was durably recorded before forwarding; the outcome joins the
    /// next commit (within <see cref="LedgerService.DeferredLinger"/>) instead of costing one of its own.
    /// </summary>
    private void RecordCompletion(GatewayApplication app, GatewayRoute route, string model, string operation, int status, TimeSpan latency, long bytes, ForwarderError error)
    {
        var details = Details(app, route, model, operation, null, new Dictionary<string, object?>
        {
            ["status"] = status,
            ["latencyMs"] = (long)latency.TotalMilliseconds,
            ["responseBytes"] = bytes,
            ["upstreamError"] = error == ForwarderError.None ? null : error.ToString(),
        });
        ledger.RecordDeferred("gateway.completed", $"app:{app.Name}", "gateway-application", app.Id.ToString(), route.VendorName, details);
    }

    private Task<long> RecordAsync(string action, GatewayApplication app, GatewayRoute route, string model, string operation, PayloadFindings? findings,
        Dictionary<string, object?> details, CancellationToken ct) =>
        ledger.RecordAsync(action, $"app:{app.Name}", "gateway-application", app.Id.ToString(), route.VendorName, Details(app, route, model, operation, findings, details), ct);

    private static Dictionary<string, object?> Details(GatewayApplication app, GatewayRoute route, string model, string operation, PayloadFindings? findings,
        Dictionary<string, object?> details)
    {
        var endpoint = route.Policy.UpstreamBaseUrl is { } u && Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Host : null;
        details["application"] = app.Name;
        details["service"] = route.ServiceName;
        details["model"] = model;
        details["operation"] = operation;
        details["endpoint"] = endpoint;
        details["region"] = RegionOf(route);
        if (findings is not null)
        {
            details["categories"] = findings.Categories.ToDictionary(c => Taxonomy.Key(c.Key), c => (object?)c.Value);
            details["entities"] = findings.Types.ToDictionary(c => c.Key, c => (object?)c.Value);
        }
        return details;
    }

    private static string? RegionOf(GatewayRoute route) =>
        route.Endpoints.FirstOrDefault(e => route.Policy.UpstreamBaseUrl is { } u && u.StartsWith(e.Url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))?.Region;

    private (string Rule, string Message)? PolicyViolation(GatewayRoute route)
    {
        if (route.VendorStatus is VendorStatus.Terminated or VendorStatus.Rejected or VendorStatus.Offboarding)
        {
            return ("contract:inactive", $"{route.VendorName} is {Taxonomy.Label(route.VendorStatus).ToLowerInvariant()}; no data may be shared.");
        }
        if (route.Policy.ContractExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return ("contract:expired", $"The contract with {route.VendorName} expired on {expires:yyyy-MM-dd}.");
        }
        if (string.IsNullOrWhiteSpace(route.Policy.UpstreamBaseUrl) || !Uri.TryCreate(route.Policy.UpstreamBaseUrl, UriKind.Absolute, out var upstream))
        {
            return ("endpoint:missing", $"{route.ServiceName} has no upstream endpoint configured.");
        }
        var endpoint = route.Endpoints.FirstOrDefault(e => route.Policy.UpstreamBaseUrl.StartsWith(e.Url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
        if (endpoint is null)
        {
            return ("endpoint:not-allow-listed", $"{upstream.Host} is not one of {route.ServiceName}'s declared endpoints.");
        }
        if (upstream.Scheme != Uri.UriSchemeHttps && !upstream.IsLoopback)
        {
            return ("endpoint:https-required", $"{upstream.Host} is not reached over HTTPS.");
        }
        if (route.Policy.AllowedRegions.Count > 0 && (endpoint.Region is null || !route.Policy.AllowedRegions.Contains(endpoint.Region, StringComparer.OrdinalIgnoreCase)))
        {
            return ("region:not-allowed", $"{upstream.Host} processes data in {endpoint.Region ?? "an undeclared region"}, outside {string.Join(", ", route.Policy.AllowedRegions)}.");
        }
        return null;
    }

    private static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > 7 ? header[7..].Trim() : null;
    }

    private sealed class RequestTooLargeException : Exception;

    /// <summary>
    /// JSON may escape half of a UTF-16 surrogate pair ("\ud83d" alone), which no string can hold; System.Text.Json parses
    /// such a document and throws only when the string is read. Refused up front as malformed instead of failing later.
    /// </summary>
    private static void RejectUnpairedSurrogates(ReadOnlySpan<byte> json)
    {
        // Only a \uD800-\uDFFF escape can be half a pair: a body whose escapes are other characters ("\u00e9", as SDKs write
        // any non-ASCII letter) is not read twice.
        if (json.IndexOf("\\ud"u8) < 0 && json.IndexOf("\\uD"u8) < 0)
        {
            return;
        }
        var reader = new System.Text.Json.Utf8JsonReader(json, new System.Text.Json.JsonReaderOptions { MaxDepth = 64 });
        while (reader.Read())
        {
            if (reader.TokenType is System.Text.Json.JsonTokenType.String or System.Text.Json.JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    throw new System.Text.Json.JsonException("A string holds half of a UTF-16 surrogate pair (a \\uD800-\\uDFFF escape without its other half).", ex);
                }
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength is long declared and <= int.MaxValue)
        {
            // The usual case: read straight into a buffer of the declared size (the server holds the body to it).
            var body = new byte[declared];
            var filled = 0;
            int got;
            while (filled < body.Length && (got = await request.Body.ReadAsync(body.AsMemory(filled), ct)) > 0)
            {
                filled += got;
            }
            return filled == body.Length ? body : body[..filled];
        }
        using var ms = new MemoryStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (ms.Length + read > limit)
                {
                    throw new RequestTooLargeException();
                }
                ms.Write(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return ms.ToArray();
    }

    private static async Task Problem(HttpContext context, int status, string title, string detail, string? rule = null)
    {
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        if (rule is not null)
        {
            problem.Extensions["rule"] = rule;
        }
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}

/// <summary>
/// Points the request at the vendor's endpoint, drops every credential the caller sent and adds the
/// vendor credential of the policy, if any (the body was replaced before forwarding).
/// </summary>
internal sealed class GatewayTransformer(string upstreamBase, string operation, string authHeader = "Authorization", string? credential = null) : HttpTransformer
{
    private static readonly string[] CallerCredentials = ["x-api-key", "api-key", "anthropic-api-key", "x-goog-api-key", "Cookie", "Proxy-Authorization"];

    /// <summary>The pseudonymized body, handed to <see cref="WholeBodyHandler"/> to send in one write.</summary>
    public byte[]? Body { get; init; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (Body is not null)
        {
            proxyRequest.Options.Set(WholeBodyHandler.Body, Body);
        }
        proxyRequest.RequestUri = new Uri(upstreamBase.TrimEnd('/') + "/" + operation);
        proxyRequest.Headers.Authorization = null;
        foreach (var header in CallerCredentials)
        {
            proxyRequest.Headers.Remove(header);
        }
        // Proviso's own headers are for Proviso: the vendor learns nothing of how calls are grouped.
        proxyRequest.Headers.Remove(GatewayHandler.ConversationHeader);
        proxyRequest.Headers.Host = null;
        if (credential is not null)
        {
            if (authHeader.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                proxyRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
            }
            else
            {
                proxyRequest.Headers.TryAddWithoutValidation(authHeader, credential);
            }
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        // Restored text differs in length from what the vendor sent.
        httpContext.Response.Headers.ContentLength = null;
        return result;
    }
}

/// <summary>
/// Sends a request body the gateway already holds in full (the pseudonymized one) as one buffer, so the vendor receives
/// headers and body in one write. YARP's own request content streams the caller's body and flushes the headers on their
/// own first: two writes per call and an upstream woken twice. YARP does not let a transform replace its content, so the
/// body travels in the request's options and is swapped in here, below YARP; YARP's unused content is never started.
/// </summary>
internal sealed class WholeBodyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<byte[]> Body = new("Proviso.WholeBody");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Body, out var body))
        {
            var content = new ByteArrayContent(body);
            if (request.Content is { } streamed)
            {
                foreach (var header in streamed.Headers)
                {
                    if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    {
                        content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }
                }
            }
            request.Content = content;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
