using System.Globalization;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>
/// One scheduled reading session, persisted in IRecordStore&lt;ReadingSession&gt; under <see cref="KeyFor"/> (the Discord
/// event id): which paper, when, the Discord event and the discussion thread.
/// </summary>
public sealed class ReadingSession
{
    public ulong GuildId { get; set; }

    public ulong EventId { get; set; }

    public string PaperId { get; set; } = "";

    public string Title { get; set; } = "";

    public DateTimeOffset StartUtc { get; set; }

    public DateTimeOffset EndUtc { get; set; }

    /// <summary>The IANA zone the session was scheduled in (shown back in /readinggroup list).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The discussion thread (or forum post) where the pre-read, the reminder and the notes go.</summary>
    public ulong ThreadId { get; set; }

    /// <summary>Voice or stage channel of the event, when it has one.</summary>
    public ulong? VoiceChannelId { get; set; }

    public bool Forum { get; set; }

    public ulong CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public bool Cancelled { get; set; }

    public ulong? CancelledBy { get; set; }

    public string EventUrl => string.Create(CultureInfo.InvariantCulture, $"https://discord.com/events/{GuildId}/{EventId}");

    public static string KeyFor(ulong eventId) => eventId.ToString(CultureInfo.InvariantCulture);
}

public enum ReminderStatus
{
    Claimed,
    Posted,

    /// <summary>The event was deleted on Discord (or the session cancelled) before the reminder was due.</summary>
    Skipped,
    Failed,
}

/// <summary>A session's reminder slot: inserted with TryInsert before posting, so a reminder goes out once, also across restarts and hosts.</summary>
public sealed class ReadingReminder
{
    public ulong EventId { get; set; }

    public ReminderStatus Status { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>True when the reminder was posted later than its due time because the bot was down then.</summary>
    public bool CatchUp { get; set; }

    public int Interested { get; set; }

    public ulong? MessageId { get; set; }

    public string? Error { get; set; }
}
