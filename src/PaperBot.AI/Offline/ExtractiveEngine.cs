using System.Text;
using PaperBot.AI.Grounding;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// The honest offline backend: everything it says is a sentence copied from a retrieved abstract, with its citation.
/// Answers are evidence-first: each paper contributes the sentences that answer the question's need (a number for
/// "how much", the method for "how does", the data for "what data"), weighted by how much of the question's rare
/// vocabulary they carry; background and motivation sentences are used only when nothing else matches. Comparisons
/// fill each aspect with a sentence chosen by that aspect's cues, never one sentence for two aspects.
/// </summary>
public sealed partial class ExtractiveEngine
{
    public const string NotStated = "not stated";

    public const int MaxSentenceChars = 600;

    public static readonly IReadOnlyList<string> DefaultAspects = ["Task", "Method", "Data", "Results", "Limitations"];

    /// <summary>
    /// Papers in an answer (the top one gets up to <see cref="MaxTopSentences"/> sentences that match the question, and
    /// its proposal sentence when the question asks what or how; the others one).
    /// </summary>
    public int MaxAnswerPapers { get; init; } = 3;

    public const int MaxTopSentences = 4;

    /// <summary>A scored sentence of one paper.</summary>
    public sealed record Scored(Paper Paper, int Index, string Sentence, double Score, double Coverage);

