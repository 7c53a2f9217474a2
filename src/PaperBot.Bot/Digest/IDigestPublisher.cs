using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;

namespace PaperBot.Bot.Digest;

/// <summary>Builds and posts one guild's digest (fetch → store → rank → TL;DR → post).</summary>
public interface IDigestPublisher
{
    /// <summary>Posts under <paramref name="claim"/>: renews its lease right before sending, sends with the claim's enforced
    /// nonce (a retry by another process is deduplicated by Discord) and records the message id as soon as it is known.</summary>
    Task<DigestOutcome> PublishAsync(GuildSettings settings, DigestSlot slot, bool catchUp, WorkClaim claim, CancellationToken cancellationToken);
}

/// <summary>What a digest post produced.</summary>
public sealed record DigestOutcome(ulong MessageId, int PaperCount, bool FromDatabase);
