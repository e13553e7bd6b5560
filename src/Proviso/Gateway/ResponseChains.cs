using System.Text.Json.Nodes;
using Proviso.Privacy.Operators;

namespace Proviso.Gateway;

/// <summary>
/// Conversations the Responses API keeps by itself. A vendor stores each answer (<c>store</c> defaults to true) and a
/// follow-up names the answer it continues (<c>previous_response_id</c>) instead of resending the turns before it — so the
/// vendor holds the earlier turns as they were sent, pseudonyms and all, and may answer with them. Each such call therefore
/// belongs to a conversation without the caller naming one: a first call starts one, the vendor's answer id is linked to
/// it, and a follow-up naming that id continues it (same pseudonyms; earlier ones restored).
/// </summary>
/// <remarks>
/// A link lives in the pseudonym vault as a scope of its own per answer (<c>resp:{application}:{answer id}</c>) holding one
/// mapping whose original is the conversation: encrypted and expiring like the conversation's pseudonyms, swept alike,
/// shared by instances with the database vault. ADR 0007.
/// </remarks>
internal static class ResponseChains
{
    /// <summary>The type of the one mapping a link scope holds.</summary>
    internal const string LinkType = "RESPONSE_CONVERSATION";

    private const string LinkPseudonym = "<CONVERSATION>";

    /// <summary>Whether a Responses API body asks the vendor to keep the answer (the default): only then can a follow-up name it.</summary>
    public static bool VendorKeepsAnswer(JsonObject body) =>
        !(body["store"] is JsonValue store && store.TryGetValue<bool>(out var kept) && !kept);

    /// <summary>
    /// The vendor-side conversation a body adds to (<c>"conversation": "conv_…"</c> or <c>{"id": "conv_…"}</c>): the vendor keeps
    /// its items whatever <c>store</c> says, so its calls share pseudonyms like a header conversation.
    /// </summary>
    public static string? VendorConversation(JsonObject body) => body["conversation"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var id) && id.Length > 0 => id,
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0 => id,
        _ => null,
    };

    /// <summary>The answer a body continues, when it names one.</summary>
    public static string? PreviousResponseId(JsonObject body) =>
        body["previous_response_id"] is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0 ? id : null;

    /// <summary>The conversation an earlier answer belongs to; null when it is unknown (expired, or made without the gateway).</summary>
    public static string? ConversationOf(IPseudonymStore store, Guid application, string responseId) =>
        store.Load(Scope(application, responseId)) is [var link, ..] && link.Type == LinkType ? link.Original : null;

    /// <summary>Links an answer to its conversation.</summary>
    public static void Link(IPseudonymStore store, Guid application, string responseId, string conversation) =>
        store.Store(Scope(application, responseId), [new PseudonymMapping(LinkType, conversation, LinkPseudonym)]);

    private static string Scope(Guid application, string responseId) => $"resp:{application:N}:{responseId}";
}
