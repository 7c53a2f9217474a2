using System.Globalization;
using Microsoft.Extensions.Logging;
using PaperBot.AI;
using PaperBot.Bot.Settings;
using PaperBot.Bot.Subscriptions;
using PaperBot.Core.Papers;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.Digest;

/// <summary>
/// One guild's digest: fetch the latest HF daily papers (<see cref="IDailyPapersSource"/>, the ingestion fetcher), store them, rank by upvotes (filtered by the
/// guild's topics), add a one-line TL;DR each (LLM when configured, offline otherwise) and post with Summarize buttons.
/// If the fetch fails the digest is built from the database and says so.
/// </summary>
public sealed class DigestPublisher(
    IDailyPapersSource source,
    IPaperStore store,
    IPaperAssistant assistant,
    IDiscordRestClient rest,
    ILogger<DigestPublisher> logger) : IDigestPublisher
{
    /// <summary>How far back the database fallback looks for featured papers.</summary>
    public const int FallbackDays = 7;

    public async Task<DigestOutcome> PublishAsync(GuildSettings settings, DigestSlot slot, bool catchUp, CancellationToken cancellationToken)
    {
        IReadOnlyList<Paper> candidates;
        var fromDatabase = false;
        try
        {
            var fetched = await source.FetchLatestAsync(slot.LocalDate, cancellationToken);
            store.Upsert(fetched);
            candidates = store.GetMany(fetched.Select(p => p.Id).Distinct(StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Fetching HF daily papers failed ({Error}); building guild {Guild}'s digest from the database", ex.Message, settings.GuildId);
            fromDatabase = true;
            candidates = [];
        }

        if (candidates.Count == 0)
        {
            candidates = store.Trending(slot.LocalDate.AddDays(-FallbackDays), slot.LocalDate, 500);
        }

        var top = candidates
            .Where(p => TopicMatcher.Matches(p, settings.Topics))
            .OrderByDescending(p => p.Upvotes ?? 0)
            .ThenByDescending(p => p.FeaturedOn ?? p.Published)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(settings.Top, 1, 10))
            .ToList();
        var lines = top.Count == 0
            ? new DigestLines([], false, null, default)
            : await assistant.DigestLinesAsync(top, new RequestContext(PaperAssistant.SystemUser, settings.GuildId.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        var message = DigestMessage.Build(slot.LocalDate, top, lines.Lines, fromDatabase, catchUp, settings.Time, lines.Notice);
        var posted = await rest.CreateMessageAsync(settings.ChannelId, message.Build(), cancellationToken);
        return new DigestOutcome(posted.Id, top.Count, fromDatabase);
    }
}
