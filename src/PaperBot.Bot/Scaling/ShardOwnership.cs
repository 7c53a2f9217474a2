using Microsoft.Extensions.Options;
using PaperBot.Discord;

namespace PaperBot.Bot.Scaling;

/// <summary>
/// Which scheduled work this process owns. With <c>Discord:ShardId</c>/<c>Discord:ShardCount</c> set, a guild belongs to
/// shard <c>(guild_id &gt;&gt; 22) % shard_count</c> (Discord's own rule, so it is also the shard that receives the guild's
/// gateway events); a subscriber's DM is owned by the same rule applied to the user id; work that is not per guild
/// (the paper feed, signal clean-up) runs on shard 0. Without sharding this process owns everything. Every scheduled job
/// in PaperBot.Bot asks this one service; exactly-once across processes is still enforced by <see cref="WorkClaims"/>.
/// </summary>
public sealed class ShardOwnership(IOptions<DiscordOptions> options, BotProcessRole? role = null)
{
    public int ShardId => options.Value.ShardId ?? 0;

    public int ShardCount => options.Value.ShardCount ?? 1;

    /// <summary>Discord's shard formula.</summary>
    public static int ShardFor(ulong snowflake, int shardCount) => (int)((snowflake >> 22) % (ulong)Math.Max(1, shardCount));

    /// <summary>False in an interactions-only process (<see cref="BotProcessRole"/>): it runs no scheduled work.</summary>
    public bool RunsScheduledWork => role?.InteractionsOnly != true;

    public bool OwnsGuild(ulong guildId) => RunsScheduledWork && ShardFor(guildId, ShardCount) == ShardId;

    /// <summary>Subscriptions are per user (DMs have no guild), spread over the shards by the user's snowflake.</summary>
    public bool OwnsUser(ulong userId) => RunsScheduledWork && ShardFor(userId, ShardCount) == ShardId;

    /// <summary>Process-wide jobs (feed, clean-up) run once, on shard 0.</summary>
    public bool RunsGlobalJobs => RunsScheduledWork && ShardId == 0;
}
