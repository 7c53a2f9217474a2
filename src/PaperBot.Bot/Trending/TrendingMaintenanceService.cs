using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.Scaling;

namespace PaperBot.Bot.Trending;

/// <summary>Deletes server signals past Trending:RetentionDays and message entries past Trending:MessageRetentionDays, hourly;
/// with several shards only shard 0 sweeps (<see cref="ShardOwnership.RunsGlobalJobs"/>).</summary>
public sealed class TrendingMaintenanceService(ServerSignals signals, ShardOwnership ownership, TimeProvider time, ILogger<TrendingMaintenanceService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ownership.RunsGlobalJobs)
        {
            return;
        }

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
