using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI.Budget;
using PaperBot.AI.Configuration;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Progress;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// Computes paper embeddings (at ingest via <see cref="EmbedAsync"/>, or for everything missing/stale via
/// <see cref="BackfillAsync"/>), stores them through <see cref="IRecordStore{T}"/> and keeps the in-memory
/// <see cref="VectorIndex"/> in sync.
/// </summary>
public sealed class PaperEmbeddings(
    IEmbeddingGenerator<string, Embedding<float>> generator,
    IRecordStore<PaperEmbeddingRecord> records,
    IPaperStore store,
    IOptions<EmbeddingsOptions> options,
    TokenBudget budget,
    ILogger<PaperEmbeddings> logger)
{
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly VectorIndex _index = new();
    private bool _loaded;
    private long _syncedRevision = -1;

    public VectorIndex Index => _index;

    public string Model => options.Value.Model ?? options.Value.Deployment ?? "";

    public static string TextOf(Paper p) => (p.Title.Trim() + ". " + p.Abstract.Trim()).Trim();

    /// <summary>Embeds the given papers now (skipping those already embedded at their current revision).</summary>
    public async Task<int> EmbedAsync(IEnumerable<Paper> papers, CancellationToken ct, IProgress<WorkProgress>? progress = null)
    {
        var todo = papers.Where(p => records.Get(p.Id) is not { } r || r.Revision != p.Revision || r.Model != Model).ToList();
        var o = options.Value;
        var done = 0;
        progress?.Report(new WorkProgress("embedding", 0, todo.Count));
        foreach (var batch in todo.Chunk(o.BatchSize))
        {
            var vectors = await generator.GenerateAsync(batch.Select(TextOf), cancellationToken: ct).ConfigureAwait(false);
            RecordUsage(vectors);
            for (var i = 0; i < batch.Length; i++)
            {
                var rec = PaperEmbeddingRecord.From(vectors[i].Vector.Span, Model, batch[i].Revision, o.Quantize);
                records.Put(batch[i].Id, rec);
                _index.Upsert(batch[i].Id, rec.ToVector());
            }

            done += batch.Length;
            progress?.Report(new WorkProgress("embedding", done, todo.Count));
        }

        return done;
    }

    /// <summary>Loads stored vectors, then embeds every paper that changed since the last sync. Returns papers embedded.</summary>
    public Task<int> BackfillAsync(CancellationToken ct) => BackfillAsync(null, ct);

    /// <inheritdoc cref="BackfillAsync(CancellationToken)"/>
    public async Task<int> BackfillAsync(IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        await _sync.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                foreach (var (id, rec) in records.All())
                {
                    if (rec.Model == Model)
                    {
                        _index.Upsert(id, rec.ToVector());
                    }
                }

                _loaded = true;
            }

            var revision = store.CurrentRevision;
            if (revision == _syncedRevision)
            {
                return 0;
            }

            var changed = _syncedRevision < 0 ? store.All() : store.ChangedSince(_syncedRevision);
            var n = await EmbedAsync(changed, ct, progress).ConfigureAwait(false);
            foreach (var id in store.DeletedSince(Math.Max(0, _syncedRevision)))
            {
                records.Delete(id);
                _index.Remove(id);
            }

            _syncedRevision = revision;
            if (n > 0)
            {
                logger.LogInformation("embedded {Count} paper(s); index holds {Total}", n, _index.Count);
            }

            return n;
        }
        finally
        {
            _sync.Release();
        }
    }

    public async Task<float[]> EmbedQueryAsync(string text, CancellationToken ct)
    {
        var e = await generator.GenerateAsync([text], cancellationToken: ct).ConfigureAwait(false);
        RecordUsage(e);
        return e[0].Vector.ToArray();
    }

    /// <summary>Embedding tokens are recorded under the "embeddings" account (not charged to a user).</summary>
    public const string UsageAccount = "embeddings";

    private void RecordUsage(GeneratedEmbeddings<Embedding<float>> e) =>
        budget.Record(UsageAccount, null, new TokenUsage(e.Usage?.InputTokenCount ?? 0, 0));
}
