namespace PaperBot.Core.Papers;

/// <summary>
/// Tells the parts of a process that derive data from the paper store (the search index, the vectors) that the store
/// changed outside this process: a provider shared by several processes (PostgreSQL's LISTEN/NOTIFY) raises it.
/// With a store only this process writes, nothing raises it and waiters fall back to their own schedule.
/// </summary>
public sealed class PaperChangeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision = -1;

    /// <summary>The newest store revision announced (-1 before the first).</summary>
    public long LastRevision => Interlocked.Read(ref _revision);

    /// <summary>Number of announcements (tests, diagnostics).</summary>
    public long Announcements => Interlocked.Read(ref _announcements);

    private long _announcements;

    /// <summary>Announces that the store is now at <paramref name="revision"/> (or later); wakes every waiter.</summary>
    public void Notify(long revision)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (revision > _revision)
            {
                Interlocked.Exchange(ref _revision, revision);
            }

            done = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Interlocked.Increment(ref _announcements);
        done.TrySetResult();
    }

    /// <summary>Completes at the next announcement (or when <paramref name="cancellationToken"/> fires).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task next;
        lock (_gate)
        {
            next = _next.Task;
        }

        return next.WaitAsync(cancellationToken);
    }
}
