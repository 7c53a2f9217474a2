using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI.Budget;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Progress;
using PaperBot.AI.Telemetry;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// The paper vectors: stored through <see cref="IRecordStore{T}"/> (one record per paper, keyed by id, tagged with
/// the model key), mirrored in the in-memory <see cref="VectorIndex"/>, and kept in step with the store by
/// <see cref="BackfillAsync"/> (new papers, and papers whose title or abstract changed). Nothing here blocks ingest or
/// search: until the stored vectors are loaded, searches are lexical, and papers without a vector are found by BM25.
/// Vectors of another model key (provider, model or dimensions changed) are never loaded; the backfill replaces them.
/// </summary>
public sealed class PaperEmbeddings(
    IEmbeddingGenerator<string, Embedding<float>> generator,
    IRecordStore<PaperEmbeddingRecord> records,
    IPaperStore store,
    IOptions<EmbeddingsOptions> options,
    TokenBudget budget,
    SampleVectors sample,
    ILogger<PaperEmbeddings> logger,
    PaperChangeSignal? changes = null,
    AiMetrics? metrics = null)
{
    /// <summary>Embedding tokens are recorded under the "embeddings" account (not charged to a user).</summary>
    public const string UsageAccount = "embeddings";

    /// <summary>The progress stage name of a backfill.</summary>
    public const string ProgressStage = "embedding papers";

    private readonly SemaphoreSlim _backfill = new(1, 1);
    private readonly Lock _loadGate = new();
    private readonly VectorIndex _index = new(options.Value.AnnMinVectors > 0 ? options.Value.AnnMinVectors : int.MaxValue)
    {
        AnnProbeFraction = options.Value.AnnProbeFraction,
    };
    private readonly Dictionary<string, string> _hashes = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _loaded;
    private int _loading;
    private long _syncedRevision = -1;

    public VectorIndex Index => _index;

    public string ModelKey => options.Value.ModelKey;

    public bool Enabled => options.Value.Enabled;

    /// <summary>True once the stored vectors are in memory.</summary>
    public bool IsLoaded => _loaded;

    /// <summary>Papers of the store that have no vector of the current model yet (as of the last load or backfill).</summary>
    public int Pending { get; private set; }

    public static string TextOf(Paper p) => (p.Title.Trim() + ". " + p.Abstract.Trim()).Trim();

    /// <summary>
    /// Loads the stored vectors of the current model into memory (once), plus the bundled sample's precomputed vectors
    /// for sample papers without one. Returns false without waiting when another thread is loading.
    /// </summary>
    public bool EnsureLoaded()
    {
        if (_loaded)
        {
            return true;
        }

        if (Interlocked.CompareExchange(ref _loading, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            lock (_loadGate)
            {
                if (!_loaded)
                {
                    Load();
                    _loaded = true;
                }
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref _loading, 0);
        }
    }

    private void Load()
    {
        var key = ModelKey;
        var stale = 0;
        foreach (var (id, rec) in records.All())
        {
            if (rec.Model == key)
            {
                rec.AddTo(_index, id);
                lock (_hashes)
                {
                    _hashes[id] = rec.TextHash;
                }
            }
            else
            {
                stale++;
            }
        }

        var fromSample = ApplySample(key);
        if (stale > 0)
        {
            logger.LogInformation("{Count} stored vector(s) belong to another embedding model than {Model}; they are not searched and will be re-embedded", stale, key);
        }

        if (_index.Count > 0)
        {
            logger.LogDebug("loaded {Count} vector(s) of {Model} ({FromSample} precomputed for the sample corpus)", _index.Count, key, fromSample);
        }
    }

    /// <summary>Stores the precomputed vector of each sample paper that has none (or an outdated one) and whose text matches.</summary>
    private int ApplySample(string key)
    {
        if (sample.Count == 0 || sample.ModelKey != key)
        {
            return 0;
        }

        var n = 0;
        foreach (var paper in store.GetMany(sample.Ids.Where(id => !_index.Contains(id))))
        {
            var hash = PaperEmbeddingRecord.HashOf(TextOf(paper));
            if (sample.Find(paper.Id, hash, key) is { } pre)
            {
                var rec = new PaperEmbeddingRecord
                {
                    Model = key, Dimensions = pre.Dimensions, Revision = paper.Revision, TextHash = hash, Quantized = true, Scale = pre.Scale, Data = pre.Data,
                };
                records.Put(paper.Id, rec);
                rec.AddTo(_index, paper.Id);
                lock (_hashes)
                {
                    _hashes[paper.Id] = hash;
                }

                n++;
            }
        }

        return n;
    }

    /// <summary>Embeds the given papers now unless their stored vector is of the current model and text.</summary>
    public async Task<int> EmbedAsync(IEnumerable<Paper> papers, CancellationToken ct, IProgress<WorkProgress>? progress = null)
    {
        var key = ModelKey;
        var todo = new List<(Paper Paper, string Text, string Hash)>();
        foreach (var p in papers)
        {
            var text = TextOf(p);
            var hash = PaperEmbeddingRecord.HashOf(text);
            bool known;
            lock (_hashes)
            {
                known = _hashes.TryGetValue(p.Id, out var h) && h == hash;
            }

            if (!known && changes is { Announcements: > 0 } && records.Get(p.Id) is { } stored && stored.Model == key && stored.TextHash == hash)
            {
                // Another process writes to this store (it announces its changes: PostgreSQL) and may have embedded
                // the paper since the vectors were loaded: load its vector, do not embed again.
                stored.AddTo(_index, p.Id);
                lock (_hashes)
                {
                    _hashes[p.Id] = hash;
                }

                known = true;
            }

            if (!known)
            {
                todo.Add((p, text, hash));
            }
        }

        Pending = todo.Count;
        var o = options.Value;
        var done = 0;
        progress?.Report(new WorkProgress(ProgressStage, 0, todo.Count));
        foreach (var batch in todo.Chunk(o.BatchSize))
        {
            // Precomputed sample vectors first: no model run for them.
            var rest = new List<(Paper Paper, string Text, string Hash)>(batch.Length);
            foreach (var item in batch)
            {
                if (sample.Find(item.Paper.Id, item.Hash, key) is { } pre)
                {
                    Store(item.Paper, item.Hash, new PaperEmbeddingRecord
                    {
                        Model = key, Dimensions = pre.Dimensions, Revision = item.Paper.Revision, TextHash = item.Hash, Quantized = true, Scale = pre.Scale, Data = pre.Data,
                    });
                }
                else
                {
                    rest.Add(item);
                }
            }

            if (rest.Count > 0)
            {
                var vectors = await generator.GenerateAsync(rest.Select(x => x.Text), cancellationToken: ct).ConfigureAwait(false);
                metrics?.Embedded("documents", rest.Count);
                RecordUsage(vectors);
                for (var i = 0; i < rest.Count; i++)
                {
                    var (paper, _, hash) = rest[i];
                    Store(paper, hash, PaperEmbeddingRecord.From(vectors[i].Vector.Span, key, paper.Revision, hash, o.Quantize));
                }
            }

            done += batch.Length;
            Pending = todo.Count - done;
            progress?.Report(new WorkProgress(ProgressStage, done, todo.Count));
        }

        return done;
    }

    private void Store(Paper paper, string hash, PaperEmbeddingRecord rec)
    {
        records.Put(paper.Id, rec);
        rec.AddTo(_index, paper.Id);
        lock (_hashes)
        {
            _hashes[paper.Id] = hash;
        }
    }

    /// <summary>
    /// Loads stored vectors (if not yet), then embeds every paper that is new or whose text changed since the last
    /// pass, and drops the vectors of deleted papers. Returns the papers embedded.
    /// </summary>
    public Task<int> BackfillAsync(CancellationToken ct) => BackfillAsync(null, ct);

    /// <inheritdoc cref="BackfillAsync(CancellationToken)"/>
    public async Task<int> BackfillAsync(IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        await _backfill.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (!EnsureLoaded())
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }

            var revision = store.CurrentRevision;
            if (revision == _syncedRevision)
            {
                progress?.Report(new WorkProgress(ProgressStage, 0, 0));
                return 0;
            }

            var changed = _syncedRevision < 0 ? store.All() : store.ChangedSince(_syncedRevision);
            var n = await EmbedAsync(changed, ct, progress).ConfigureAwait(false);
            foreach (var id in store.DeletedSince(Math.Max(0, _syncedRevision)))
            {
                if (store.Get(id) is null)
                {
                    records.Delete(id);
                    _index.Remove(id);
                    lock (_hashes)
                    {
                        _hashes.Remove(id);
                    }
                }
            }

            _syncedRevision = revision;
            if (n > 0)
            {
                logger.LogInformation("embedded {Count} paper(s) with {Model}; the vector index holds {Total}", n, ModelKey, _index.Count);
            }

            return n;
        }
        finally
        {
            _backfill.Release();
        }
    }

    /// <summary>The query's unit vector.</summary>
    public async Task<float[]> EmbedQueryAsync(string text, CancellationToken ct)
    {
        var e = await generator.GenerateAsync([text], cancellationToken: ct).ConfigureAwait(false);
        metrics?.Embedded("query", 1);
        RecordUsage(e);
        var v = e[0].Vector.ToArray();
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        }

        return v;
    }

    private void RecordUsage(GeneratedEmbeddings<Embedding<float>> e)
    {
        if (e.Usage?.InputTokenCount is > 0 && !options.Value.IsLocal)
        {
            budget.Record(UsageAccount, null, new TokenUsage(e.Usage.InputTokenCount ?? 0, 0));
        }
    }
}
