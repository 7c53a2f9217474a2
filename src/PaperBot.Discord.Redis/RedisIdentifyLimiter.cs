using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;
using StackExchange.Redis;

namespace PaperBot.Discord.Redis;

/// <summary>
/// <see cref="IIdentifyLimiter"/> shared by all shards of one bot token in any number of processes: each
/// <c>max_concurrency</c> bucket (<c>shard_id % max_concurrency</c>) is a Redis key set with NX and a 5 s expiry, so one
/// IDENTIFY per bucket per 5 s across processes. The daily session budget is read fresh from Discord
/// (<c>session_start_limit.remaining</c>, which counts every process's IDENTIFYs) before each attempt.
/// </summary>
public sealed class RedisIdentifyLimiter : IIdentifyLimiter
{
    private readonly IDatabase _db;
    private readonly string _scope;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisIdentifyLimiter> _logger;
    private readonly string _owner = Guid.NewGuid().ToString("N");

    public RedisIdentifyLimiter(IConnectionMultiplexer redis, IOptions<DiscordOptions> options, IOptions<RedisLimitsOptions> redisOptions, TimeProvider time, ILogger<RedisIdentifyLimiter> logger)
    {
        _db = redis.GetDatabase();
        _scope = RedisKeys.Scope(redisOptions.Value.KeyPrefix, options.Value.Token);
        _time = time;
        _logger = logger;
    }

    public async Task<SessionStartLimit?> AcquireAsync(int shardId, Func<CancellationToken, Task<SessionStartLimit?>> readLimit, CancellationToken ct)
    {
        while (true)
        {
            var limit = await readLimit(ct).ConfigureAwait(false);
            if (limit is not null && limit.Remaining <= 0)
            {
                var wait = TimeSpan.FromMilliseconds(Math.Max(limit.ResetAfter, 1000));
                _logger.LogWarning("Discord IDENTIFY budget is used up (0 of {Total} session starts left): waiting {Wait} for session_start_limit.reset_after", limit.Total, wait);
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                continue;
            }

            var bucket = shardId % Math.Max(1, limit?.MaxConcurrency ?? 1);
            var key = $"{_scope}:identify:{bucket}";
            if (await _db.StringSetAsync(key, _owner, InProcessIdentifyLimiter.Spacing, When.NotExists).ConfigureAwait(false))
            {
                return limit;
            }

            var ttl = await _db.KeyTimeToLiveAsync(key).ConfigureAwait(false) ?? TimeSpan.FromMilliseconds(50);
            _logger.LogDebug("Waiting {Wait} ms for the shared IDENTIFY slot of bucket {Bucket}", (int)ttl.TotalMilliseconds, bucket);
            await Task.Delay(ttl + TimeSpan.FromMilliseconds(10), _time, ct).ConfigureAwait(false);
        }
    }
}
