using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.Scaling;

namespace PaperBot.Bot.Subscriptions;

/// <summary>Runs <see cref="SubscriptionNotifier"/> at start and then hourly (time from <see cref="TimeProvider"/>).</summary>
public sealed class SubscriptionNotifierService(SubscriptionNotifier notifier, ShardOwnership ownership, TimeProvider time, ILogger<SubscriptionNotifierService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ownership.RunsScheduledWork)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifier.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Subscription DMs failed; retrying in {Interval}", Interval);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
