using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;

namespace PaperBot.Bot.Digest;

/// <summary>Hosted service: checks on start (catch-up), then wakes at each guild's post time or when /settings changes.</summary>
public sealed class DigestSchedulerService(
    DigestScheduler scheduler,
    GuildSettingsService settings,
    ShardOwnership ownership,
    TimeProvider time,
    ILogger<DigestSchedulerService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ownership.RunsScheduledWork)
        {
            return;
        }

        settings.Changed += OnSettingsChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await scheduler.RunDueAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Digest check failed; retrying at the next check");
                }

                var delay = scheduler.DelayUntilNextCheck();
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var sleep = Task.Delay(delay, time, cts.Token);
                var wake = _wake.WaitAsync(cts.Token);
                await Task.WhenAny(sleep, wake);
                await cts.CancelAsync();
                await Task.WhenAll(sleep, wake).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            settings.Changed -= OnSettingsChanged;
        }
    }

    private void OnSettingsChanged()
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
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
