using System.Globalization;

namespace PaperBot.Discord.Rest;

/// <summary>
/// One REST call: method, route template (for bucket keys and logs; never contains tokens), concrete path, and the major
/// parameter (channel, guild or webhook id) that splits rate-limit buckets.
/// </summary>
public sealed record RestRoute(HttpMethod Method, string Template, string Path, string Major, bool ExemptFromGlobalLimit = false)
{
    /// <summary>False for calls Discord may have carried out even though it answered 5xx (an interaction callback): those are never retried.</summary>
    public bool RetryServerErrors { get; init; } = true;

    /// <summary>Bucket key before Discord tells us the bucket hash: "POST /channels/{channel_id}/messages".</summary>
    public string RouteKey => Method.Method + " " + Template;

    public override string ToString() => RouteKey + " [" + Major + "]";

    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    internal static string Token(string token) => Uri.EscapeDataString(token);
}
