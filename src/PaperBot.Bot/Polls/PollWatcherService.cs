using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.ReadingGroup;

namespace PaperBot.Bot.Polls;

/// <summary>Hosted service: on start (catch-up after downtime) and after each poll's expiry, announces polls whose result event was missed.</summary>
public sealed class PollWatcherService(PaperPolls polls, TimeProvider time, ILogger<PollWatcherService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        polls.Changed += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await polls.RunDueAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Poll check failed; retrying at the next check");
                }

                await BackgroundWake.SleepAsync(polls.DelayUntilNextCheck(), _wake, time, polls.AnyDue, stoppingToken);
            }
        }
        finally
        {
            polls.Changed -= Wake;
        }
    }

    private void Wake() => BackgroundWake.Signal(_wake);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
