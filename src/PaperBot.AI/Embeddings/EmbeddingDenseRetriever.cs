using PaperBot.Core.Search.Dense;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// Core's <see cref="IDenseRetriever"/> over <see cref="PaperEmbeddings"/>: available once the stored vectors of the
/// configured model are loaded (loaded on first use by a one-shot CLI command; in the background by `run`, during
/// which searches stay lexical).
/// </summary>
public sealed class EmbeddingDenseRetriever(PaperEmbeddings embeddings) : IDenseRetriever
{
    public bool IsAvailable => embeddings.Enabled && embeddings.EnsureLoaded() && embeddings.Index.Count > 0;

    public string ModelKey => embeddings.ModelKey;

    public int Count => embeddings.Index.Count;

    public Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken) => embeddings.EmbedQueryAsync(text, cancellationToken);

    public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top) => embeddings.Index.Search(query, top);

    public float? Cosine(ReadOnlySpan<float> query, string id) => embeddings.Index.Cosine(query, id);

    public float[]? VectorOf(string id) => embeddings.Index.VectorOf(id);
}