    /// <summary>
    /// The evidence-first answer from <paramref name="papers"/> (already judged relevant, in rank order), or null
    /// when there is nothing to say.
    /// </summary>
    public ExtractiveText? Answer(string question, IReadOnlyList<Paper> papers, CorpusStats.Snapshot stats, string? lead = null, IReadOnlyDictionary<string, IReadOnlyList<double>>? semantic = null)
    {
        if (papers.Count == 0)
        {
            return null;
        }

        var need = QuestionNeed.Of(question);
        var citations = new CitationSet();
        var lines = new List<string>();
        for (var r = 0; r < papers.Count && lines.Count < MaxAnswerPapers; r++)
        {
            var p = papers[r];
            var ranked = Rank(question, p, stats, need, semantic?.GetValueOrDefault(p.Id));
            var picked = new List<Scored>();
            if (ranked.Count > 0)
            {
                // The best paper gets up to three sentences (an answer often spans two), the others their best one.
                picked.Add(ranked[0]);
                if (r == 0)
                {
                    // The sentence that continues the best one ("SharedLLM is composed of … The lower model …").
                    var next = ranked.FirstOrDefault(s => s.Index == ranked[0].Index + 1);
                    if (next is not null && Continues(ranked[0].Sentence, next.Sentence))
                    {
                        picked.Add(next);
                    }

                    picked.AddRange(ranked.Skip(1).Where(s => !picked.Contains(s) && s.Score > 0 && s.Score >= 0.35 * ranked[0].Score).Take(MaxTopSentences - picked.Count));

                    // "How does / is there a way to …": what the paper proposes, by name, answers it even when the
                    // question shares neither words nor phrasing with that sentence (a paraphrase rarely does). It
                    // comes in addition to the sentences that match the question best, not in place of one.
                    if (need is not NeedKind.Number and not NeedKind.Data && ranked.FirstOrDefault(s => SentenceCues.IsProposal(s.Sentence)) is { } proposal && !picked.Contains(proposal))
                    {
                        picked.Add(proposal);
                    }
                }
            }

            // "How much / how fast": the paper's number, even when another sentence matches the words better.
            if (need == NeedKind.Number && picked.Count > 0 && !picked.Any(s => SentenceCues.HasNumber(s.Sentence)) &&
                ranked.FirstOrDefault(s => SentenceCues.HasNumber(s.Sentence)) is { } number)
            {
                picked.Add(number);
            }

            var body = picked.Count == 0
                ? "(no abstract)"
                : string.Join(' ', picked.OrderBy(s => s.Index).Select(s => MarkdownText.Escape(TextAnalysis.Truncate(s.Sentence, MaxSentenceChars))));
            lines.Add($"- **{MarkdownText.Escape(OneLine(p.Title))}** [{citations.NumberOf(p)}]: {body}");
        }

        var sb = new StringBuilder(lead ?? "From the abstracts of the most relevant papers I found:");
        sb.Append("\n\n").AppendJoin('\n', lines);
        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    /// <summary>True when <paramref name="next"/> goes on about what <paramref name="sentence"/> introduced.</summary>
    private static bool Continues(string sentence, string next)
    {
        var a = TextAnalysis.Terms(sentence).ToHashSet();
        var shared = TextAnalysis.Terms(next).Distinct().Count(a.Contains);
        return shared >= 2 && (ContinuationStart().IsMatch(next) || shared >= 3);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(the|this|these|it|its|they|their|such|both|each|here|specifically|concretely|more\s+specifically|in\s+particular)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ContinuationStart();

    /// <summary>Weight of a sentence's cosine with the question (<see cref="SentenceEvidence"/>) in its score.</summary>
    public const double SemanticWeight = 0.3;

    /// <summary>
    /// The paper's abstract sentences, best answer to the question first: the share of the question's rare vocabulary
    /// a sentence carries, how well it fits the question's need, and (when given, one per sentence) its cosine with
    /// the question, which finds the answering sentence when the question words it differently.
    /// </summary>
    public static List<Scored> Rank(string question, Paper paper, CorpusStats.Snapshot stats, NeedKind? need = null, IReadOnlyList<double>? semantic = null)
    {
        var n = need ?? QuestionNeed.Of(question);
        var q = TextAnalysis.Terms(question).Distinct().ToList();
        var weights = q.ToDictionary(t => t, t => Weight(t, stats));
        var total = weights.Values.Sum();
        var analysed = AnalysedPaper.Of(paper);
        var sentences = analysed.Sentences;
        var scored = new List<Scored>(sentences.Count);
        for (var i = 0; i < sentences.Count; i++)
        {
            var s = sentences[i];
            var terms = analysed.SentenceTerms[i];
            var coverage = total <= 0 ? 0 : q.Where(terms.Contains).Sum(t => weights[t]) / total;
            var score = coverage + (n == NeedKind.Number ? 0.5 : 0.15) * SentenceCues.Fit(s, n);
            if (semantic is not null && i < semantic.Count)
            {
                score += SemanticWeight * semantic[i];
            }

            if (SentenceCues.IsBackground(s))
            {
                score *= 0.5;
            }

            scored.Add(new Scored(paper, i, s, score, coverage));
        }

        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index).ToList();
    }

    /// <summary>
    /// Share of the question's vocabulary weight (idf) that the paper's title and abstract carry, 0..1: the lexical
    /// relevance used when retrieval gives no calibrated relevance. Words the database has never seen count fully
    /// against it, so "sourdough crumb" matches no paper however many common words it shares.
    /// </summary>
    public static double LexicalRelevance(string question, Paper paper, CorpusStats.Snapshot stats)
    {
        var q = TextAnalysis.Terms(question).Distinct().ToList();
        if (q.Count == 0)
        {
            return 0;
        }

        var doc = AnalysedPaper.Of(paper).Terms;
        var total = q.Sum(t => Weight(t, stats));
        return total <= 0 ? 0 : q.Where(doc.Contains).Sum(t => Weight(t, stats)) / total;
    }

    /// <summary>A term's weight: its idf; a bare number ("2022", "12") says little about a topic.</summary>
    public static double Weight(string term, CorpusStats.Snapshot stats) =>
        term.All(c => char.IsDigit(c) || c == '.') ? 0.25 * stats.Idf(term) : stats.Idf(term);

    /// <summary>
    /// True when the paper (title + abstract) covers at least a third of the question's content terms (at least one):
    /// the cheap check the LLM path uses to tell "nothing relevant" from an answer.
    /// </summary>
    public static bool IsRelevant(string question, Paper paper)
    {
        var q = TextAnalysis.Terms(question).Distinct().ToList();
        if (q.Count == 0)
        {
            return false;
        }

        var doc = TextAnalysis.Terms(paper.Title + " " + paper.Abstract + " " + string.Join(' ', paper.Keywords)).ToHashSet();
        var matched = q.Count(doc.Contains);
        return matched >= 1 && matched * 3 >= q.Count;
    }

    /// <summary>The sentences of one abstract used for a summary of the given style (in abstract order).</summary>
    public static List<string> SummarySentences(Paper p, SummaryStyle style)
    {
        var sentences = TextAnalysis.Sentences(p.Abstract);
        if (sentences.Count == 0)
        {
            return [];
        }

        var method = Best(sentences, s => SentenceCues.IsMethod(s) ? 1 : SentenceCues.IsContribution(s) ? 0.8 : 0) ?? Best(sentences, s => SentenceCues.IsBackground(s) ? 0 : 0.5) ?? 0;
        var result = Best(sentences, s => SentenceCues.HasNumber(s) && SentenceCues.IsFinding(s) ? 2 : SentenceCues.IsFinding(s) ? 1 : 0);
        var idx = new SortedSet<int> { method };
        switch (style)
        {
            case SummaryStyle.Tldr:
                if (result is { } r)
                {
                    idx.Add(r);
                }

                break;
            case SummaryStyle.Eli5:
                // No LLM: the plainest sentences the abstract has: the shortest one that states the problem or goal
                // (usually the opening) next to the contribution.
                if (Best(sentences, s => s.Length < 220 && (SentenceCues.IsTask(s) || SentenceCues.IsBackground(s)) ? 300.0 / s.Length : 0) is { } plain)
                {
                    idx.Add(plain);
                }

                break;
            case SummaryStyle.Technical:
                foreach (var pick in new[]
                         {
                             Best(sentences, s => SentenceCues.IsData(s) ? 1 : 0),
                             result,
                             Best(sentences, s => SentenceCues.IsOwnLimitation(s) ? 1 : 0),
                         })
                {
                    if (pick is { } i)
                    {
                        idx.Add(i);
                    }
                }

                break;
        }

        var max = style == SummaryStyle.Technical ? MaxSentenceChars : 400;
        return idx.Take(style == SummaryStyle.Technical ? 5 : 2).Select(i => TextAnalysis.Truncate(sentences[i], max)).ToList();
    }

    /// <summary>
    /// One cell per aspect, each the abstract sentence that best fits that aspect's cues, or "not stated". One
    /// sentence never fills two aspects; prior work's limitations (background sentences) are not the paper's own.
    /// </summary>
    public static IReadOnlyList<string> AspectCells(Paper p, IReadOnlyList<string> aspects)
    {
        var sentences = TextAnalysis.Sentences(p.Abstract);
        var candidates = new List<(int Aspect, int Sentence, double Score)>();
        for (var a = 0; a < aspects.Count; a++)
        {
            for (var i = 0; i < sentences.Count; i++)
            {
                var score = AspectScore(aspects[a], sentences[i], i, sentences.Count);
                if (score > 0)
                {
                    candidates.Add((a, i, score));
                }
            }
        }

        var cells = Enumerable.Repeat(NotStated, aspects.Count).ToArray();
        var usedAspects = new HashSet<int>();
        var usedSentences = new HashSet<int>();
        foreach (var c in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Aspect).ThenBy(c => c.Sentence))
        {
            if (usedAspects.Contains(c.Aspect) || usedSentences.Contains(c.Sentence))
            {
                continue;
            }

            usedAspects.Add(c.Aspect);
            usedSentences.Add(c.Sentence);
            cells[c.Aspect] = TextAnalysis.Truncate(sentences[c.Sentence], 300);
        }

        return cells;
    }

