using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using PaperBot.AI.Offline;
using PaperBot.Bot.Scaling;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>
/// Posts each session's reminder in its thread <see cref="ReadingGroupOptions.ReminderLead"/> before the start, exactly
/// once: the slot is claimed with <see cref="IRecordStore{T}.TryInsert"/> before posting (as the digest does), so neither
/// a restart nor a second host on the same database posts it again. A reminder whose time passed while the bot was down is
/// caught up on the next check, as long as the session has not ended. It names how many members are interested in the
/// event and pings no one, unless ReadingGroup:ReminderRoleId and PingRole allow that one role.
/// </summary>
public sealed class SessionReminders(
    ReadingSessions sessions,
    IRecordStore<ReadingReminder> reminders,
    IDiscordRestClient rest,
    ShardOwnership ownership,
    TimeProvider time,
    ILogger<SessionReminders> logger)
{
    /// <summary>A reminder later than this after its due time counts as a catch-up.</summary>
    public static readonly TimeSpan CatchUpGrace = TimeSpan.FromMinutes(5);

    /// <summary>True when a reminder is due now and not yet claimed.</summary>
    public bool AnyDue() => Due(time.GetUtcNow()).Any(s => reminders.Get(ReadingSession.KeyFor(s.EventId)) is null);

    private IEnumerable<ReadingSession> Due(DateTimeOffset now)
    {
        var lead = sessions.Options.ReminderLead;
        // only the reminders of this shard's guilds (all of them without sharding, none in an interactions-only process)
        return sessions.All().Where(s => !s.Cancelled && now >= s.StartUtc - lead && now < s.EndUtc && ownership.OwnsGuild(s.GuildId)).OrderBy(s => s.StartUtc);
    }

    public async Task<IReadOnlyList<ReadingReminder>> RunDueAsync(CancellationToken ct)
    {
        var done = new List<ReadingReminder>();
        var lead = sessions.Options.ReminderLead;
        var now = time.GetUtcNow();
        foreach (var session in Due(now))
        {
            // stopping: claim nothing more (what is claimed below is posted to the end)
            ct.ThrowIfCancellationRequested();
            var key = ReadingSession.KeyFor(session.EventId);
            var due = session.StartUtc - lead;
            var reminder = new ReadingReminder { EventId = session.EventId, Status = ReminderStatus.Claimed, ClaimedAt = now, CatchUp = now - due > CatchUpGrace };
            if (reminders.Get(key) is not null || !reminders.TryInsert(key, reminder))
            {
                continue;
            }

            // Claimed: posted to the end if the host stops meanwhile (a failed slot is never posted again).
            using var finish = new StopGrace(ct, time);
            try
            {
                reminder.Interested = await InterestedAsync(session, finish.Token);
                var message = await rest.CreateMessageAsync(session.ThreadId, Message(session, reminder.Interested, now).Build(), finish.Token);
                reminder.MessageId = message.Id;
                reminder.Status = ReminderStatus.Posted;
            }
            catch (DiscordRestException ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.Route.Contains("scheduled-events", StringComparison.Ordinal))
            {
                // the event was deleted on Discord: the session is off
                reminder.Status = ReminderStatus.Skipped;
                reminder.Error = "event deleted on Discord";
            }
            catch (OperationCanceledException) when (finish.Expired)
            {
                reminder.Status = ReminderStatus.Failed;
                reminder.Error = $"not posted within {StopGrace.Grace.TotalSeconds:0} s of the host stopping";
                reminders.Put(key, reminder);
                throw;
            }
            catch (Exception ex)
            {
                reminder.Status = ReminderStatus.Failed;
                reminder.Error = ex.Message;
                logger.LogError(ex, "Reminder for event {Event} failed", session.EventId);
            }

            reminders.Put(key, reminder);
            done.Add(reminder);
        }

        return done;
    }

    /// <summary>Until the earliest reminder still to come, at most the poll interval.</summary>
    public TimeSpan DelayUntilNextCheck()
    {
        var now = time.GetUtcNow();
        var next = now + sessions.Options.PollInterval;
        foreach (var s in sessions.All().Where(s => !s.Cancelled && reminders.Get(ReadingSession.KeyFor(s.EventId)) is null))
        {
            var due = s.StartUtc - sessions.Options.ReminderLead;
            if (due > now && due < next)
            {
                next = due;
            }
        }

        return next - now;
    }

    /// <summary>Members marked "Interested" (GET …/scheduled-events/{id}/users, first 100).</summary>
    private async Task<int> InterestedAsync(ReadingSession session, CancellationToken ct) =>
        (await rest.GetGuildScheduledEventUsersAsync(session.GuildId, session.EventId, ct)).Count;

    public MessageBuilder Message(ReadingSession session, int interested, DateTimeOffset now)
    {
        var start = session.StartUtc.ToUnixTimeSeconds();
        var people = interested switch
        {
            0 => "No one has marked the event as interested yet",
            1 => "1 member is interested",
            >= 100 => "100+ members are interested",
            _ => $"{interested.ToString(CultureInfo.InvariantCulture)} members are interested",
        };
        var starts = now < session.StartUtc ? $"starts <t:{start}:R> (<t:{start}:t>)" : $"started <t:{start}:R>";
        var where = session.VoiceChannelId is { } v ? $" in <#{v}>" : "";
        var text = $"⏰ **{MarkdownText.Escape(session.Title)}** {starts}{where}. {people}. [Event]({session.EventUrl})";
        var options = sessions.Options;
        var builder = new MessageBuilder().WithoutEmbedPreviews();
        if (options.PingRole && options.ReminderRoleId is { } role)
        {
            builder.WithAllowedMentions(AllowedMentions.ForRoles(role));
            text = $"<@&{role.ToString(CultureInfo.InvariantCulture)}> " + text;
        }

        return builder.WithContent(text);
    }
}
