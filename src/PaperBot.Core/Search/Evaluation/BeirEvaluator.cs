using System.Diagnostics;
using PaperBot.Core.Papers;
using PaperBot.Core.Progress;
using PaperBot.Core.Search.Indexing;

namespace PaperBot.Core.Search.Evaluation;

public sealed record BeirEvaluation(
    int Documents,
    int Queries,
    double NdcgAt10,
    double RecallAt100,
    double MrrAt10,
    TimeSpan IndexTime,
    TimeSpan QueryTime,
    PaperIndexSettings Settings);

/// <summary>
/// Evaluates the product's lexical ranking on a BEIR collection: the corpus goes into a temporary
/// <see cref="PaperIndex"/> (same analyzer, similarity and query builder as the product; BEIR title → title,
/// text → abstract) and every query with judgments is run through <see cref="PaperIndex.Search(SearchQuery)"/>.
/// Queries without relevance judgments are skipped (as trec_eval does); BEIR's rule of ignoring a hit whose id
/// equals the query id is applied.
/// </summary>
public static class BeirEvaluator
{
    public const int Depth = 100;

    /// <summary>Progress is reported every this many documents or queries.</summary>
    private const int ReportEvery = 500;

    public static BeirEvaluation Run(BeirDataset data, PaperIndexSettings settings, IProgress<WorkProgress>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        using var index = PaperIndex.CreateInMemory(settings);
        var added = 0;
        foreach (var d in data.Corpus)
        {
            index.Add(new Paper { Id = d.Id, Title = d.Title, Abstract = d.Text });
            if (++added % ReportEvery == 0)
            {
                progress?.Report(new WorkProgress("indexing documents", added, data.Corpus.Count));
            }
        }

        index.Refresh();
        var indexTime = sw.Elapsed;
        sw.Restart();

        double ndcg = 0, recall = 0, mrr = 0;
        var n = 0;
        var seen = 0;
        foreach (var q in data.Queries)
        {
            if (++seen % 50 == 0)
            {
                progress?.Report(new WorkProgress("running queries", seen, data.Queries.Count));
            }

            if (!data.Qrels.TryGetValue(q.Id, out var judged) || !judged.Values.Any(g => g > 0))
            {
                continue;
            }

            var hits = index.Search(new SearchQuery(q.Text), Depth + 1)
                .Where(h => h.Id != q.Id)
                .Take(Depth)
                .Select(h => (h.Id, h.Score));
            var ranked = RetrievalMetrics.TrecOrder(hits);
            ndcg += RetrievalMetrics.NdcgAt(ranked, judged, 10);
            recall += RetrievalMetrics.RecallAt(ranked, judged, Depth);
            mrr += RetrievalMetrics.ReciprocalRankAt(ranked, judged, 10);
            n++;
        }

        var queryTime = sw.Elapsed;
        return n == 0
            ? new BeirEvaluation(data.Corpus.Count, 0, 0, 0, 0, indexTime, queryTime, settings)
            : new BeirEvaluation(data.Corpus.Count, n, ndcg / n, recall / n, mrr / n, indexTime, queryTime, settings);
    }
}
