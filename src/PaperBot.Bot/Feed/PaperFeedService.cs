using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Bot.Scaling;

namespace PaperBot.Bot.Feed;

/// <summary>Runs <see cref="PaperFeed"/> at start and then every <see cref="FeedOptions.Interval"/> (time from <see cref="TimeProvider"/>);
/// with several shards only shard 0 runs it (<see cref="ShardOwnership.RunsGlobalJobs"/>).</summary>
public sealed class PaperFeedService(PaperFeed feed, ShardOwnership ownership, TimeProvider time, IOptions<FeedOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || !ownership.RunsGlobalJobs)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await feed.RunOnceAsync(stoppingToken);
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
