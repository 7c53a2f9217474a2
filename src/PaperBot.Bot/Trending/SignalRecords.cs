namespace PaperBot.Bot.Trending;

/// <summary>The kinds of server signal, each counted per paper per day.</summary>
public enum SignalKind
{
    Reaction,
    View,
    Summary,
    Ask,
}

/// <summary>Counts for one paper on one day in one server. Counts only: never who.</summary>
public sealed class SignalCounts
{
    public int Reactions { get; set; }

    public int Views { get; set; }

    public int Summaries { get; set; }

    public int Asks { get; set; }

    public int Get(SignalKind kind) => kind switch
    {
        SignalKind.Reaction => Reactions,
        SignalKind.View => Views,
        SignalKind.Summary => Summaries,
        _ => Asks,
    };

    /// <summary>Adds <paramref name="delta"/>; a count never goes below 0.</summary>
    public void Add(SignalKind kind, int delta)
    {
        switch (kind)
        {
            case SignalKind.Reaction: Reactions = Math.Max(0, Reactions + delta); break;
            case SignalKind.View: Views = Math.Max(0, Views + delta); break;
            case SignalKind.Summary: Summaries = Math.Max(0, Summaries + delta); break;
            default: Asks = Math.Max(0, Asks + delta); break;
        }
    }

    public bool IsEmpty => Reactions == 0 && Views == 0 && Summaries == 0 && Asks == 0;

    public void AddAll(SignalCounts other)
    {
        Reactions += other.Reactions;
        Views += other.Views;
        Summaries += other.Summaries;
        Asks += other.Asks;
    }
}

/// <summary>
/// One server's signals on one UTC day: paper id → counts. Keyed "guild:yyyy-MM-dd" in IRecordStore&lt;ServerSignalDay&gt;.
/// This is all PaperBot keeps about members' activity: no user ids, no per-user history.
/// </summary>
public sealed class ServerSignalDay
{
    public ulong GuildId { get; set; }

    /// <summary>yyyy-MM-dd (UTC).</summary>
    public string Day { get; set; } = "";

    public Dictionary<string, SignalCounts> Papers { get; set; } = new(StringComparer.Ordinal);

    public static string KeyFor(ulong guildId, DateOnly day) =>
        guildId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What a bot message shows: one paper (/paper) or a numbered list (the daily post).</summary>
public enum PaperMessageKind
{
    Paper,
    Digest,
}

/// <summary>
/// A bot message whose reactions count for its papers, keyed by message id. <see cref="Reactions"/> is the number of counted
/// reactions per emoji (what Discord shows under the message anyway), so removals cancel only what was counted.
/// </summary>
public sealed class PaperMessageRecord
{
    public ulong MessageId { get; set; }

    public ulong ChannelId { get; set; }

    public ulong GuildId { get; set; }

    public PaperMessageKind Kind { get; set; }

    /// <summary>The paper (Paper) or the papers in list order (Digest: 1️⃣ is the first).</summary>
    public List<string> PaperIds { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public Dictionary<string, int> Reactions { get; set; } = new(StringComparer.Ordinal);

    public static string KeyFor(ulong messageId) => messageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
