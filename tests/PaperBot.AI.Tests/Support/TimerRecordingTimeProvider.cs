using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace PaperBot.AI.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the due time of every timer created on it, so a test can see what
/// Polly waits for (a retry delay is one timer with exactly that due time) before it moves the clock.
/// </summary>
public sealed class TimerRecordingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>How many timers were created with exactly <paramref name="dueTime"/>.</summary>
    public int TimersDue(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Recorded only once the timer is registered with the clock: a test that sees the due time and then advances
        // the clock must not race a timer that would be armed relative to the already-advanced time.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }
}
