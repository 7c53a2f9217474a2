using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Bot.Scaling;

namespace PaperBot.Bot.Feed;

/// <summary>
/// Runs <see cref="PaperFeed"/> at start and then every <see cref="FeedOptions.Interval"/> (time from <see cref="TimeProvider"/>).
/// Passes start an interval after the previous pass started, not after it ended, so a slow pass does not push the
/// schedule back and the wait is computed from the clock when the pass ends (a pass longer than the interval is
/// followed at once by the next). With several shards only shard 0 runs it (<see cref="ShardOwnership.RunsGlobalJobs"/>).
/// </summary>
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
                var started = time.GetUtcNow();
                await feed.RunOnceAsync(stoppingToken);
                var wait = started + options.Value.Interval - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
