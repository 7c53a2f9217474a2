namespace PaperBot.Core.Search.Evaluation;

/// <summary>Retrieval recall@k and top-hit relevance of one kind of question.</summary>
public sealed record KindResult(string Kind, int Questions, int Judged, double RecallAtK, double MeanTopRelevance, double MaxTopRelevance, double MinTopRelevance);

public sealed record QuestionEvaluation(int K, IReadOnlyList<KindResult> Kinds, double OverallRecall, int OverallJudged, IReadOnlyList<(string Id, string Kind, double Recall, double? TopRelevance)> PerQuestion);

/// <summary>
/// Retrieval recall@k per kind on a question set (the dev question set's README: the fraction of a question's relevant
/// titles among the top k papers; for compare both count). Questions without relevant titles (off_topic and
/// false_premise about a missing paper) have no recall; for them the top hit's relevance shows whether the
/// "nothing relevant" threshold holds.
/// </summary>
public static class QuestionEvaluator
{
    public static QuestionEvaluation Run(IReadOnlyList<EvalQuestion> questions, Func<EvalQuestion, IReadOnlyList<SearchHit>> search, int k = 5)
    {
        var per = new List<(string Id, string Kind, double Recall, double? TopRelevance)>();
        foreach (var q in questions)
        {
            var hits = search(q).Take(k).ToList();
            var ids = new HashSet<string>(hits.Select(h => h.Paper.Id), StringComparer.OrdinalIgnoreCase);
            var relevant = q.RelevantTitleIds;
            var recall = relevant.Count == 0 ? double.NaN : relevant.Count(ids.Contains) / (double)relevant.Count;
            per.Add((q.Id, q.Kind, recall, hits.Count == 0 ? 0 : hits[0].Relevance));
        }

        var kinds = per.GroupBy(p => p.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var judged = g.Where(p => !double.IsNaN(p.Recall)).ToList();
            var top = g.Select(p => p.TopRelevance ?? 0).ToList();
            return new KindResult(g.Key, g.Count(), judged.Count, judged.Count == 0 ? double.NaN : judged.Average(p => p.Recall), top.Average(), top.Max(), top.Min());
        }).ToList();
        var all = per.Where(p => !double.IsNaN(p.Recall)).ToList();
        return new QuestionEvaluation(k, kinds, all.Count == 0 ? double.NaN : all.Average(p => p.Recall), all.Count, per);
    }
}
