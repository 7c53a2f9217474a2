using System.Globalization;

namespace PaperBot.Bot.Subscriptions;

/// <summary>A user's keyword subscription (one per user), persisted in IRecordStore&lt;Subscription&gt; keyed by user id.</summary>
public sealed class Subscription
{
    public ulong UserId { get; set; }

    /// <summary>Lower-case keywords or phrases; a paper matches when any appears in its title, abstract or keywords.</summary>
    public List<string> Keywords { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Papers changed after this store revision are candidates for the next DM.</summary>
    public long SinceRevision { get; set; }

    /// <summary>The UTC date of the last DM (at most one a day).</summary>
    public string? LastNotifiedDate { get; set; }

    /// <summary>Recently sent paper ids, so an updated paper is never sent twice (bounded).</summary>
    public List<string> NotifiedIds { get; set; } = [];

    public static string KeyFor(ulong userId) => userId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits "diffusion, RLHF; vision transformer" into distinct trimmed lower-case keywords.</summary>
    public static List<string> ParseKeywords(string text) =>
        text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => string.Join(' ', k.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(k => k.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(20)
            .ToList();
}
