using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI;
using PaperBot.Bot.Interactions;
using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;
using PaperBot.Bot.Subscriptions;
using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.Digest;

/// <summary>
/// One guild's digest: fetch the latest HF daily papers (<see cref="IDailyPapersSource"/>, the ingestion fetcher), store them, rank by upvotes (filtered by the
/// guild's topics), add a one-line TL;DR each (LLM when configured, offline otherwise) and post with Summarize buttons.
/// If the fetch fails the digest is built from the database and says so. With <c>ranking:server</c> the order is the
/// server's blend (<see cref="TrendingRanker"/>). The post is remembered so that members' 1️⃣ 2️⃣ … reactions count for
/// its papers, and the bot adds those reactions itself (Trending:SeedDigestReactions) so one click votes.
/// </summary>
public sealed class DigestPublisher(
    IDailyPapersSource source,
    IPaperStore store,
    IPaperAssistant assistant,
    IDiscordRestClient rest,
    TrendingRanker ranker,
    IPaperSignals signals,
    IOptions<TrendingOptions> trending,
    BotWork work,
    WorkClaims claims,
    ILogger<DigestPublisher> logger) : IDigestPublisher
{
    /// <summary>How far back the database fallback looks for featured papers.</summary>
    public const int FallbackDays = 7;

    public async Task<DigestOutcome> PublishAsync(GuildSettings settings, DigestSlot slot, bool catchUp, WorkClaim claim, CancellationToken cancellationToken)
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

        var scope = string.Equals(settings.Ranking, "server", StringComparison.OrdinalIgnoreCase) ? TrendingScope.Server : TrendingScope.Global;
        var top = ranker.Rank(candidates.Where(p => TopicMatcher.Matches(p, settings.Topics)).ToList(), settings.GuildId, scope, Math.Clamp(settings.Top, 1, 10), includeServerPapers: false)
            .Select(r => r.Paper)
            .ToList();
        var lines = top.Count == 0
            ? new DigestLines([], false, null, default)
            : await assistant.DigestLinesAsync(top, new RequestContext(PaperAssistant.SystemUser, settings.GuildId.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        var message = DigestMessage.Build(slot.LocalDate, top, lines.Lines, fromDatabase, catchUp, settings.Time, lines.Notice);
        claims.Renew(claim);
        var posted = await rest.CreateMessageAsync(settings.ChannelId, message.Build().WithEnforcedNonce(WorkClaims.NonceFor(claim.Key)), cancellationToken);
        claims.RecordResult(claim, posted.Id, settings.ChannelId);
        signals.RememberMessage(settings.GuildId, settings.ChannelId, posted.Id, PaperMessageKind.Digest, top.Select(p => p.Id).ToList());
        if (trending.Value.SeedDigestReactions && top.Count > 0)
        {
            // in the background: the reaction route allows about 4 per second, and the post is done already
            work.Run("digest vote reactions", ct => SeedReactionsAsync(settings.ChannelId, posted.Id, top.Count, ct));
        }

        return new DigestOutcome(posted.Id, top.Count, fromDatabase);
    }

    /// <summary>Adds 1️⃣ … n to the post. Needs Add Reactions; a refusal is logged and the post stands.</summary>
    private async Task SeedReactionsAsync(ulong channelId, ulong messageId, int count, CancellationToken ct)
    {
        for (var i = 0; i < count && i < ServerSignals.NumberEmoji.Count; i++)
        {
            try
            {
                await rest.AddReactionAsync(channelId, messageId, ServerSignals.NumberEmoji[i], ct);
            }
            catch (DiscordRestException ex)
            {
                logger.LogWarning("Could not add the vote reactions to the daily post in channel {Channel} ({Status} {Code}); give the bot Add Reactions", channelId, (int)ex.StatusCode, ex.DiscordCode);
                return;
            }
        }
    }
}
