using System.Diagnostics;
using System.Text.RegularExpressions;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Evaluation;

namespace PaperBot.AI.Evaluation;

/// <summary>The measure of one answer.</summary>
public sealed record AnswerScore(
    EvalQuestion Question,
    double Score,
    bool RightPaperFirst,
    double EvidenceShare,
    bool CitedNothing,
    bool Flagged,
    IReadOnlyList<string> CitedTitles,
    double Milliseconds);

/// <summary>Scores per kind and overall.</summary>
public sealed record AnswerEvaluation(IReadOnlyList<AnswerScore> Answers)
{
    public double Overall => Answers.Count == 0 ? 0 : Answers.Average(a => a.Score);

    public IReadOnlyList<(string Kind, int Count, double Score)> PerKind =>
        Answers.GroupBy(a => a.Question.Kind).OrderBy(g => KindOrder(g.Key)).Select(g => (g.Key, g.Count(), g.Average(a => a.Score))).ToList();

    public int OffTopic => Answers.Count(a => a.Question.Kind == "off_topic");

    public int OffTopicCitingNothing => Answers.Count(a => a.Question.Kind == "off_topic" && a.CitedNothing);

    public int FalsePremise => Answers.Count(a => a.Question.Kind == "false_premise");

    public int FalsePremiseFlagged => Answers.Count(a => a.Question.Kind == "false_premise" && a.Flagged);

    private static int KindOrder(string kind) => Array.IndexOf(AnswerEvaluator.Kinds, kind) is var i and >= 0 ? i : 99;
}

/// <summary>
/// The answer-quality measure of the issue and of <c>eval/README.md</c>, run through <see cref="IPaperAssistant"/>
/// (each question in its own conversation):
/// <list type="bullet">
/// <item>answerable kinds (paraphrase, hard, finding): half for citing a relevant paper first, half for carrying an
/// evidence sentence (whitespace-collapsed, as the reader sees it) or, for <c>finding</c>, its key clause: every
/// number of the evidence sentence inside one sentence of the answer;</item>
/// <item><c>compare</c>: half for the first two cited papers being the two relevant ones (a quarter for one of
/// them), half shared between the evidence sentences (one per paper);</item>
/// <item><c>off_topic</c>: 1 only when nothing is cited;</item>
/// <item><c>false_premise</c> about a paper that does not exist: 1 when nothing is cited and the answer flags the
/// premise, 0.5 when nothing is cited but it is not flagged; about a misstated real paper: scored like an answerable
/// question (the right paper first, the contradicting sentence quoted). "Flagged" means
/// <see cref="AssistantAnswer.PremiseUnsupported"/>.</item>
/// </list>
/// </summary>
public sealed partial class AnswerEvaluator(IPaperAssistant assistant, IPaperStore store)
{
    public static readonly string[] Kinds = ["paraphrase", "hard", "finding", "compare", "off_topic", "false_premise"];

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Number();

    public async Task<AnswerEvaluation> RunAsync(IReadOnlyList<EvalQuestion> questions, CancellationToken cancellationToken = default)
    {
        var scores = new List<AnswerScore>(questions.Count);
        foreach (var q in questions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            var answer = await assistant.AskAsync(new AskRequest
            {
                ConversationKey = "eval:" + q.Id + ":" + Guid.NewGuid().ToString("N"),
                UserId = "eval",
                Question = q.Question,
            }, cancellationToken).ConfigureAwait(false);
            sw.Stop();
            scores.Add(Score(q, answer, sw.Elapsed.TotalMilliseconds));
        }

        return new AnswerEvaluation(scores);
    }

    public AnswerScore Score(EvalQuestion q, AssistantAnswer answer, double milliseconds = 0)
    {
        var relevant = q.RelevantTitleIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cited = answer.Citations.OrderBy(c => c.Number).Select(c => c.PaperId).ToList();
        var citedTitles = answer.Citations.OrderBy(c => c.Number).Select(c => c.Title).ToList();
        var seen = MarkdownText.Unescape(answer.Markdown);
        var evidence = q.Evidence.Select(e => Carries(seen, e, q.Kind)).ToList();
        var nothing = cited.Count == 0;
        var first = cited.Count > 0 && relevant.Contains(cited[0]);
        double score;
        switch (q.Kind)
        {
            case "off_topic":
                score = nothing ? 1 : 0;
                break;
            case "false_premise" when relevant.Count == 0:
                score = nothing ? (answer.PremiseUnsupported ? 1 : 0.5) : 0;
                break;
            case "compare":
                var firstTwo = cited.Take(2).Count(relevant.Contains);
                score = (firstTwo >= 2 ? 0.5 : firstTwo == 1 ? 0.25 : 0) + (evidence.Count == 0 ? 0 : 0.5 * evidence.Count(e => e) / evidence.Count);
                break;
            default:
                score = (first ? 0.5 : 0) + (evidence.Any(e => e) ? 0.5 : 0);
                break;
        }

        return new AnswerScore(q, score, first, evidence.Count == 0 ? 0 : (double)evidence.Count(e => e) / evidence.Count, nothing, answer.PremiseUnsupported, citedTitles, milliseconds);
    }

