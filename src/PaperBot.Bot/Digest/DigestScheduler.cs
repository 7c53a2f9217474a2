using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;
using PaperBot.Core.Persistence;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot.Digest;

/// <summary>
/// Decides which of this shard's guilds (<see cref="ShardOwnership"/>) are due and posts each (guild, local date) exactly
/// once, also across processes: the slot is claimed with a lease (<see cref="WorkClaims"/>) before posting, the post is
/// sent with an enforced nonce and its message id recorded at once, and the slot is marked Posted (or Failed) afterwards.
/// A process that crashes mid-post loses the lease when it expires; the next check (here or in a restarted process)
/// takes over, and when the earlier attempt's message id is known it is not posted again. A guild whose post time passed
/// today while the bot was down is caught up once on the next check. Time comes only from <see cref="TimeProvider"/>.
/// </summary>
public sealed class DigestScheduler(
    GuildSettingsService settings,
    IRecordStore<DigestRecord> records,
    IDigestPublisher publisher,
    WorkClaims claims,
    ShardOwnership ownership,
    TimeProvider time,
    IOptions<DigestOptions> options,
    ILogger<DigestScheduler> logger,
    BotMetrics? metrics = null)
{
    /// <summary>A post later than this after its due time counts as a catch-up.</summary>
    public static readonly TimeSpan CatchUpGrace = TimeSpan.FromMinutes(5);

    /// <summary>Posts every digest that is due now; returns the slots it posted.</summary>
    public async Task<IReadOnlyList<DigestRecord>> RunDueAsync(CancellationToken cancellationToken)
    {
        var posted = new List<DigestRecord>();
        if (!options.Value.Enabled)
        {
            return posted;
        }

        var now = time.GetUtcNow();
        foreach (var guild in settings.AllScheduled().Where(g => ownership.OwnsGuild(g.GuildId)))
        {
            DigestSlot slot;
            try
            {
                slot = DigestSchedule.Today(guild, now);
            }
            catch (InvalidOperationException ex)
            {
                logger.LogWarning("Digest skipped: {Reason}", ex.Message);
                continue;
            }

            if (now < slot.DueUtc)
            {
                continue;
            }

            var key = DigestRecord.KeyFor(guild.GuildId, slot.LocalDate);
            var catchUp = now - slot.DueUtc > CatchUpGrace;
            var record = new DigestRecord
            {
                GuildId = guild.GuildId,
                LocalDate = slot.LocalDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ChannelId = guild.ChannelId,
                Status = DigestStatus.Claimed,
                ClaimedAt = now,
                CatchUp = catchUp,
            };
            if (records.Get(key) is { Status: DigestStatus.Posted or DigestStatus.Failed } || claims.TryAcquire("digest:" + key) is not { } claim)
            {
                continue; // already posted, or being posted by a process whose lease has not expired
            }

            if (claim.ResultId is { } earlier)
            {
                // an earlier attempt posted and recorded the message id, then died before marking the slot
                record.Status = DigestStatus.Posted;
                record.MessageId = earlier;
                record.CompletedAt = time.GetUtcNow();
                records.Put(key, record);
                claims.Complete(claim);
                logger.LogInformation("Digest for guild {Guild} ({Date}) was already posted by attempt {Attempt}; not posting again", guild.GuildId, record.LocalDate, claim.Attempt - 1);
                continue;
            }

            records.Put(key, record);
            try
            {
                var outcome = await publisher.PublishAsync(guild, slot, catchUp, claim, cancellationToken);
                record.Status = DigestStatus.Posted;
                record.MessageId = outcome.MessageId;
                record.PaperCount = outcome.PaperCount;
                record.FromDatabase = outcome.FromDatabase;
                metrics?.Digest(catchUp ? "caught_up" : "posted");
                logger.LogInformation("Digest posted for guild {Guild} ({Date}{CatchUp})", guild.GuildId, record.LocalDate, catchUp ? ", catch-up" : "");
            }
            catch (LeaseLostException ex)
            {
                logger.LogWarning("Digest for guild {Guild} ({Date}) not posted here: {Reason}", guild.GuildId, record.LocalDate, ex.Message);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // host stopping: give the lease back so the next process posts (same nonce, so never twice)
                record.Error = "cancelled (host stopping)";
                records.Put(key, record);
                claims.Release(claim);
                throw;
            }
            catch (Exception ex)
            {
                record.Status = DigestStatus.Failed;
                record.Error = ex.Message;
                metrics?.Digest("failed");
                logger.LogError(ex, "Digest for guild {Guild} ({Date}) failed", guild.GuildId, record.LocalDate);
            }

            record.CompletedAt = time.GetUtcNow();
            records.Put(key, record);
            claims.Complete(claim);
            posted.Add(record);
        }

        return posted;
    }

    /// <summary>How long to sleep before the next check: until the earliest next post time, at most the poll interval.</summary>
    public TimeSpan DelayUntilNextCheck()
    {
        var now = time.GetUtcNow();
        var poll = options.Value.PollInterval;
        var next = now + poll;
        foreach (var guild in settings.AllScheduled().Where(g => ownership.OwnsGuild(g.GuildId)))
        {
            try
            {
                var due = DigestSchedule.NextDue(guild, now);
                if (due < next)
                {
                    next = due;
                }
            }
            catch (InvalidOperationException)
            {
                // reported by RunDueAsync
            }
        }

        var delay = next - now;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
