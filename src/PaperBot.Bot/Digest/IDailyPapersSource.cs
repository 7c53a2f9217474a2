using PaperBot.Core.Papers;

namespace PaperBot.Bot.Digest;

/// <summary>Where the digest gets "today's" papers: the latest Hugging Face daily papers (ingestion fetcher).</summary>
public interface IDailyPapersSource
{
    /// <summary>The latest featured papers on or before <paramref name="localDate"/>; throws when the source cannot be reached.</summary>
    Task<IReadOnlyList<Paper>> FetchLatestAsync(DateOnly localDate, CancellationToken cancellationToken);
}
