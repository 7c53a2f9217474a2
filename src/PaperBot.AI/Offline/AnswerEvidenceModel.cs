namespace PaperBot.AI.Offline;

/// <summary>
/// The chance that the retrieved paper answers the question, from two signals:
/// <list type="bullet">
/// <item>the log-odds of retrieval's calibrated relevance (<c>SearchHit.Relevance</c>: BM25 share and the paper
/// embedding's stand-out, fitted on SciFact);</item>
/// <item>the cosine between the question and the paper's closest abstract sentence (<see cref="SentenceEvidence"/>,
/// all-MiniLM-L6-v2). A paper-level vector says the paper is on a nearby topic; one sentence that means what the
/// question asks is evidence that the paper answers it, whatever words the question uses.</item>
/// </list>
/// A logistic model fitted (L2 1e-3, plain gradient descent) on questions that are NOT the dev set:
/// <c>tests/PaperBot.Tests/Data/answers-heldout.jsonl</c> and <c>answers-heldout-2.jsonl</c> (hand-written from sample
/// abstracts; the answerable and misstated-premise questions are positives, the off-topic ones negatives) and
/// <c>gate-offtopic.jsonl</c> (16 hand-written questions about nothing in the corpus): 45 questions, 24 positives,
/// features of the first retrieved hit. <see cref="Configuration.AnswersOptions.MinAnswerProbability"/> (0.7) is the
/// least value above every negative of that set (the highest, 0.67, a crop-yield question that meets a geospatial
/// paper).
/// </summary>
public static class AnswerEvidenceModel
{
    private const double Bias = -0.985, RelevanceWeight = 0.621, SentenceWeight = 7.912;

    public static double Probability(double relevance, double sentenceCosine)
    {
        var r = Math.Clamp(relevance, 1e-4, 1 - 1e-4);
        var x = Bias + RelevanceWeight * Math.Log(r / (1 - r)) + SentenceWeight * sentenceCosine;
        return 1 / (1 + Math.Exp(-x));
    }
}
