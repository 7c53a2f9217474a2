namespace PaperBot.Bot.Scaling;

/// <summary>
/// Lets claimed work finish when the host stops meanwhile. A post whose exactly-once slot is already taken (a reminder,
/// a poll announcement) must not have its request cancelled by the stop: Discord may have created the message, and a
/// slot left without its result is never posted again. <see cref="Token"/> is cancelled only <see cref="Grace"/> after
/// the host starts stopping (on <see cref="TimeProvider"/>'s clock), so only work that hangs is cut off.
/// </summary>
public sealed class StopGrace : IDisposable
{
    /// <summary>How long claimed work may still take once the host is stopping.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _finish;
    private readonly CancellationTokenRegistration _stopping;

    public StopGrace(CancellationToken stopping, TimeProvider time)
    {
        _finish = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _stopping = stopping.Register(() => _finish.CancelAfter(Grace));
    }

    /// <summary>The token for the claimed work's requests.</summary>
    public CancellationToken Token => _finish.Token;

    /// <summary>True when the grace ran out (the work was cut off because the host stopped).</summary>
    public bool Expired => _finish.IsCancellationRequested;

    public void Dispose()
    {
        _stopping.Dispose();
        _finish.Dispose();
    }
}
