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
/// <para>
/// With the local model (<see cref="EmbeddingsOptions.StoresSentenceVectors"/>) a paper's abstract sentences are
/// embedded with it and stored apart (<see cref="PaperSentenceVectorsRecord"/>, never read at start-up); the paper
/// record notes that they exist (<see cref="PaperEmbeddingRecord.SentenceSplit"/>), so the backfill also embeds the
/// sentences of papers stored before, without embedding their paper vector again. <see cref="StoredSentenceVectors"/>
/// finds them (the bundled sample's first) for the offline answerer's sentence evidence.
/// </para>
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
    AiMetrics? metrics = null,
    IRecordStore<PaperSentenceVectorsRecord>? sentenceRecords = null)
{
    /// <summary>Embedding tokens are recorded under the "embeddings" account (not charged to a user).</summary>
    public const string UsageAccount = "embeddings";

    /// <summary>The progress stage name of a backfill.</summary>
    public const string ProgressStage = "embedding papers";

    /// <summary>Recent query vectors kept (the cache is dropped whole when full).</summary>
    public const int QueryCacheSize = 256;

    private readonly SemaphoreSlim _backfill = new(1, 1);
    private readonly Lock _loadGate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _queries = new(StringComparer.Ordinal);
    private readonly VectorIndex _index = new(options.Value.AnnMinVectors > 0 ? options.Value.AnnMinVectors : int.MaxValue)
    {
        AnnProbeFraction = options.Value.AnnProbeFraction,
    };
    private readonly Dictionary<string, string> _hashes = new(StringComparer.OrdinalIgnoreCase);

    // Ids whose stored paper record notes sentence vectors of the current splitter (guarded by _hashes' lock).
    private readonly HashSet<string> _withSentences = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _loaded;
    private int _loading;
    private long _syncedRevision = -1;

    public VectorIndex Index => _index;

    public string ModelKey => options.Value.ModelKey;

    public bool Enabled => options.Value.Enabled;

    /// <summary>True when the backfill embeds and stores sentence vectors (local model, not switched off).</summary>
    public bool StoresSentenceVectors => options.Value.StoresSentenceVectors && sentenceRecords is not null;

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
                Remember(id, rec);
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
                Remember(paper.Id, rec);
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// Embeds the given papers now unless their stored vector is of the current model and text (and, when sentence
    /// vectors are stored, their sentences unless stored or shipped with the sample). Returns the papers processed.
    /// </summary>
    public async Task<int> EmbedAsync(IEnumerable<Paper> papers, CancellationToken ct, IProgress<WorkProgress>? progress = null)
    {
        var key = ModelKey;
        var sentencesOn = StoresSentenceVectors;
        var todo = new List<Work>();
        foreach (var p in papers)
        {
            var text = TextOf(p);
            var hash = PaperEmbeddingRecord.HashOf(text);
            bool known, hasSentences;
            lock (_hashes)
            {
                known = _hashes.TryGetValue(p.Id, out var h) && h == hash;
                hasSentences = known && _withSentences.Contains(p.Id);
            }

            if (!known && changes is { Announcements: > 0 } && records.Get(p.Id) is { } stored && stored.Model == key && stored.TextHash == hash)
            {
                // Another process writes to this store (it announces its changes: PostgreSQL) and may have embedded
                // the paper since the vectors were loaded: load its vector, do not embed again.
                stored.AddTo(_index, p.Id);
                Remember(p.Id, stored);
                known = true;
                hasSentences = stored.SentenceSplit == Offline.TextAnalysis.SentenceSplitVersion;
            }

            var needSentences = sentencesOn && !hasSentences && sample.FindSentences(p.Id, hash, key) is null;
            if (!known || needSentences)
            {
                todo.Add(new Work(p, text, hash, !known, needSentences));
            }
        }

        Pending = todo.Count;
        var o = options.Value;
        var done = 0;
        progress?.Report(new WorkProgress(ProgressStage, 0, todo.Count));
        foreach (var batch in todo.Chunk(o.BatchSize))
        {
            var vectors = new PaperEmbeddingRecord?[batch.Length];
            // Precomputed sample vectors first: no model run for them.
            var rest = new List<int>(batch.Length);
            for (var i = 0; i < batch.Length; i++)
            {
                var item = batch[i];
                if (!item.Vector)
                {
                    continue;
                }

                if (sample.Find(item.Paper.Id, item.Hash, key) is { } pre)
                {
                    vectors[i] = new PaperEmbeddingRecord
                    {
                        Model = key, Dimensions = pre.Dimensions, Revision = item.Paper.Revision, TextHash = item.Hash, Quantized = true, Scale = pre.Scale, Data = pre.Data,
                    };
                }
                else
                {
                    rest.Add(i);
                }
            }

            if (rest.Count > 0)
            {
                var embedded = await generator.GenerateAsync(rest.Select(i => batch[i].Text), cancellationToken: ct).ConfigureAwait(false);
                metrics?.Embedded("documents", rest.Count);
                RecordUsage(embedded);
                for (var j = 0; j < rest.Count; j++)
                {
                    var item = batch[rest[j]];
                    vectors[rest[j]] = PaperEmbeddingRecord.From(embedded[j].Vector.Span, key, item.Paper.Revision, item.Hash, o.Quantize);
                }
            }

            await StoreSentencesAsync(batch, vectors, key, ct).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                if (vectors[i] is { } rec)
                {
                    Store(batch[i].Paper, rec);
                }
            }

            done += batch.Length;
            Pending = todo.Count - done;
            progress?.Report(new WorkProgress(ProgressStage, done, todo.Count));
        }

        return done;
    }

    /// <summary>
    /// Embeds and stores the sentence vectors of the batch's papers that need them, and marks their paper records
    /// (the new ones in <paramref name="vectors"/>; for a paper whose vector is already stored, its stored record,
    /// which then goes into <paramref name="vectors"/> to be written back). The sentence record is written first: a
    /// crash in between leaves an unmarked paper, whose sentences the next backfill embeds again.
    /// </summary>
    private async Task StoreSentencesAsync(Work[] batch, PaperEmbeddingRecord?[] vectors, string key, CancellationToken ct)
    {
        var need = Enumerable.Range(0, batch.Length).Where(i => batch[i].Sentences).ToList();
        if (need.Count == 0 || sentenceRecords is null)
        {
            return;
        }

        var embedded = await PaperSentenceVectorsRecord.EmbedAsync(generator, need.Select(i => batch[i].Paper).ToList(), key, ct).ConfigureAwait(false);
        metrics?.Embedded("sentences", embedded.Sum(e => e.Count));
        for (var j = 0; j < need.Count; j++)
        {
            var i = need[j];
            var id = batch[i].Paper.Id;
            sentenceRecords.Put(id, embedded[j]);
            if (vectors[i] is null && records.Get(id) is { } stored && stored.Model == key && stored.TextHash == batch[i].Hash)
            {
                vectors[i] = stored;
            }

            if (vectors[i] is { } rec)
            {
                rec.SentenceSplit = Offline.TextAnalysis.SentenceSplitVersion;
            }
        }
    }

    /// <summary>
    /// The stored sentence vectors of <paramref name="paper"/> for exactly <paramref name="sentences"/> under the
    /// current model (the bundled sample's first, then the store), or null when there are none or they are outdated.
    /// </summary>
    public float[][]? StoredSentenceVectors(Paper paper, IReadOnlyList<string> sentences)
    {
        var key = ModelKey;
        var hash = PaperEmbeddingRecord.HashOf(TextOf(paper));
        if (sample.FindSentences(paper.Id, hash, key) is { } pre && pre.Fits(key, hash, sentences))
        {
            return pre.ToVectors();
        }

        return sentenceRecords?.Get(paper.Id) is { } rec && rec.Fits(key, hash, sentences) ? rec.ToVectors() : null;
    }

    /// <summary>Embeds the sentences of one paper now (not stored).</summary>
    public async Task<float[][]> EmbedSentencesAsync(Paper paper, CancellationToken ct)
    {
        var rec = (await PaperSentenceVectorsRecord.EmbedAsync(generator, [paper], ModelKey, ct).ConfigureAwait(false))[0];
        metrics?.Embedded("sentences", rec.Count);
        return rec.ToVectors();
    }

    private void Store(Paper paper, PaperEmbeddingRecord rec)
    {
        records.Put(paper.Id, rec);
        rec.AddTo(_index, paper.Id);
        Remember(paper.Id, rec);
    }

    private void Remember(string id, PaperEmbeddingRecord rec)
    {
        lock (_hashes)
        {
            _hashes[id] = rec.TextHash;
            if (rec.SentenceSplit == Offline.TextAnalysis.SentenceSplitVersion)
            {
                _withSentences.Add(id);
            }
            else
            {
                _withSentences.Remove(id);
            }
        }
    }

    private void Forget(string id)
    {
        lock (_hashes)
        {
            _hashes.Remove(id);
            _withSentences.Remove(id);
        }
    }

    /// <summary>One paper of a backfill: its vector to embed, its sentences to embed, or both.</summary>
    private sealed record Work(Paper Paper, string Text, string Hash, bool Vector, bool Sentences);

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
                    sentenceRecords?.Delete(id);
                    _index.Remove(id);
                    Forget(id);
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
        // One answer embeds the same question for retrieval and for the relevance gate's sentence evidence.
        if (_queries.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var e = await generator.GenerateAsync([text], cancellationToken: ct).ConfigureAwait(false);
        metrics?.Embedded("query", 1);
        RecordUsage(e);
        var v = e[0].Vector.ToArray();
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        }

        if (_queries.Count >= QueryCacheSize)
        {
            _queries.Clear();
        }

        _queries[text] = v;
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
