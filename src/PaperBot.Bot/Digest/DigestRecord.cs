using System.Globalization;

namespace PaperBot.Bot.Digest;

public enum DigestStatus
{
    /// <summary>The (guild, local date) slot is taken and the post is being made.</summary>
    Claimed,

    Posted,

    Failed,
}

/// <summary>
/// One (guild, local date) digest slot, persisted in IRecordStore&lt;DigestRecord&gt;. Claimed with TryInsert before posting
/// so a day is never posted twice, even by a restarted or second host on the same database.
/// </summary>
public sealed class DigestRecord
{
    public ulong GuildId { get; set; }

    /// <summary>The guild's local date, yyyy-MM-dd.</summary>
    public string LocalDate { get; set; } = "";

    public ulong ChannelId { get; set; }

    public DigestStatus Status { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>True when the post was made after its scheduled time because the bot was down then.</summary>
    public bool CatchUp { get; set; }

    /// <summary>True when fetching fresh papers failed and the digest was built from the database.</summary>
    public bool FromDatabase { get; set; }

    public ulong? MessageId { get; set; }

    public int PaperCount { get; set; }

    public string? Error { get; set; }

    public static string KeyFor(ulong guildId, DateOnly localDate) =>
        string.Create(CultureInfo.InvariantCulture, $"{guildId}:{localDate:yyyy-MM-dd}");
}
