namespace PaperBot.Core.Search.Ranking;

/// <summary>
/// Calibrated relevance (0..1, comparable across queries) from two signals:
/// <list type="bullet">
/// <item><b>lexical</b>: the BM25 score divided by the most any paper could score for the query
/// (<see cref="Indexing.PaperQueryBuilder.MaxScore"/>), so a hit matching only everyday words ("best", "large",
/// "state of the art": low idf) or only part of a question's rare words stays low;</item>
/// <item><b>dense</b>: the cosine of the query and paper embeddings (all-MiniLM-L6-v2 by default).</item>
/// </list>
/// Each is a logistic model fitted on BEIR SciFact (300 test queries, judged papers as positives, the other top-100
/// candidates of both retrievers as negatives; <c>paperbot eval beir --fit-relevance</c> prints the fit), so the value
/// estimates the chance that a paper is relevant; the coefficients below are that fit, rounded. A paper without a
/// vector gets the lexical model, a dense-only hit the dense model with its exact BM25.
/// <para>
/// For the answer layer: treat a hit below <see cref="NothingRelevantBelow"/> as not about the question; when the best
/// hit is below it, say that nothing relevant was found.
/// </para>
/// </summary>
public static class RelevanceModel
{
    /// <summary>
    /// Recommended "nothing relevant" threshold for <see cref="SearchHit.Relevance"/>. Chosen on the dev questions of
    /// ../shared/eval and SciFact together: see README "Relevance signal" for the measured separation.
    /// </summary>
    public const double NothingRelevantBelow = 0.35;

    // Logistic coefficients (intercept, weights); see the class remarks for how they were fitted.
    private const double LexicalBias = -4.6, LexicalWeight = 9.0;
    private const double DenseBias = -9.5, DenseWeight = 16.0;
    private const double HybridBias = -9.8, HybridDense = 13.5, HybridLexical = 4.5;

    /// <summary>BM25 relative to the query's maximum, 0..1.</summary>
    public static double LexicalFeature(double bm25, double maxScore) =>
        maxScore > 0 ? Math.Clamp(bm25 / maxScore, 0, 1) : 0;

    public static double Lexical(double lexical) => Sigmoid(LexicalBias + LexicalWeight * lexical);

    public static double Dense(double cosine) => Sigmoid(DenseBias + DenseWeight * cosine);

    public static double Hybrid(double cosine, double lexical) => Sigmoid(HybridBias + HybridDense * cosine + HybridLexical * lexical);

    /// <summary>The model for what is known about a hit.</summary>
    public static double Of(double? cosine, double lexical) => cosine is { } c ? Hybrid(c, lexical) : Lexical(lexical);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
