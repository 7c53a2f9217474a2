namespace PaperBot.Core.Search.Ranking;

/// <summary>How hybrid search merges the BM25 and the embedding rankings.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion: each list adds 1 / (k + rank).</summary>
    Rrf,

    /// <summary>Ranks by the calibrated relevance of both signals (<see cref="RelevanceModel.Hybrid"/>).</summary>
    Relevance,
}
