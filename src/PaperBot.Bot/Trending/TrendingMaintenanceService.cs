using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Bot.Trending;

/// <summary>Deletes server signals past Trending:RetentionDays and message entries past Trending:MessageRetentionDays, hourly.</summary>
public sealed class TrendingMaintenanceService(ServerSignals signals, TimeProvider time, ILogger<TrendingMaintenanceService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                if (signals.Sweep() is > 0 and var removed)
                {
                    logger.LogInformation("Trending: removed {Count} expired signal records", removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Trending: sweeping old signal records failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
