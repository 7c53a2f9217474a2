using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Rest;
using StackExchange.Redis;

namespace PaperBot.Discord.Redis;

/// <summary>
/// <see cref="IGlobalRateLimiter"/> shared by every process on one bot token: a sliding one-second window of
/// <see cref="DiscordOptions.GlobalRequestsPerSecond"/> sends kept in a Redis sorted set, and the global 429 lock-out in a
/// key with an expiry. One Lua script checks and records atomically, on the Redis server's clock (TIME), so processes on
/// machines whose clocks differ still share one window. Redis rather than PostgreSQL: a permit is taken before every REST
/// call, up to 50 times a second, and Redis answers that in well under a millisecond without touching the database.
/// </summary>
public sealed class RedisGlobalRateLimiter : IGlobalRateLimiter
{
    // KEYS[1] window (zset), KEYS[2] block (ms epoch); ARGV[1] limit, ARGV[2] window ms, ARGV[3] unique member.
    // Returns 0 when the send was recorded, else how many ms to wait.
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
        if blocked > now then return blocked - now end
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
          redis.call('ZADD', KEYS[1], now, ARGV[3])
          redis.call('PEXPIRE', KEYS[1], window * 2)
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, tonumber(oldest[2]) + window - now)
        """;

    // KEYS[1] block; ARGV[1] lock-out length in ms. Only ever extends the lock-out.
    private const string BlockScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local untilMs = now + tonumber(ARGV[1])
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        if untilMs > cur then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
        return untilMs
        """;

    private readonly IDatabase _db;
    private readonly RedisKey[] _keys;
    private readonly TimeProvider _time;
    private readonly IOptions<DiscordOptions> _options;
    private readonly ILogger<RedisGlobalRateLimiter> _logger;
    private readonly object _lock = new();
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public RedisGlobalRateLimiter(IConnectionMultiplexer redis, IOptions<DiscordOptions> options, IOptions<RedisLimitsOptions> redisOptions, TimeProvider time, ILogger<RedisGlobalRateLimiter> logger)
    {
        _db = redis.GetDatabase();
        var scope = RedisKeys.Scope(redisOptions.Value.KeyPrefix, options.Value.Token);
        _keys = [scope + ":rest:window", scope + ":rest:blocked"];
        _options = options;
        _time = time;
        _logger = logger;
    }

    public DateTimeOffset BlockedUntil
    {
        get
        {
            lock (_lock)
            {
                return _blockedUntil;
            }
        }
    }

    public async Task AcquireAsync(CancellationToken ct)
    {
        var limit = _options.Value.GlobalRequestsPerSecond;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var wait = (long)await _db.ScriptEvaluateAsync(AcquireScript, _keys, [limit, 1000, Guid.NewGuid().ToString("N")]).ConfigureAwait(false);
            if (wait <= 0)
            {
                return;
            }

            _logger.LogDebug("Shared global REST limit of {Limit}/s reached; waiting {Wait} ms", limit, wait);
            await Task.Delay(TimeSpan.FromMilliseconds(wait), _time, ct).ConfigureAwait(false);
        }
    }

    public void BlockUntil(DateTimeOffset until)
    {
        var ms = (long)Math.Ceiling((until - _time.GetUtcNow()).TotalMilliseconds);
        lock (_lock)
        {
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }

        if (ms > 0)
        {
            // every process waits out a global 429, not only the one that got it
            _db.ScriptEvaluate(BlockScript, [_keys[1]], [ms]);
        }
    }
}
