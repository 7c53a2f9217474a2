using PaperBot.Bot.Settings;

namespace PaperBot.Bot.Digest;

/// <summary>Builds and posts one guild's digest (fetch → store → rank → TL;DR → post).</summary>
public interface IDigestPublisher
{
    Task<DigestOutcome> PublishAsync(GuildSettings settings, DigestSlot slot, bool catchUp, CancellationToken cancellationToken);
}

/// <summary>What a digest post produced.</summary>
public sealed record DigestOutcome(ulong MessageId, int PaperCount, bool FromDatabase);
