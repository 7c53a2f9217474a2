namespace PaperBot.Bot.ReadingGroup;

/// <summary>Sleep on the <see cref="TimeProvider"/> until a delay passes or a wake signal arrives (shared by the reminder and poll services).</summary>
public static class BackgroundWake
{
    /// <summary>
    /// Sleeps for <paramref name="delay"/> unless woken. <paramref name="dueNow"/> is asked once the timer is set: the clock
    /// may have moved past a due time between computing the delay and setting the timer (a timer set then would fire late).
    /// </summary>
    public static async Task SleepAsync(TimeSpan delay, SemaphoreSlim wake, TimeProvider time, Func<bool> dueNow, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var sleep = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time, cts.Token);
        var woken = wake.WaitAsync(cts.Token);
        if (!dueNow())
        {
            await Task.WhenAny(sleep, woken);
        }

        await cts.CancelAsync();
        await Task.WhenAll(sleep, woken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Releases <paramref name="wake"/> once (a wake already pending is enough).</summary>
    public static void Signal(SemaphoreSlim wake)
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // a wake is already pending
            }
            catch (ObjectDisposedException)
            {
                // the service has stopped
            }
        }
    }
}
