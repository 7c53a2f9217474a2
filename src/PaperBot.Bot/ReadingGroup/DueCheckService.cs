using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>
/// A hosted loop that runs a check on start (catching up after downtime), then sleeps on the <see cref="TimeProvider"/>
/// until the next due time or a wake signal (shared by the session reminders and the poll watcher).
/// </summary>
public abstract class DueCheckService(TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>What the loop checks ("Reminder", "Poll") for its log lines.</summary>
    protected abstract string What { get; }

    protected abstract Task RunDueAsync(CancellationToken ct);

    protected abstract TimeSpan DelayUntilNextCheck();

    /// <summary>True when something is due now (asked again once the sleep timer is set).</summary>
    protected abstract bool AnyDue();

    /// <summary>Subscribes (true) or unsubscribes (false) the wake signal to the source's change event.</summary>
    protected abstract void Watch(Action wake, bool subscribe);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Watch(Wake, true);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunDueAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "{What} check failed; retrying at the next check", What);
                }

                await SleepAsync(DelayUntilNextCheck(), stoppingToken);
            }
        }
        finally
        {
            Watch(Wake, false);
        }
    }

    /// <summary>
    /// Sleeps for <paramref name="delay"/> unless woken. <see cref="AnyDue"/> is asked once the timer is set: the clock may
    /// have moved past a due time between computing the delay and setting the timer (a timer set then would fire late).
    /// </summary>
    private async Task SleepAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var sleep = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time, cts.Token);
        var woken = _wake.WaitAsync(cts.Token);
        if (!AnyDue())
        {
            await Task.WhenAny(sleep, woken);
        }

        await cts.CancelAsync();
        await Task.WhenAll(sleep, woken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
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

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
