using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;

namespace PaperBot.Bot.RateLimiting;

/// <summary>Why a request was refused (null when allowed).</summary>
public enum RateLimitReason
{
    Cooldown,
    DailyLimit,
    TooManyInFlight,
}

/// <summary>The answer of <see cref="UserRateLimiter.TryAcquire"/>: a lease to dispose when done, or a refusal with a friendly message.</summary>
public sealed class RateLimitDecision : IDisposable
{
    private Action? _release;

    internal RateLimitDecision(Action release) => _release = release;

    internal RateLimitDecision(RateLimitReason reason, TimeSpan retryAfter, string message)
    {
        Reason = reason;
        RetryAfter = retryAfter;
        Message = message;
    }

    public bool Allowed => Reason is null;

    public RateLimitReason? Reason { get; }

    public TimeSpan RetryAfter { get; }

    /// <summary>A short, friendly text for the user.</summary>
    public string? Message { get; }

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}

/// <summary>
/// Per-user limits for costly requests (LLM questions, summaries, comparisons, chat): a cooldown between requests,
/// a daily count (UTC day) and a cap on requests in flight. Time comes only from <see cref="TimeProvider"/>.
/// </summary>
public sealed class UserRateLimiter(IOptions<BotOptions> options, TimeProvider time)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<ulong, UserState> _users = new();
    private readonly object _sweepLock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private long _evicted;

    /// <summary>Users with state in memory. Entries are dropped once nothing depends on them (see <see cref="Sweep"/>), so this
    /// is bounded by the users active today, not by everyone ever seen.</summary>
    public int TrackedUsers => _users.Count;

    /// <summary>Entries dropped by the sweep since start.</summary>
    public long EvictedUsers => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Drops users whose state no longer matters: nothing in flight, the cooldown over, and no count for today (an earlier UTC
    /// day, or no daily limit). Runs at most once a minute from <see cref="TryAcquire"/>; returns how many were dropped.
    /// </summary>
    public int Sweep()
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var removed = 0;
        foreach (var (id, state) in _users)
        {
            lock (state)
            {
                var cooling = state.Last is { } last && now - last < o.Cooldown;
                var countsToday = o.DailyRequestsPerUser > 0 && state.Day == today && state.CountToday > 0;
                if (state.InFlight > 0 || cooling || countsToday)
                {
                    continue;
                }

                // marked under the lock: a TryAcquire that already holds this state object starts over with a fresh one
                state.Removed = true;
                _users.TryRemove(new KeyValuePair<ulong, UserState>(id, state));
                removed++;
            }
        }

        Interlocked.Add(ref _evicted, removed);
        return removed;
    }

    public RateLimitDecision TryAcquire(ulong userId)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        MaybeSweep(now);
        UserState state;
        while (true)
        {
            state = _users.GetOrAdd(userId, _ => new UserState());
            lock (state)
            {
                if (!state.Removed)
                {
                    break;
                }
            }
        }

        lock (state)
        {
            if (state.Day != today)
            {
                state.Day = today;
                state.CountToday = 0;
            }

            if (state.InFlight >= o.ConcurrentRequestsPerUser)
            {
                return new RateLimitDecision(RateLimitReason.TooManyInFlight, TimeSpan.Zero,
                    "I'm still working on your previous request — give me a moment.");
            }

            if (state.Last is { } last && now - last < o.Cooldown)
            {
                var wait = o.Cooldown - (now - last);
                return new RateLimitDecision(RateLimitReason.Cooldown, wait,
                    $"Easy there! Please wait {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s before asking again.");
            }

            if (o.DailyRequestsPerUser > 0 && state.CountToday >= o.DailyRequestsPerUser)
            {
                var reset = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return new RateLimitDecision(RateLimitReason.DailyLimit, reset - now,
                    $"You've used your {o.DailyRequestsPerUser} requests for today. The budget resets at 00:00 UTC — see you then!");
            }

            state.Last = now;
            state.CountToday++;
            state.InFlight++;
        }

        return new RateLimitDecision(() =>
        {
            lock (state)
            {
                state.InFlight--;
            }
        });
    }

    private void MaybeSweep(DateTimeOffset now)
    {
        lock (_sweepLock)
        {
            if (now - _lastSweep < SweepInterval)
            {
                return;
            }

            _lastSweep = now;
        }

        Sweep();
    }

    private sealed class UserState
    {
        public bool Removed;
        public DateOnly Day;
        public int CountToday;
        public int InFlight;
        public DateTimeOffset? Last;
    }
}
