namespace PaperBot.Bot.Settings;

/// <summary>A guild's digest settings, written by /settings and persisted in IRecordStore&lt;GuildSettings&gt; keyed by guild id.</summary>
public sealed class GuildSettings
{
    public ulong GuildId { get; set; }

    public ulong ChannelId { get; set; }

    /// <summary>HH:MM local time.</summary>
    public string Time { get; set; } = "09:00";

    /// <summary>IANA time zone id.</summary>
    public string TimeZone { get; set; } = "UTC";

    public int Top { get; set; } = 5;

    /// <summary>Lower-case topic words; a paper matches when any appears in its title, abstract, keywords or categories.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>How the daily post ranks its papers: "global" (HF upvotes, the default) or "server" (the per-server blend).</summary>
    public string Ranking { get; set; } = "global";

    public ulong UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static string KeyFor(ulong guildId) => guildId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
