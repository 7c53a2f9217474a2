namespace PaperBot.Core.Search.Dense;

/// <summary>A paper found by embedding similarity: its id and the cosine of its vector with the query's.</summary>
public readonly record struct DenseHit(string Id, float Cosine);

/// <summary>
/// The embedding side of hybrid search, as Core sees it (the AI module implements it over the configured embedding
/// generator and the stored vectors). Every vector searched belongs to one model (<see cref="ModelKey"/>).
/// </summary>
public interface IDenseRetriever
{
    /// <summary>True when vectors of the configured model are loaded and the query can be embedded.</summary>
    bool IsAvailable { get; }

    /// <summary>provider/model/dimensions of the vectors searched (empty when none).</summary>
    string ModelKey { get; }

    /// <summary>Papers with a vector in the index.</summary>
    int Count { get; }

    /// <summary>The query's unit vector (the model may run remotely).</summary>
    Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken);

    /// <summary>The <paramref name="top"/> most similar papers, best first.</summary>
    IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top);

    /// <summary>The cosine of <paramref name="id"/>'s vector with the query; null when the paper has no vector.</summary>
    float? Cosine(ReadOnlySpan<float> query, string id);

    /// <summary>A stored paper's own vector (for "related"), or null.</summary>
    float[]? VectorOf(string id);
}

/// <summary>No embedding backend (Embeddings:Provider=none): every search is lexical.</summary>
public sealed class NoDenseRetriever : IDenseRetriever
{
    public bool IsAvailable => false;

    public string ModelKey => "";

    public int Count => 0;

    public Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("no embedding backend is configured (Embeddings:Provider=none)");

    public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top) => [];

    public float? Cosine(ReadOnlySpan<float> query, string id) => null;

    public float[]? VectorOf(string id) => null;
}
