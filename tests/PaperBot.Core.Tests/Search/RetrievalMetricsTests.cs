using PaperBot.Core.Search.Evaluation;

namespace PaperBot.Core.Tests.Search;

public sealed class RetrievalMetricsTests
{
    private static readonly Dictionary<string, int> TwoRelevant = new() { ["a"] = 1, ["b"] = 1, ["x"] = 0 };

    [Fact]
    public void Ndcg_is_one_for_an_ideal_ranking_and_uses_log2_discount()
    {
        Assert.Equal(1.0, RetrievalMetrics.NdcgAt(["a", "b", "c"], TwoRelevant, 10), 12);

        // relevant at ranks 2 and 3: (1/log2(3) + 1/log2(4)) / (1 + 1/log2(3))
        var expected = (1 / Math.Log2(3) + 1 / Math.Log2(4)) / (1 + 1 / Math.Log2(3));
        Assert.Equal(expected, RetrievalMetrics.NdcgAt(["c", "a", "b"], TwoRelevant, 10), 12);
    }

    [Fact]
    public void Ndcg_ideal_comes_from_qrels_not_from_the_run()
    {
        // Only one of the two relevant documents retrieved, at rank 1: DCG 1, IDCG 1 + 1/log2(3).
        var expected = 1 / (1 + 1 / Math.Log2(3));
        Assert.Equal(expected, RetrievalMetrics.NdcgAt(["a", "c"], TwoRelevant, 10), 12);
    }

    [Fact]
    public void Ndcg_cut_ignores_ranks_beyond_k_and_graded_gains_are_linear()
    {
        Assert.Equal(0.0, RetrievalMetrics.NdcgAt(["c", "d", "a"], TwoRelevant, 2));
        var graded = new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 };
        var expected = (1 + 2 / Math.Log2(3)) / (2 + 1 / Math.Log2(3));
        Assert.Equal(expected, RetrievalMetrics.NdcgAt(["b", "a"], graded, 10), 12);
    }

    [Fact]
    public void Recall_and_reciprocal_rank()
    {
        Assert.Equal(0.5, RetrievalMetrics.RecallAt(["c", "a", "d"], TwoRelevant, 100));
        Assert.Equal(0.0, RetrievalMetrics.RecallAt(["c", "d", "a"], TwoRelevant, 2));
        Assert.Equal(1.0 / 3, RetrievalMetrics.ReciprocalRankAt(["c", "x", "b", "a"], TwoRelevant, 10), 12);
        Assert.Equal(0.0, RetrievalMetrics.ReciprocalRankAt(["c", "x", "b"], TwoRelevant, 2));
    }

    [Fact]
    public void Trec_order_breaks_score_ties_by_docid_descending()
    {
        var ranked = RetrievalMetrics.TrecOrder([("a", 1f), ("c", 2f), ("b", 1f)]);
        Assert.Equal(["c", "b", "a"], ranked);
    }
}
