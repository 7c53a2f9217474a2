using System.Net;

namespace PaperBot.Discord.Rest;

/// <summary>A non-success answer from Discord after retries. The message names the route template, never tokens.</summary>
public sealed class DiscordRestException(HttpStatusCode status, int? code, string route, string message)
    : Exception($"Discord REST {route} failed: {(int)status} {status}{(code is null ? "" : $" (code {code})")}: {message}")
{
    public HttpStatusCode StatusCode { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 50013 Missing Permissions, 10008 Unknown Message).</summary>
    public int? DiscordCode { get; } = code;

    public string Route { get; } = route;
}
