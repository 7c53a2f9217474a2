using PaperBot.Core.Papers;
using PaperBot.Ingestion.Fetching;

namespace PaperBot.Bot.Digest;

/// <summary>
/// The latest HF daily papers through the ingestion fetcher (its "hf" resilience pipeline does the retries). HF features no
/// papers on some days (weekends, early morning), so an empty day falls back to the previous days.
/// </summary>
public sealed class HfDailyPapersSource(HfDailyPapersFetcher fetcher) : IDailyPapersSource
{
    /// <summary>How many days back an empty list is retried.</summary>
    public const int LookBackDays = 3;

    public async Task<IReadOnlyList<Paper>> FetchLatestAsync(DateOnly localDate, CancellationToken cancellationToken)
    {
        for (var back = 0; back <= LookBackDays; back++)
        {
            var result = await fetcher.FetchAsync(localDate.AddDays(-back), cancellationToken);
            if (result.Papers.Count > 0)
            {
                return result.Papers;
            }
        }

        return [];
    }
}
