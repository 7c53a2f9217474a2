using System.Globalization;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Scaling;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Rest;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot.Subscriptions;

/// <summary>
/// DMs each subscriber the newly ingested papers that match their keywords, batched: at most one DM per user per UTC day.
/// Papers already sent are remembered, so an updated paper is not sent twice. Only the subscribers this shard owns
/// (<see cref="ShardOwnership.OwnsUser"/>) are handled here, and each (user, UTC day) DM is claimed with a lease
/// (<see cref="WorkClaims"/>) and sent with an enforced nonce, so several processes and crashes never send it twice.
/// </summary>
public sealed class SubscriptionNotifier(
    IRecordStore<Subscription> subscriptions,
    IPaperStore papers,
    IDiscordRestClient rest,
    WorkClaims claims,
    ShardOwnership ownership,
    TimeProvider time,
    ILogger<SubscriptionNotifier> logger,
    BotMetrics? metrics = null)
{
    public const int MaxPapersPerDm = 10;
    private const int RememberedIds = 500;

    /// <summary>Sends today's DMs that are due; returns how many users were messaged.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sent = 0;
        foreach (var (key, sub) in subscriptions.All())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (sub.LastNotifiedDate == today || sub.Keywords.Count == 0 || !ownership.OwnsUser(sub.UserId))
            {
                continue;
            }

            var revision = papers.CurrentRevision;
            var already = sub.NotifiedIds.ToHashSet(StringComparer.Ordinal);
            var matches = papers.ChangedSince(sub.SinceRevision)
                .Where(p => !already.Contains(p.Id) && TopicMatcher.Matches(p, sub.Keywords))
                .OrderByDescending(p => p.Upvotes ?? 0)
                .ToList();
            if (matches.Count == 0)
            {
                sub.SinceRevision = revision;
                subscriptions.Put(key, sub);
                continue;
            }

            if (claims.TryAcquire("dm:" + key + ":" + today) is not { } claim)
            {
                continue; // sent today already, or being sent by another process
            }

            if (claim.ResultId is null)
            {
                try
                {
                    claims.Renew(claim);
                    var dm = await rest.CreateDmChannelAsync(sub.UserId, cancellationToken);
                    var message = await rest.CreateMessageAsync(dm.Id, Build(sub, matches).Build().WithEnforcedNonce(WorkClaims.NonceFor(claim.Key)), cancellationToken);
                    claims.RecordResult(claim, message.Id, dm.Id);
                }
                catch (DiscordRestException ex)
                {
                    // e.g. the user closed DMs (403): try again at the next run, nothing is marked as sent
                    claims.Release(claim);
                    metrics?.SubscriptionDm(sent: false);
                    logger.LogWarning("Could not DM subscriber {User}: {Status}", sub.UserId, (int)ex.StatusCode);
                    continue;
                }
                catch (LeaseLostException)
                {
                    continue;
                }
                catch (OperationCanceledException)
                {
                    claims.Release(claim);
                    throw;
                }
            }

            sub.SinceRevision = revision;
            sub.LastNotifiedDate = today;
            sub.NotifiedIds = sub.NotifiedIds.Concat(matches.Select(p => p.Id)).TakeLast(RememberedIds).ToList();
            subscriptions.Put(key, sub);
            claims.Complete(claim);
            metrics?.SubscriptionDm(sent: true);
            sent++;
        }

        return sent;
    }

    public static MessageBuilder Build(Subscription sub, IReadOnlyList<Paper> matches)
    {
        var shown = matches.Take(MaxPapersPerDm).ToList();
        var embed = PaperEmbeds.List($"New papers for your keywords ({matches.Count})", PaperEmbeds.AsHits(shown), snippetLength: 160)
            .WithFooter("Keywords: " + PaperText.Truncate(string.Join(", ", sub.Keywords), 200) + " · /unsubscribe to stop");
        var more = matches.Count > shown.Count ? $" (showing the top {shown.Count} by upvotes)" : "";
        return new MessageBuilder($"📬 {matches.Count} newly ingested paper(s) match your subscription{more}.").AddEmbed(embed);
    }
}
