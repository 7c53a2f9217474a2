using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// When an embedding backend is configured and the host runs (paperbot run), embeds newly ingested papers at start and
/// then every Embeddings:BackfillInterval, so vectors are ready before the first hybrid search needs them.
/// </summary>
public sealed class EmbeddingBackfillService(IServiceProvider services, IOptions<EmbeddingsOptions> options, TimeProvider time, ILogger<EmbeddingBackfillService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        var embeddings = services.GetRequiredService<PaperEmbeddings>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await embeddings.BackfillAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("embedding backfill failed ({Error}); retrying in {Minutes} min", ex.GetType().Name, o.BackfillInterval.TotalMinutes);
            }

            try
            {
                await Task.Delay(o.BackfillInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