    private static double AspectScore(string aspect, string s, int index, int count)
    {
        var background = SentenceCues.IsBackground(s);
        switch (aspect.Trim().ToLowerInvariant())
        {
            case "task":
                return (SentenceCues.IsTask(s) ? 1.0 : 0) + (index == 0 ? 0.6 : 0) + (background && index <= 1 ? 0.3 : 0) - (SentenceCues.IsMethod(s) ? 0.5 : 0);
            case "method":
                return background ? 0 : (SentenceCues.IsMethod(s) ? 2.0 : 0) - (SentenceCues.HasNumber(s) ? 0.3 : 0);
            case "data":
                return background || !SentenceCues.IsData(s) ? 0 : 1.2 + (SentenceCues.HasNumber(s) ? 0.3 : 0);
            case "results":
                return background ? 0 : (SentenceCues.HasNumber(s) ? 1.5 : 0) + (SentenceCues.IsFinding(s) ? 1.0 : 0) + (index == count - 1 ? 0.2 : 0);
            case "limitations":
                return SentenceCues.IsOwnLimitation(s) ? 1.5 : 0;
            default:
                var cues = TextAnalysis.Terms(aspect).ToHashSet();
                return cues.Count == 0 ? 0 : TextAnalysis.Terms(s).Count(cues.Contains);
        }
    }

    /// <summary>One line for the daily digest: the contribution sentence, shortened.</summary>
    public static string DigestLine(Paper p)
    {
        var sentences = TextAnalysis.Sentences(p.Abstract);
        if (sentences.Count == 0)
        {
            return string.IsNullOrWhiteSpace(p.AiSummary) ? p.Title.Trim() : TextAnalysis.Truncate(p.AiSummary.Trim(), 200);
        }

        return TextAnalysis.Truncate(sentences[Best(sentences, s => SentenceCues.IsMethod(s) ? 1 : SentenceCues.IsContribution(s) ? 0.8 : 0) ?? 0], 200);
    }

    private static int? Best(IReadOnlyList<string> sentences, Func<string, double> score)
    {
        int? best = null;
        var bestScore = 0.0;
        for (var i = 0; i < sentences.Count; i++)
        {
            var s = score(sentences[i]) - i * 0.001;
            if (s > bestScore)
            {
                bestScore = s;
                best = i;
            }
        }

        return best;
    }

    private static string OneLine(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>Markdown with [n] markers and the citations they refer to.</summary>
public sealed record ExtractiveText(string Markdown, IReadOnlyList<Citation> Citations);
