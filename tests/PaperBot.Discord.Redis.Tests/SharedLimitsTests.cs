using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Models;
using StackExchange.Redis;

namespace PaperBot.Discord.Redis.Tests;

/// <summary>
/// The shared REST and IDENTIFY budgets against a real redis-server on loopback (.ci/redis.sh starts a throwaway one and
/// exports PAPERBOT_TEST_REDIS). Several limiter instances, each with its own connection, stand for several processes.
/// Without a server the tests skip locally with the reason, and fail in CI (PAPERBOT_TEST_REDIS_REQUIRED=1 or CI=true).
/// </summary>
public sealed class SharedLimitsTests : IDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];
    private readonly string _prefix = "paperbot-test-" + Guid.NewGuid().ToString("N")[..8];

    private static string? Server
    {
        get
        {
            var endpoint = Environment.GetEnvironmentVariable("PAPERBOT_TEST_REDIS");
            var required = Environment.GetEnvironmentVariable("PAPERBOT_TEST_REDIS_REQUIRED") == "1"
                || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            if (string.IsNullOrEmpty(endpoint) && required)
            {
                Assert.Fail("PAPERBOT_TEST_REDIS is not set but Redis tests are required here: .ci/redis.sh could not start redis-server (see its output above).");
            }

            Skip.If(string.IsNullOrEmpty(endpoint), "no Redis: PAPERBOT_TEST_REDIS is not set (run `source .ci/redis.sh && paperbot_redis_start`, or .ci/run, to start a throwaway redis-server)");
            return endpoint;
        }
    }

    private IConnectionMultiplexer Connect()
    {
        var c = ConnectionMultiplexer.Connect(Server!);
        _connections.Add(c);
        return c;
    }

    private RedisGlobalRateLimiter Rest(int perSecond, string token = "token-a") => new(Connect(),
        Options.Create(new DiscordOptions { Token = token, GlobalRequestsPerSecond = perSecond }),
        Options.Create(new RedisLimitsOptions { KeyPrefix = _prefix }), TimeProvider.System, NullLogger<RedisGlobalRateLimiter>.Instance);

    private RedisIdentifyLimiter Identify(string token = "token-a") => new(Connect(),
        Options.Create(new DiscordOptions { Token = token }),
        Options.Create(new RedisLimitsOptions { KeyPrefix = _prefix }), TimeProvider.System, NullLogger<RedisIdentifyLimiter>.Instance);

    // These limiters keep their windows as Redis keys with Redis-side expiry: the shared clock is the Redis server's,
    // which a FakeTimeProvider cannot move, so these tests observe real time (with margins for loopback jitter).
    [SkippableFact]
    public async Task Three_processes_share_one_global_window()
    {
        var limiters = Enumerable.Range(0, 3).Select(_ => Rest(10)).ToList();
        var clock = Stopwatch.StartNew();
        var stamps = new List<double>();
        await Task.WhenAll(Enumerable.Range(0, 36).Select(async i =>
        {
            await limiters[i % 3].AcquireAsync(CancellationToken.None);
            lock (stamps)
            {
                stamps.Add(clock.Elapsed.TotalMilliseconds);
            }
        }));
        stamps.Sort();

        // no 1-second window (with 30 ms for loopback jitter) holds more than 10 sends of the three together
        var worst = stamps.Select((t, i) => stamps.Skip(i).TakeWhile(u => u < t + 970).Count()).Max();
        Assert.InRange(worst, 1, 10);
        Assert.True(stamps[^1] >= 2900, $"36 sends at 10/s shared took only {stamps[^1]:F0} ms");

        // another bot token has its own budget
        var other = Rest(10, "token-b");
        var t0 = clock.Elapsed;
        await other.AcquireAsync(CancellationToken.None);
        Assert.True(clock.Elapsed - t0 < TimeSpan.FromMilliseconds(500));
    }

    [SkippableFact]
    public async Task A_global_429_seen_by_one_process_holds_back_the_others()
    {
        var a = Rest(50);
        var b = Rest(50);
        await b.AcquireAsync(CancellationToken.None);
        a.BlockUntil(TimeProvider.System.GetUtcNow().AddMilliseconds(600));
        var clock = Stopwatch.StartNew();
        await b.AcquireAsync(CancellationToken.None);
        Assert.True(clock.ElapsedMilliseconds >= 450, $"waited only {clock.ElapsedMilliseconds} ms");
    }

    [SkippableFact]
    public async Task Identify_is_spaced_5_s_per_max_concurrency_bucket_across_processes()
    {
        var limit = new SessionStartLimit { Total = 1000, Remaining = 900, ResetAfter = 3_600_000, MaxConcurrency = 2 };
        Task<SessionStartLimit?> Read(CancellationToken _) => Task.FromResult<SessionStartLimit?>(limit);
        var clock = Stopwatch.StartNew();
        await Identify().AcquireAsync(0, Read, CancellationToken.None); // bucket 0
        await Identify().AcquireAsync(1, Read, CancellationToken.None); // bucket 1: no wait
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"another bucket waited {clock.Elapsed}");
        await Identify().AcquireAsync(2, Read, CancellationToken.None); // bucket 0 again, another process
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4.9), $"bucket 0 reused after only {clock.Elapsed}");
    }

    public void Dispose()
    {
        foreach (var c in _connections)
        {
            c.Dispose();
        }
    }
}
