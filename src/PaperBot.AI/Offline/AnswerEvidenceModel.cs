namespace PaperBot.AI.Offline;

/// <summary>
/// The chance that a retrieved paper answers the question, from three signals of the question's hits
/// (<see cref="RelevanceGate"/> computes them):
/// <list type="bullet">
/// <item><b>best</b>: the cosine between the question and the paper's closest abstract sentence
/// (<see cref="SentenceEvidence"/>, all-MiniLM-L6-v2). One sentence that means what the question asks is evidence that
/// the paper answers it, whatever words the question uses.</item>
/// <item><b>median</b>: the median of that best-sentence cosine over all the question's hits (the candidates of one
/// search). It is the question's background: a question about nothing in the corpus (cooking, sport) meets a flat,
/// low profile of sentences; one in the corpus's field meets many close sentences, even in lay words.</item>
/// <item><b>margin</b>: the log ratio of the paper's calibrated retrieval relevance (<c>SearchHit.Relevance</c>) to
/// the best of the next four hits'. The paper that answers stands out of the list even when its absolute relevance
/// is low, as for lay-worded questions; a 2nd or 3rd hit gets a negative margin and needs stronger sentence evidence.</item>
/// </list>
/// A logistic model fitted (L2 1e-3 on standardised features, plain gradient descent) on questions that are NOT the
/// dev set: every question of <c>tests/PaperBot.Tests/Data/answers-heldout.jsonl</c> to <c>answers-heldout-5.jsonl</c>
/// and <c>gate-offtopic.jsonl</c> (hand-written from sample abstracts or about nothing in the corpus), with the
/// features of each of the first three hits: a relevant paper is a positive; any hit of an off-topic question, and a
/// hit that is not the relevant paper, is a negative (335 hits, 68 positives). Leave-one-file-out (refit on five
/// files, threshold above their off-topic hits, the gate simulated on the sixth together with
/// <see cref="FirstHitProbability"/> for the first hit), the relevant paper came first for 50 of 70 answerable questions
/// and 1 of 40 off-topic questions cited something (the two-feature model alone: 46 and 2).
/// <see cref="Configuration.AnswersOptions.MinAnswerProbability"/> (0.7) is the least round value above every
/// off-topic hit of the whole set (the highest, 0.68, a crop-yield question that meets a geospatial paper).
/// </summary>
public static class AnswerEvidenceModel
{
    private const double Bias = -7.9583, SentenceWeight = 6.1223, MedianWeight = 9.1476, MarginWeight = 2.9111;

    /// <summary>
    /// The first model (kept for the first hit, which it was fitted on): retrieval's calibrated relevance (log-odds) and
    /// the best sentence cosine, fitted the same way on <c>answers-heldout.jsonl</c>, <c>answers-heldout-2.jsonl</c> and
    /// <c>gate-offtopic.jsonl</c> (45 first hits, 24 positives).
    /// </summary>
    public static double FirstHitProbability(double relevance, double bestSentenceCosine)
    {
        var r = Math.Clamp(relevance, 1e-4, 1 - 1e-4);
        var x = -0.985 + 0.621 * Math.Log(r / (1 - r)) + 7.912 * bestSentenceCosine;
        return 1 / (1 + Math.Exp(-x));
    }

    /// <summary>Relevance floor of the margin's ratio (retrieval's relevance can be 0).</summary>
    public const double RelevanceFloor = 1e-4;

    public static double Probability(double bestSentenceCosine, double medianBestCosine, double logRelevanceMargin)
    {
        var x = Bias + SentenceWeight * bestSentenceCosine + MedianWeight * medianBestCosine + MarginWeight * logRelevanceMargin;
        return 1 / (1 + Math.Exp(-x));
    }

    /// <summary>The margin feature: ln(relevance / the best relevance of the next four other hits), both floored.</summary>
    public static double LogRelevanceMargin(double relevance, double nextBest) =>
        Math.Log(Math.Max(relevance, RelevanceFloor) / Math.Max(nextBest, RelevanceFloor));

    /// <summary>The median (the mean of the middle two for an even count); 0 when empty.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var s = values.Order().ToArray();
        var m = s.Length / 2;
        return s.Length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
