using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Options;
using PaperBot.Bot.RateLimiting;

namespace PaperBot.Bot.Tests.Unit;

public sealed class UserRateLimiterTests
{
    private static (UserRateLimiter Limiter, FakeTimeProvider Time) Create(TimeSpan cooldown, int daily, int concurrent = 5)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero));
        var o = Microsoft.Extensions.Options.Options.Create(new BotOptions { Cooldown = cooldown, DailyRequestsPerUser = daily, ConcurrentRequestsPerUser = concurrent });
        return (new UserRateLimiter(o, time), time);
    }

    [Fact]
    public void Cooldown_refuses_then_allows_after_it_passes()
    {
        var (limiter, time) = Create(TimeSpan.FromSeconds(10), 0);
        using (var first = limiter.TryAcquire(1))
        {
            Assert.True(first.Allowed);
        }

        time.Advance(TimeSpan.FromSeconds(4));
        var second = limiter.TryAcquire(1);
        Assert.False(second.Allowed);
        Assert.Equal(RateLimitReason.Cooldown, second.Reason);
        Assert.Equal(TimeSpan.FromSeconds(6), second.RetryAfter);
        Assert.Contains("6 s", second.Message);
        Assert.True(limiter.TryAcquire(2).Allowed); // another user is unaffected
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(limiter.TryAcquire(1).Allowed);
    }

    [Fact]
    public void Daily_limit_resets_at_utc_midnight()
    {
        var (limiter, time) = Create(TimeSpan.Zero, 2);
        limiter.TryAcquire(7).Dispose();
        limiter.TryAcquire(7).Dispose();
        var third = limiter.TryAcquire(7);
        Assert.Equal(RateLimitReason.DailyLimit, third.Reason);
        Assert.Contains("2 requests", third.Message);
        time.Advance(TimeSpan.FromHours(1)); // 00:00 UTC next day
        Assert.True(limiter.TryAcquire(7).Allowed);
    }

    [Fact]
    public void In_flight_cap_releases_on_dispose()
    {
        var (limiter, _) = Create(TimeSpan.Zero, 0, concurrent: 1);
        var lease = limiter.TryAcquire(3);
        Assert.True(lease.Allowed);
        Assert.Equal(RateLimitReason.TooManyInFlight, limiter.TryAcquire(3).Reason);
        lease.Dispose();
        lease.Dispose(); // idempotent
        using var again = limiter.TryAcquire(3);
        Assert.True(again.Allowed);
        Assert.Equal(RateLimitReason.TooManyInFlight, limiter.TryAcquire(3).Reason);
    }

    [Fact]
    public void Idle_users_are_swept_so_the_map_stays_bounded_but_todays_counts_are_kept()
    {
        var (limiter, time) = Create(TimeSpan.FromSeconds(5), daily: 3);
        for (ulong u = 1; u <= 1000; u++)
        {
            limiter.TryAcquire(u).Dispose();
        }

        Assert.Equal(1000, limiter.TrackedUsers);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, limiter.Sweep()); // today's counts still matter (daily limit)
        limiter.TryAcquire(1).Dispose();
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, limiter.Sweep());
        limiter.TryAcquire(1).Dispose();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(RateLimitReason.DailyLimit, limiter.TryAcquire(1).Reason); // 3 used: kept across sweeps

        time.Advance(TimeSpan.FromHours(1)); // past 00:00 UTC: yesterday's counts no longer matter
        Assert.Equal(1000, limiter.Sweep());
        Assert.Equal(0, limiter.TrackedUsers);
        using var held = limiter.TryAcquire(2);   // in flight: kept
        Assert.True(held.Allowed);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, limiter.Sweep());
        Assert.Equal(1, limiter.TrackedUsers);
        Assert.True(limiter.TryAcquire(1).Allowed); // a swept user starts fresh
    }

    [Fact]
    public void Without_a_daily_limit_users_are_swept_once_the_cooldown_is_over()
    {
        var (limiter, time) = Create(TimeSpan.FromSeconds(30), daily: 0);
        for (ulong u = 1; u <= 500; u++)
        {
            limiter.TryAcquire(u).Dispose();
        }

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, limiter.Sweep());
        Assert.Equal(RateLimitReason.Cooldown, limiter.TryAcquire(7).Reason);
        time.Advance(TimeSpan.FromMinutes(1));
        limiter.TryAcquire(501).Dispose(); // the periodic sweep runs inside TryAcquire
        Assert.Equal(1, limiter.TrackedUsers);
        Assert.Equal(500, limiter.EvictedUsers);
    }
}
