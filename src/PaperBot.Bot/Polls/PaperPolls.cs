using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI.Offline;
using PaperBot.Bot.ReadingGroup;
using PaperBot.Bot.Scaling;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.Polls;

/// <summary>
/// Tracks /vote polls and announces each winner once: when Discord sends the finalized results (MESSAGE_UPDATE), or,
/// when the bot missed that (it was down, or the update never came), after expiry plus ReadingGroup:PollResultsGrace by
/// reading the message's results or, failing those, counting each answer's voters. The announcement replies to the poll,
/// handles ties, and carries a "Schedule it" button per winner.
/// </summary>
public sealed class PaperPolls(
    IRecordStore<PaperPoll> polls,
    IRecordStore<PollAnnouncement> announcements,
    IDiscordRestClient rest,
    IOptions<ReadingGroupOptions> options,
    ShardOwnership ownership,
    TimeProvider time,
    ILogger<PaperPolls> logger)
{
    public event Action? Changed;

    public PaperPoll? Get(ulong messageId) => polls.Get(PaperPoll.KeyFor(messageId));

    public void Track(PaperPoll poll)
    {
        polls.Put(PaperPoll.KeyFor(poll.MessageId), poll);
        Changed?.Invoke();
    }

    /// <summary>A live vote (+1 or -1) from MESSAGE_POLL_VOTE_ADD/REMOVE.</summary>
    public void Voted(ulong messageId, int answerId, int delta)
    {
        if (Get(messageId) is not { Announced: false } poll || answerId < 1 || answerId > poll.PaperIds.Count)
        {
            return;
        }

        while (poll.LiveVotes.Count < poll.PaperIds.Count)
        {
            poll.LiveVotes.Add(0);
        }

        poll.LiveVotes[answerId - 1] = Math.Max(0, poll.LiveVotes[answerId - 1] + delta);
        polls.Put(PaperPoll.KeyFor(messageId), poll);
    }

    /// <summary>Discord's finalized results arrived (MESSAGE_UPDATE).</summary>
    public Task OnResultsAsync(ulong messageId, PollResults results, CancellationToken ct) =>
        Get(messageId) is { Announced: false } poll && results.IsFinalized
            ? AnnounceAsync(poll, Counts(poll, results), "results", ct)
            : Task.CompletedTask;

    /// <summary>Polls past expiry + grace that were not announced: read the results (or count the voters) and announce.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var n = 0;
        foreach (var poll in Due(time.GetUtcNow()))
        {
            try
            {
                var message = await rest.GetMessageAsync(poll.ChannelId, poll.MessageId, ct);
                if (message.Poll?.Results is { IsFinalized: true } results)
                {
                    await AnnounceAsync(poll, Counts(poll, results), "results", ct);
                }
                else
                {
                    var counts = new List<int>();
                    for (var a = 1; a <= poll.PaperIds.Count; a++)
                    {
                        counts.Add((await rest.GetPollAnswerVotersAsync(poll.ChannelId, poll.MessageId, a, ct)).Users.Count);
                    }

                    await AnnounceAsync(poll, counts, "voters", ct);
                }

                n++;
            }
            catch (DiscordRestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // the poll message was deleted: nothing to announce
                poll.Announced = true;
                polls.Put(PaperPoll.KeyFor(poll.MessageId), poll);
            }
            catch (DiscordRestException ex)
            {
                logger.LogWarning("Reading the results of poll {Message} failed: {Error}; retrying at the next check", poll.MessageId, ex.Message);
            }
        }

        return n;
    }

    public bool AnyDue() => Due(time.GetUtcNow()).Any();

    /// <summary>Until the earliest poll's expiry plus grace, at most the poll interval.</summary>
    public TimeSpan DelayUntilNextCheck()
    {
        var now = time.GetUtcNow();
        var next = now + options.Value.PollInterval;
        foreach (var p in Open())
        {
            var due = p.ExpiresAt + options.Value.PollResultsGrace;
            if (due > now && due < next)
            {
                next = due;
            }
        }

        return next - now;
    }

    private IEnumerable<PaperPoll> Open() => polls.All().Select(kv => kv.Value).Where(p => !p.Announced);

    /// <summary>Missed results of this shard's guilds (<see cref="ShardOwnership"/>).</summary>
    private List<PaperPoll> Due(DateTimeOffset now) => Open().Where(p => now >= p.ExpiresAt + options.Value.PollResultsGrace && ownership.OwnsGuild(p.GuildId)).ToList();

    private static List<int> Counts(PaperPoll poll, PollResults results) =>
        Enumerable.Range(1, poll.PaperIds.Count).Select(a => results.AnswerCounts.FirstOrDefault(c => c.Id == a)?.Count ?? 0).ToList();

    /// <summary>The answers with the most votes (several on a tie; none when nobody voted).</summary>
    public static IReadOnlyList<int> Winners(IReadOnlyList<int> counts)
    {
        var max = counts.Count == 0 ? 0 : counts.Max();
        return max == 0 ? [] : Enumerable.Range(0, counts.Count).Where(i => counts[i] == max).ToList();
    }

    private async Task AnnounceAsync(PaperPoll poll, List<int> counts, string source, CancellationToken ct)
    {
        var key = PaperPoll.KeyFor(poll.MessageId);
        var claim = new PollAnnouncement { MessageId = poll.MessageId, ClaimedAt = time.GetUtcNow(), Source = source, Counts = counts };
        if (announcements.Get(key) is not null || !announcements.TryInsert(key, claim))
        {
            return;
        }

        poll.Announced = true;
        polls.Put(key, poll);
        var winners = Winners(counts);
        claim.Winners = winners.Select(i => poll.PaperIds[i]).ToList();
        // Claimed: announced to the end if the host stops meanwhile (a claimed announcement is never sent again).
        using var finish = new StopGrace(ct, time);
        try
        {
            var sent = await rest.CreateMessageAsync(poll.ChannelId, Message(poll, counts, winners).Build(), finish.Token);
            claim.AnnouncementId = sent.Id;
        }
        catch (DiscordRestException ex)
        {
            claim.Error = ex.Message;
            logger.LogError(ex, "Announcing the result of poll {Message} failed", poll.MessageId);
        }

        announcements.Put(key, claim);
    }

    public static MessageBuilder Message(PaperPoll poll, IReadOnlyList<int> counts, IReadOnlyList<int> winners)
    {
        string Votes(int n) => n == 1 ? "1 vote" : $"{n.ToString(CultureInfo.InvariantCulture)} votes";
        string Title(int i) => $"**{MarkdownText.Escape(poll.Titles[i])}** (`{MarkdownText.Escape(poll.PaperIds[i])}`)";
        var total = counts.Sum();
        var text = winners.Count switch
        {
            0 => "🗳️ The paper vote has ended with no votes. Run `/vote` again, or pick a paper with `/readinggroup schedule`.",
            1 => $"🗳️ The paper vote has ended: {Title(winners[0])} wins with {Votes(counts[winners[0]])} of {total}.",
            _ => $"🗳️ The paper vote has ended in a tie ({Votes(counts[winners[0]])} each): {string.Join(" and ", winners.Select(Title))}.",
        };
        if (winners.Count > 0)
        {
            text += "\nSchedule a reading session for " + (winners.Count == 1 ? "it" : "one of them") + " with the button below.";
        }

        var message = new MessageBuilder(text).ReplyToMessage(poll.MessageId, poll.ChannelId);
        if (winners.Count > 0)
        {
            message.AddActionRow(row =>
            {
                foreach (var i in winners.Take(5))
                {
                    row.AddButton(ScheduleButtonHandler.CustomIdFor(poll.PaperIds[i]),
                        Formatting.PaperText.Truncate("📅 Schedule " + Formatting.PaperText.OneLine(poll.Titles[i]), DiscordLimits.ButtonLabel), ButtonStyle.Primary);
                }
            });
        }

        return message;
    }
}
