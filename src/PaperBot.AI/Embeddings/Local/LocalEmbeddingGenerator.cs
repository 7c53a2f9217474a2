using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace PaperBot.AI.Embeddings.Local;

/// <summary>
/// all-MiniLM-L6-v2 on the CPU, offline, as a Microsoft.Extensions.AI embedding generator: WordPiece tokens
/// (Microsoft.ML.Tokenizers' BertTokenizer over the package's vocabulary, lower-cased and accent-stripped like the
/// original), the package's ONNX graph run by ONNX Runtime, mean pooling over the attention mask, L2 normalisation.
/// <para>
/// Faster than the package's own <c>SentenceEncoder.Encode</c> (measured in README "Embeddings"): a batch is sorted by
/// length and cut into sub-batches of <see cref="LocalEmbeddingSettings.BatchSize"/>, so each is padded only to its own
/// longest text; texts are cut at <see cref="LocalEmbeddingSettings.MaxTokens"/> tokens (sentence-transformers'
/// max_seq_length, 256) instead of running attention over the whole abstract; and ONNX Runtime's intra-op threads are
/// set explicitly. Thread-safe: ONNX Runtime sessions may run concurrently.
/// </para>
/// <para>
/// A single text (a search query) runs in its own session with one intra-op thread, created on first use: a query of
/// a few tokens gains about a millisecond from a second thread on an idle machine, but on a busy one that thread waits
/// for a core and the query's tail latency grew several-fold (p99 25 vs 7 ms measured by `bench search --mode hybrid`).
/// A one-off CLI search loads only this session; batches (ingest backfill, `embed`) use the configured threads.
/// </para>
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly LocalEmbeddingSettings _settings;
    private readonly Lazy<(InferenceSession Session, BertTokenizer Tokenizer)> _model;
    private readonly Lazy<(InferenceSession Session, BertTokenizer Tokenizer)> _queryModel;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private bool _disposed;

    public LocalEmbeddingGenerator(LocalEmbeddingSettings? settings = null)
    {
        _settings = settings ?? new LocalEmbeddingSettings();
        if (_settings.MaxTokens is < 8 or > MiniLmModel.MaxPositions)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), $"MaxTokens must be between 8 and {MiniLmModel.MaxPositions}");
        }

        _metadata = new EmbeddingGeneratorMetadata("local", null, MiniLmModel.Name, MiniLmModel.Dimensions);
        _model = new Lazy<(InferenceSession, BertTokenizer)>(() => Load(_settings.Threads > 0 ? _settings.Threads : Environment.ProcessorCount),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _queryModel = new Lazy<(InferenceSession, BertTokenizer)>(() => Load(1), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Dimensions => MiniLmModel.Dimensions;

    /// <summary>Loads the model now (otherwise on first use; about a second).</summary>
    public void Warm() => _ = _model.Value;

    /// <summary>Loads the single-text (query) session now (otherwise on the first query).</summary>
    public void WarmQuery() => _ = _queryModel.Value;

    /// <summary>The token ids the model sees for <paramref name="text"/> ([CLS] … [SEP], at most MaxTokens).</summary>
    public IReadOnlyList<int> Tokenize(string text) =>
        (_model.IsValueCreated ? _model : _queryModel).Value.Tokenizer.EncodeToIds(text ?? "", _settings.MaxTokens, out _, out _);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values as IList<string> ?? values.ToList();
        var vectors = Embed(texts, out var tokens, cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = MiniLmModel.Name }))
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
        return Task.FromResult(result);
    }

    /// <summary>Embeds <paramref name="texts"/> (any count) synchronously; the vectors are unit length, in input order.</summary>
    public float[][] Embed(IList<string> texts, out long tokenCount, CancellationToken cancellationToken = default)
    {
        var (session, tokenizer) = texts.Count == 1 ? _queryModel.Value : _model.Value;
        var ids = new IReadOnlyList<int>[texts.Count];
        tokenCount = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            ids[i] = tokenizer.EncodeToIds(texts[i] ?? "", _settings.MaxTokens, out _, out _);
            tokenCount += ids[i].Count;
        }

        var result = new float[texts.Count][];
        // Shortest first: each sub-batch is padded to its own longest text only.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => ids[i].Count).ToArray();
        foreach (var chunk in order.Chunk(Math.Max(1, _settings.BatchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(session, ids, chunk, result);
        }

        return result;
    }

    private static void RunBatch(InferenceSession session, IReadOnlyList<int>[] ids, int[] rows, float[][] result)
    {
        var batch = rows.Length;
        var length = rows.Max(r => ids[r].Count);
        var size = batch * length;
        var inputIds = ArrayPool<long>.Shared.Rent(size);
        var mask = ArrayPool<long>.Shared.Rent(size);
        var types = ArrayPool<long>.Shared.Rent(size);
        try
        {
            Array.Clear(inputIds, 0, size);
            Array.Clear(mask, 0, size);
            Array.Clear(types, 0, size);
            for (var b = 0; b < batch; b++)
            {
                var t = ids[rows[b]];
                for (var j = 0; j < t.Count; j++)
                {
                    inputIds[b * length + j] = t[j];
                    mask[b * length + j] = 1;
                }
            }

            long[] shape = [batch, length];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, inputIds.AsMemory(0, size), shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, size), shape);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, types.AsMemory(0, size), shape);
            using var run = new RunOptions();
            using var outputs = session.Run(run,
                new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue, ["token_type_ids"] = typesValue },
                ["last_hidden_state"]);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            const int d = MiniLmModel.Dimensions;
            for (var b = 0; b < batch; b++)
            {
                // Mean pooling over the real (unpadded) tokens, then unit length: cosine becomes a dot product.
                var v = new float[d];
                var n = ids[rows[b]].Count;
                for (var j = 0; j < n; j++)
                {
                    TensorPrimitives.Add(v, hidden.Slice((b * length + j) * d, d), v);
                }

                var norm = TensorPrimitives.Norm(v);
                TensorPrimitives.Divide(v, norm > 0 ? norm : 1f, v);
                result[rows[b]] = v;
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(inputIds);
            ArrayPool<long>.Shared.Return(mask);
            ArrayPool<long>.Shared.Return(types);
        }
    }

    private static (InferenceSession, BertTokenizer) Load(int threads)
    {
        using var vocab = MiniLmModel.OpenVocabulary();
        // The original tokenizer (bert-base-uncased) lower-cases and strips accents.
        var tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        var session = new InferenceSession(MiniLmModel.ReadModel(), options);
        return (session, tokenizer);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null :
        serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata :
        serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_model.IsValueCreated)
        {
            _model.Value.Session.Dispose();
        }

        if (_queryModel.IsValueCreated)
        {
            _queryModel.Value.Session.Dispose();
        }
    }
}

/// <summary>How the local model runs (from the Embeddings section).</summary>
public sealed record LocalEmbeddingSettings
{
    /// <summary>Tokens per text, [CLS] and [SEP] included (sentence-transformers uses 256 for this model).</summary>
    public int MaxTokens { get; init; } = MiniLmModel.DefaultMaxTokens;

    /// <summary>Texts per ONNX run (after sorting by length).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>ONNX Runtime intra-op threads; 0 = one per core.</summary>
    public int Threads { get; init; }
}
