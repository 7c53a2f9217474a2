using Microsoft.Extensions.AI;
using PaperBot.Core.Search.Dense;

namespace PaperBot.AI.Embeddings;

/// <summary>An <see cref="IDenseRetriever"/> over a given vector index and generator (evaluation and benchmarks).</summary>
public sealed class InMemoryDenseRetriever(VectorIndex index, IEmbeddingGenerator<string, Embedding<float>> generator, string modelKey) : IDenseRetriever
{
    public VectorIndex Index => index;

    public bool IsAvailable => index.Count > 0;

    public string ModelKey => modelKey;

    public int Count => index.Count;

    public async Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken)
    {
        var e = await generator.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false);
        return e[0].Vector.ToArray();
    }

    public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top) => index.Search(query, top);

    public float? Cosine(ReadOnlySpan<float> query, string id) => index.Cosine(query, id);

    public float[]? VectorOf(string id) => index.VectorOf(id);
}
