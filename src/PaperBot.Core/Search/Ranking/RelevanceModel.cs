namespace PaperBot.Core.Search.Ranking;

/// <summary>
/// Calibrated relevance (0..1, comparable across queries) from two signals:
/// <list type="bullet">
/// <item><b>lexical</b>: the BM25 score divided by the most any paper could score for the query
/// (<see cref="Indexing.PaperQueryBuilder.MaxScore"/>), so a hit matching only everyday words ("best", "large",
/// "state of the art": low idf) or only part of a question's rare words stays low;</item>
/// <item><b>dense</b>: how far the paper's embedding cosine with the query stands out above the query's background
/// similarity (the cosine of its <see cref="ReferenceRank"/>th nearest paper). Raw cosines are not comparable across
/// questions; measured on the dev questions, the best raw cosine of an off-topic question (0.34-0.51) lies inside the
/// range of answerable ones (0.30-0.69), while the stand-out separates them much better.</item>
/// </list>
/// Each is a logistic model fitted on BEIR SciFact (300 test queries; of each query's fused top 10, the judged papers
/// are positives and the rest negatives; <c>paperbot eval beir --mode hybrid --fit-relevance</c> prints the fit), so
/// the value estimates the chance that a paper is relevant; the coefficients below are that fit. Hybrid search with
/// Search:Fusion=relevance ranks by it (its two weights), which measured better than RRF on SciFact and on the dev
/// questions (README "Retrieval quality"). A paper without a
/// vector gets the lexical model, a dense-only hit the dense model with its exact BM25.
/// <para>
/// For the answer layer: treat a hit below <see cref="NothingRelevantBelow"/> as not about the question; when the best
/// hit is below it, say that nothing relevant was found.
/// </para>
/// </summary>
public static class RelevanceModel
{
    /// <summary>
    /// Recommended "nothing relevant" threshold for <see cref="SearchHit.Relevance"/> (of the best hit). Measured on
    /// the 60 dev questions (hybrid): 5 of 8 off-topic questions fall below it and 44 of 46 answerable ones stay above
    /// (README "Relevance signal"). The values are small because they estimate the chance that a paper is judged
    /// relevant, fitted on SciFact's top 10 (a base rate of about one in ten).
    /// </summary>
    public const double NothingRelevantBelow = 0.02;

    /// <summary>Default Search:RelevanceFloor: a date or upvote sort keeps hits at least this relevant.</summary>
    public const double SortFloor = 0.1;

    // Logistic coefficients (intercept, weights); see the class remarks for how they were fitted.
    private const double LexicalBias = -5.12, LexicalWeight = 11.829;
    private const double DenseBias = -4.145, DenseWeight = 11.574;
    private const double HybridBias = -5.549, HybridDense = 7.129, HybridLexical = 8.874;

    /// <summary>The dense list rank whose cosine is the query's background similarity.</summary>
    public const int ReferenceRank = 50;

    /// <summary>BM25 relative to the query's maximum, 0..1.</summary>
    public static double LexicalFeature(double bm25, double maxScore) =>
        maxScore > 0 ? Math.Clamp(bm25 / maxScore, 0, 1) : 0;

    public static double Lexical(double lexical) => Sigmoid(LexicalBias + LexicalWeight * lexical);

    public static double Dense(double standout) => Sigmoid(DenseBias + DenseWeight * standout);

    public static double Hybrid(double standout, double lexical) => Sigmoid(HybridBias + HybridDense * standout + HybridLexical * lexical);

    /// <summary>The model for what is known about a hit (stand-out null: no vector).</summary>
    public static double Of(double? standout, double lexical) => standout is { } s ? Hybrid(s, lexical) : Lexical(lexical);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
