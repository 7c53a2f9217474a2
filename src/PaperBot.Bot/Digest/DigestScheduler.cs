using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Bot.Settings;
using PaperBot.Core.Persistence;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot.Digest;

/// <summary>
/// Decides which guilds are due and posts each (guild, local date) exactly once: the slot is claimed atomically with
/// <see cref="IRecordStore{T}.TryInsert"/> before posting and marked Posted (or Failed) afterwards. A guild whose post
/// time passed today while the bot was down is caught up once on the next check. Time comes only from <see cref="TimeProvider"/>.
/// </summary>
public sealed class DigestScheduler(
    GuildSettingsService settings,
    IRecordStore<DigestRecord> records,
    IDigestPublisher publisher,
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
        foreach (var guild in settings.AllScheduled())
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
            if (records.Get(key) is not null || !records.TryInsert(key, record))
            {
                continue; // already posted (or being posted) for this local date
            }

            try
            {
                var outcome = await publisher.PublishAsync(guild, slot, catchUp, cancellationToken);
                record.Status = DigestStatus.Posted;
                record.MessageId = outcome.MessageId;
                record.PaperCount = outcome.PaperCount;
                record.FromDatabase = outcome.FromDatabase;
                metrics?.Digest(catchUp ? "caught_up" : "posted");
                logger.LogInformation("Digest posted for guild {Guild} ({Date}{CatchUp})", guild.GuildId, record.LocalDate, catchUp ? ", catch-up" : "");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                record.Status = DigestStatus.Failed;
                record.Error = "cancelled (host stopping)";
                throw;
            }
            catch (Exception ex)
            {
                record.Status = DigestStatus.Failed;
                record.Error = ex.Message;
                metrics?.Digest("failed");
                logger.LogError(ex, "Digest for guild {Guild} ({Date}) failed", guild.GuildId, record.LocalDate);
            }
            finally
            {
                record.CompletedAt = time.GetUtcNow();
                records.Put(key, record);
            }

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
        foreach (var guild in settings.AllScheduled())
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