    /// <summary>The evidence sentence, or for a finding every number of it within one answer sentence.</summary>
    private static bool Carries(string answer, string evidence, string kind)
    {
        if (QuestionSet.ContainsEvidence(answer, evidence))
        {
            return true;
        }

        if (kind != "finding")
        {
            return false;
        }

        var numbers = Number().Matches(evidence).Select(m => m.Value).Distinct().ToList();
        return numbers.Count > 0 && TextAnalysis.Sentences(answer).Any(s => numbers.All(n => Regex.IsMatch(s, $@"(?<![\d.]){Regex.Escape(n)}(?![\d])")));
    }

    /// <summary>True when every relevant title of every question is a stored paper (the set fits this database).</summary>
    public IReadOnlyList<string> MissingTitles(IReadOnlyList<EvalQuestion> questions) =>
        questions.SelectMany(q => q.RelevantTitles.Zip(q.RelevantTitleIds)).Where(t => store.Get(t.Second) is null).Select(t => t.First).Distinct().ToList();
}

/// <summary>Plain-text and JSON reports of an <see cref="AnswerEvaluation"/> (independent of the CLI parser).</summary>
public static class AnswerEvaluationReport
{
    public static string Text(AnswerEvaluation e, bool details)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("kind            n   score");
        foreach (var (kind, count, score) in e.PerKind)
        {
            sb.AppendLine(string.Create(inv, $"{kind,-14} {count,3}   {score:F3}"));
        }

        sb.AppendLine(string.Create(inv, $"{"overall",-14} {e.Answers.Count,3}   {e.Overall:F3}"));
        sb.AppendLine(string.Create(inv, $"off_topic citing nothing: {e.OffTopicCitingNothing}/{e.OffTopic}"));
        sb.AppendLine(string.Create(inv, $"false_premise flagged:    {e.FalsePremiseFlagged}/{e.FalsePremise}"));
        var ms = e.Answers.Select(a => a.Milliseconds).Order().ToList();
        if (ms.Count > 0)
        {
            sb.AppendLine(string.Create(inv, $"latency ms: p50 {ms[ms.Count / 2]:F1}, p95 {ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(ms.Count * 0.95) - 1)]:F1}, max {ms[^1]:F1}"));
        }

        if (details)
        {
            foreach (var a in e.Answers.Where(a => a.Score < 1))
            {
                sb.AppendLine(string.Create(inv, $"{a.Question.Id} {a.Question.Kind} {a.Score:F2} first={(a.RightPaperFirst ? "y" : "n")} evidence={a.EvidenceShare:F2} flagged={(a.Flagged ? "y" : "n")} cited=[{string.Join(" | ", a.CitedTitles.Select(t => t.Length > 50 ? t[..50] : t))}]"));
            }
        }

        return sb.ToString().TrimEnd();
    }

    public static object Json(AnswerEvaluation e) => new
    {
        overall = Math.Round(e.Overall, 4),
        questions = e.Answers.Count,
        per_kind = e.PerKind.Select(k => new { kind = k.Kind, count = k.Count, score = Math.Round(k.Score, 4) }),
        off_topic_citing_nothing = e.OffTopicCitingNothing,
        off_topic = e.OffTopic,
        false_premise_flagged = e.FalsePremiseFlagged,
        false_premise = e.FalsePremise,
        answers = e.Answers.Select(a => new
        {
            id = a.Question.Id,
            kind = a.Question.Kind,
            score = a.Score,
            right_paper_first = a.RightPaperFirst,
            evidence = a.EvidenceShare,
            cited_nothing = a.CitedNothing,
            flagged = a.Flagged,
            cited = a.CitedTitles,
            ms = Math.Round(a.Milliseconds, 2),
        }),
    };
}
