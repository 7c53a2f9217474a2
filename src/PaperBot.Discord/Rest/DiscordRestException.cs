using System.Net;
using System.Text.Json;

namespace PaperBot.Discord.Rest;

/// <summary>A non-success answer from Discord after retries. The message names the route template, never tokens.</summary>
public sealed class DiscordRestException(HttpStatusCode status, int? code, string route, string message, IReadOnlyList<string>? fieldErrors = null)
    : Exception($"Discord REST {route} failed: {(int)status} {status}{(code is null ? "" : $" (code {code})")}: {message}"
        + (fieldErrors is { Count: > 0 } ? " [" + string.Join("; ", fieldErrors) + "]" : ""))
{
    public HttpStatusCode StatusCode { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 50013 Missing Permissions, 10008 Unknown Message).</summary>
    public int? DiscordCode { get; } = code;

    public string Route { get; } = route;

    /// <summary>For 50035 Invalid Form Body: one "path: CODE message" line per field error from the response's <c>errors</c> tree.</summary>
    public IReadOnlyList<string> FieldErrors { get; } = fieldErrors ?? [];

    /// <summary>The interaction or its token is no longer valid (10062 Unknown interaction, 50027 Invalid Webhook Token, 10015 Unknown Webhook).</summary>
    public bool IsInteractionExpired => DiscordCode is DiscordErrorCodes.UnknownInteraction or DiscordErrorCodes.InvalidWebhookToken or DiscordErrorCodes.UnknownWebhook;

    /// <summary>Flattens Discord's nested <c>errors</c> object ({"0":{"options":{"_errors":[{code,message}]}}}) into "0.options: CODE message" lines.</summary>
    public static IReadOnlyList<string> FlattenErrors(JsonElement? errors)
    {
        var lines = new List<string>();
        if (errors is not { ValueKind: JsonValueKind.Object } root)
        {
            return lines;
        }

        void Walk(JsonElement node, string path)
        {
            foreach (var p in node.EnumerateObject())
            {
                if (p.NameEquals("_errors") && p.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in p.Value.EnumerateArray())
                    {
                        var c = e.TryGetProperty("code", out var cv) ? cv.ToString() : "?";
                        var m = e.TryGetProperty("message", out var mv) ? mv.ToString() : "";
                        lines.Add($"{(path.Length == 0 ? "(body)" : path)}: {c} {m}");
                    }
                }
                else if (p.Value.ValueKind == JsonValueKind.Object && lines.Count < 50)
                {
                    Walk(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name);
                }
            }
        }

        Walk(root, "");
        return lines;
    }
}

/// <summary>Discord JSON error codes the client treats specially.</summary>
public static class DiscordErrorCodes
{
    public const int UnknownWebhook = 10015;
    public const int UnknownInteraction = 10062;
    public const int AlreadyAcknowledged = 40060;
    public const int EmptyMessage = 50006;
    public const int InvalidWebhookToken = 50027;
    public const int InvalidFormBody = 50035;
}
