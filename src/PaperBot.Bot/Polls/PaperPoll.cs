using System.Globalization;

namespace PaperBot.Bot.Polls;

/// <summary>
/// A /vote poll, persisted in IRecordStore&lt;PaperPoll&gt; under its message id: answer n (Discord's answer_id, from 1)
/// is PaperIds[n - 1]. <see cref="LiveVotes"/> follows MESSAGE_POLL_VOTE_ADD/REMOVE while the poll runs.
/// </summary>
public sealed class PaperPoll
{
    public ulong GuildId { get; set; }

    public ulong ChannelId { get; set; }

    public ulong MessageId { get; set; }

    public List<string> PaperIds { get; set; } = [];

    public List<string> Titles { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }

    public ulong CreatedBy { get; set; }

    /// <summary>Votes per answer (index = answer_id - 1) as the vote events reported them.</summary>
    public List<int> LiveVotes { get; set; } = [];

    public bool Announced { get; set; }

    public static string KeyFor(ulong messageId) => messageId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The announcement slot of a poll: inserted with TryInsert before announcing, so the winner is announced once.</summary>
public sealed class PollAnnouncement
{
    public ulong MessageId { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>"results" (Discord's finalized counts), "voters" (counted from the answer voters after expiry).</summary>
    public string Source { get; set; } = "";

    public List<int> Counts { get; set; } = [];

    public List<string> Winners { get; set; } = [];

    public ulong? AnnouncementId { get; set; }

    public string? Error { get; set; }
}
