using PaperBot.Core.Papers;

namespace PaperBot.Bot.Digest;

/// <summary>Where the digest gets "today's" papers: the latest Hugging Face daily papers (ingestion fetcher).</summary>
public interface IDailyPapersSource
{
    /// <summary>The latest featured papers; throws when the source cannot be reached (the digest then uses the database).</summary>
    Task<IReadOnlyList<Paper>> FetchLatestAsync(CancellationToken cancellationToken);
}
