namespace PaperBot.Core.Search.Evaluation;

/// <summary>
/// trec_eval-compatible metrics (what BEIR reports through pytrec_eval): a run is re-sorted by score descending,
/// ties broken by document id descending (trec_eval's order); gains are the qrels grades (≤ 0 = not relevant);
/// DCG uses gain / log2(rank + 1); the ideal DCG comes from the qrels, not from the run.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>Orders a run the way trec_eval does before scoring it.</summary>
    public static List<string> TrecOrder(IEnumerable<(string DocId, float Score)> run) =>
        run.OrderByDescending(r => r.Score)
            .ThenByDescending(r => r.DocId, StringComparer.Ordinal)
            .Select(r => r.DocId)
            .ToList();

    public static double NdcgAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> qrels, int k)
    {
        var dcg = 0.0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rank = 0;
        foreach (var doc in ranked)
        {
            if (!seen.Add(doc))
            {
                continue; // a document counts once
            }

            rank++;
            if (rank > k)
            {
                break;
            }

            if (qrels.TryGetValue(doc, out var g) && g > 0)
            {
                dcg += g / Math.Log2(rank + 1);
            }
        }

        var ideal = qrels.Values.Where(g => g > 0).OrderByDescending(g => g).Take(k)
            .Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal > 0 ? dcg / ideal : 0;
    }

    public static double RecallAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> qrels, int k)
    {
        var relevant = qrels.Count(kv => kv.Value > 0);
        if (relevant == 0)
        {
            return 0;
        }

        var found = ranked.Distinct(StringComparer.Ordinal).Take(k).Count(d => qrels.TryGetValue(d, out var g) && g > 0);
        return (double)found / relevant;
    }

    /// <summary>Reciprocal rank of the first relevant document within the top <paramref name="k"/> (0 if none).</summary>
    public static double ReciprocalRankAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> qrels, int k)
    {
        var rank = 0;
        foreach (var doc in ranked.Distinct(StringComparer.Ordinal))
        {
            rank++;
            if (rank > k)
            {
                break;
            }

            if (qrels.TryGetValue(doc, out var g) && g > 0)
            {
                return 1.0 / rank;
            }
        }

        return 0;
    }
}
