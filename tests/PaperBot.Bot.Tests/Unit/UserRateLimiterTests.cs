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
}
