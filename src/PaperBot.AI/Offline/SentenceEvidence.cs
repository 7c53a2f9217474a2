using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using Microsoft.Extensions.AI;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// Sentence-level semantic evidence that a paper answers a question: the cosine (all-MiniLM-L6-v2, the local model)
/// between the question and the abstract sentence closest to it. A paper-level embedding says the paper is on a
/// nearby topic; a single sentence that means what the question asks says the paper answers it, whatever words the
/// question uses. Available only with the local embedding model (a remote provider would be charged per sentence);
/// otherwise <see cref="IsAvailable"/> is false and the relevance gate uses retrieval's relevance alone.
/// <para>
/// Sentence vectors are read on first use per paper revision from those stored at backfill or shipped with the sample
/// (<see cref="PaperEmbeddings.StoredSentenceVectors"/>); a paper without them (not yet backfilled, text changed,
/// another model, or <c>Embeddings:SentenceVectors=false</c>) has them computed now (one batched model run, tens of
/// milliseconds per paper). Either way they are kept in a bounded cache (dropped whole at <see cref="Capacity"/>
/// papers), like <see cref="AnalysedPaper"/>. Stored and computed vectors are the same int8 vectors, so an answer
/// does not depend on which path found them.
/// </para>
/// </summary>
public sealed class SentenceEvidence
{
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<(string Id, long Revision, int Length), float[][]> _cache = new();
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _model;
    private readonly PaperEmbeddings? _embeddings;

    public SentenceEvidence(IServiceProvider services, IOptions<EmbeddingsOptions> options)
    {
        if (options.Value.Enabled && options.Value.IsLocal)
        {
            _embeddings = services.GetService<PaperEmbeddings>();
            _model = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
        }
    }

    /// <summary>For tests and tools: evidence from a given model (the question embedded by it too).</summary>
    public SentenceEvidence(IEmbeddingGenerator<string, Embedding<float>> model)
    {
        _model = model;
    }

    public bool IsAvailable => _model is not null;

    /// <summary>The question's unit vector (the same one retrieval used, from its cache when it is there).</summary>
    public async Task<float[]?> QuestionVectorAsync(string question, CancellationToken ct)
    {
        if (_model is null)
        {
            return null;
        }

        var text = TextAnalysis.QueryText(question);
        if (text.Length == 0)
        {
            return null;
        }

        return _embeddings is not null
            ? await _embeddings.EmbedQueryAsync(text, ct).ConfigureAwait(false)
            : (await EmbedAsync([text], ct).ConfigureAwait(false))[0];
    }

    /// <summary>Cosine of the question with each abstract sentence of <paramref name="paper"/> (in sentence order).</summary>
    public async Task<IReadOnlyList<double>> SimilaritiesAsync(float[] question, Paper paper, CancellationToken ct = default)
    {
        var vectors = await SentenceVectorsAsync(paper, ct).ConfigureAwait(false);
        var result = new double[vectors.Length];
        for (var i = 0; i < vectors.Length; i++)
        {
            result[i] = System.Numerics.Tensors.TensorPrimitives.Dot(question, vectors[i]);
        }

        return result;
    }

    /// <summary>The best sentence cosine of the paper (0 without sentences).</summary>
    public async Task<double> BestAsync(float[] question, Paper paper, CancellationToken ct = default)
    {
        var s = await SimilaritiesAsync(question, paper, ct).ConfigureAwait(false);
        return s.Count == 0 ? 0 : s.Max();
    }

    private async Task<float[][]> EmbedAsync(IList<string> texts, CancellationToken ct)
    {
        var e = await _model!.GenerateAsync(texts, cancellationToken: ct).ConfigureAwait(false);
        return e.Select(x =>
        {
            var v = x.Vector.ToArray();
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
            }

            return v;
        }).ToArray();
    }

    private async Task<float[][]> SentenceVectorsAsync(Paper paper, CancellationToken ct)
    {
        var key = (paper.Id, paper.Revision, paper.Abstract.Length + paper.Title.Length);
        if (_cache.TryGetValue(key, out var v))
        {
            return v;
        }

        if (_model is null)
        {
            return [];
        }

        var sentences = PaperSentenceVectorsRecord.SentencesOf(paper);
        if (sentences.Count == 0)
        {
            v = [];
        }
        else if (_embeddings is not null)
        {
            v = _embeddings.StoredSentenceVectors(paper, sentences) ?? await _embeddings.EmbedSentencesAsync(paper, ct).ConfigureAwait(false);
        }
        else
        {
            v = (await PaperSentenceVectorsRecord.EmbedAsync(_model, [paper], "", ct).ConfigureAwait(false))[0].ToVectors();
        }

        if (_cache.Count >= Capacity)
        {
            _cache.Clear();
        }

        _cache[key] = v;
        return v;
    }
}
