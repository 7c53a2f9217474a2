using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Core.Papers;
using PaperBot.Ingestion.Fetching;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot.Feed;

/// <summary>
/// One feed pass: fetches the HF daily papers of today and <see cref="FeedOptions.LookBackDays"/> earlier days (UTC)
/// through the ingestion fetcher (its "hf" resilience pipeline does the retries) and upserts them. A day that fails is
/// reported and skipped; the others are still stored. Upserts merge, so a re-fetch only raises upvotes.
/// </summary>
public sealed class PaperFeed(HfDailyPapersFetcher fetcher, IPaperStore store, TimeProvider time, IOptions<FeedOptions> options, ILogger<PaperFeed> logger, BotMetrics? metrics = null)
{
    public async Task<FeedPassResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var counts = default(UpsertResult);
        var failedDays = new List<DateOnly>();
        for (var back = options.Value.LookBackDays; back >= 0; back--)
        {
            var day = today.AddDays(-back);
            try
            {
                var result = await fetcher.FetchAsync(day, cancellationToken);
                var stored = store.Upsert(result.Papers);
                counts += stored;
                foreach (var issue in result.Issues)
                {
                    logger.LogWarning("Feed: skipped a record of {Day}: {Issue}", day, issue.ToString());
                }

                logger.LogInformation("Feed: HF daily papers of {Day}: {Added} added, {Updated} updated, {Unchanged} unchanged",
                    day, stored.Added, stored.Updated, stored.Unchanged);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failedDays.Add(day);
                logger.LogWarning("Feed: fetching the HF daily papers of {Day} failed ({Error}); the next pass retries it", day, ex.Message);
            }
        }

        metrics?.FeedPass(failedDays.Count == 0, counts.Added, counts.Updated, counts.Unchanged);
        return new FeedPassResult(counts, failedDays);
    }
}

public sealed record FeedPassResult(UpsertResult Counts, IReadOnlyList<DateOnly> FailedDays);
