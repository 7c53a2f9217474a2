using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.Core.Papers;
using PaperBot.Core.Progress;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// In `paperbot run`: loads the stored vectors and embeds new or changed papers in the background, at start and then
/// every Embeddings:BackfillInterval (or as soon as another process announces a change through
/// <see cref="PaperChangeSignal"/>), logging progress; searches meanwhile use BM25 for papers without a vector.
/// </summary>
public sealed class EmbeddingBackfillService(IServiceProvider services, IOptions<EmbeddingsOptions> options, TimeProvider time, ILogger<EmbeddingBackfillService> logger) : BackgroundService
{
    /// <summary>Least time between two progress lines.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        await Task.Yield(); // never hold up the host's start
        var embeddings = services.GetRequiredService<PaperEmbeddings>();
        // A store shared with other processes (PostgreSQL) announces their writes: embed them then, not at the next interval.
        var changes = services.GetService<PaperChangeSignal>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = changes?.WaitAsync(stoppingToken);
            try
            {
                var started = time.GetTimestamp();
                var last = started;
                var progress = new SyncProgress<WorkProgress>(p =>
                {
                    if (p.Total == 0 || p.Done == 0 || p.Done != p.Total && time.GetElapsedTime(last) < ProgressEvery)
                    {
                        return;
                    }

                    last = time.GetTimestamp();
                    logger.LogInformation("embedding papers: {Done}/{Total} ({Rate:F1}/s)", p.Done, p.Total, p.Done / Math.Max(1e-3, time.GetElapsedTime(started).TotalSeconds));
                });
                await embeddings.BackfillAsync(progress, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("embedding backfill failed ({Error}); retrying in {Minutes} min", ex.GetType().Name, o.BackfillInterval.TotalMinutes);
            }

            try
            {
                var interval = Task.Delay(o.BackfillInterval, time, stoppingToken);
                await (changed is null ? interval : await Task.WhenAny(interval, changed).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (no SynchronizationContext posting).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
