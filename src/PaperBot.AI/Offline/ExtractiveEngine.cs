using System.Text;
using PaperBot.AI.Grounding;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// The honest offline backend: everything it says is a sentence copied from a retrieved abstract, with its citation.
/// Answers pick and order the sentences most relevant to the question; summaries pick the sentences that state the
/// contribution/result; comparisons fill a table per aspect and say "not stated" where an abstract is silent.
/// </summary>
public sealed class ExtractiveEngine
{
    public const string NotStated = "not stated";

    public static readonly IReadOnlyList<string> DefaultAspects = ["Task", "Method", "Data", "Results", "Limitations"];

    private static readonly Dictionary<string, string[]> AspectCues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Task"] = ["task", "problem", "challenge", "address", "aim", "goal", "tackle", "study", "question"],
        ["Method"] = ["propose", "introduce", "present", "method", "approach", "framework", "architecture", "technique", "algorithm", "model", "design", "pipeline"],
        ["Data"] = ["dataset", "corpus", "trained on", "benchmark", "data", "collect", "annotat", "sample", "evaluat", "train"],
        ["Results"] = ["outperform", "achiev", "improv", "state-of-the-art", "sota", "result", "accuracy", "gain", "surpass", "%", "better"],
        ["Limitations"] = ["limitation", "limited", "fail", "drawback", "future work", "remain", "challeng", "cannot", "however", "weakness"],
    };

    private static readonly string[] ContributionCues = ["we propose", "we introduce", "we present", "this paper", "in this work", "we develop", "we study", "we show", "we find", "our "];
    private static readonly string[] ResultCues = ["outperform", "achiev", "improv", "state-of-the-art", "surpass", "results show", "experiments", "demonstrat"];

    /// <summary>Maximum sentences in an answer.</summary>
    public int MaxAnswerSentences { get; init; } = 5;

    /// <summary>
    /// Picks the abstract sentences most relevant to <paramref name="question"/> from <paramref name="papers"/> (ordered
    /// by retrieval rank). Returns null when no sentence shares a content term with the question (nothing relevant).
    /// </summary>
    public ExtractiveText? Answer(string question, IReadOnlyList<Paper> papers)
    {
        var qTerms = TextAnalysis.Terms(question).Distinct().ToList();
        if (qTerms.Count == 0 || papers.Count == 0)
        {
            return null;
        }

        var candidates = new List<(Paper Paper, int Rank, int Index, string Sentence, HashSet<string> Terms)>();
        for (var r = 0; r < papers.Count; r++)
        {
            var p = papers[r];
            var sentences = TextAnalysis.Sentences(p.Abstract);
            if (!string.IsNullOrWhiteSpace(p.Title))
            {
                sentences.Insert(0, p.Title.Trim().TrimEnd('.') + ".");
            }

            for (var i = 0; i < sentences.Count; i++)
            {
                candidates.Add((p, r, i, sentences[i], TextAnalysis.Terms(sentences[i]).ToHashSet()));
            }
        }

        // IDF over the candidate sentences: a term in every sentence says little.
        var df = new Dictionary<string, int>();
        foreach (var c in candidates)
        {
            foreach (var t in qTerms)
            {
                if (c.Terms.Contains(t))
                {
                    df[t] = df.GetValueOrDefault(t) + 1;
                }
            }
        }

        var n = candidates.Count;
        double Score((Paper Paper, int Rank, int Index, string Sentence, HashSet<string> Terms) c)
        {
            double s = 0;
            foreach (var t in qTerms)
            {
                if (c.Terms.Contains(t))
                {
                    s += Math.Log(1 + (double)n / df[t]);
                }
            }

            // Moderately long sentences over fragments; a title restated as a sentence says little.
            s /= Math.Pow(Math.Max(6, c.Terms.Count), 0.25);
            return c.Index == 0 && !string.IsNullOrWhiteSpace(c.Paper.Title) ? s * 0.5 : s;
        }

        // Retrieval rank is the strongest signal of what the question is about (BM25/hybrid saw the whole abstract),
        // so papers are taken in rank order, each with its one or two sentences that best match the question.
        var perPaper = candidates
            .Select(c => (c, Score: Score(c)))
            .Where(x => x.Score > 0)
            .GroupBy(x => x.c.Rank)
            .OrderBy(g => g.Key)
            .Select(g => g.OrderByDescending(x => x.Score).ThenBy(x => x.c.Index).ToList())
            .ToList();
        if (perPaper.Count == 0)
        {
            return null;
        }

        // Beyond the top three papers, only those whose best sentence is about as relevant as the best one overall.
        var bestOverall = perPaper.Max(g => g[0].Score);
        perPaper = perPaper.Where((g, i) => i < 3 || g[0].Score >= 0.7 * bestOverall).ToList();

        // Budget: the best sentence of each paper first (in rank order), then second sentences of the top papers.
        var chosen = new List<(Paper Paper, int Rank, int Index, string Sentence, HashSet<string> Terms)>();
        foreach (var g in perPaper.Take(MaxAnswerSentences))
        {
            chosen.Add(g[0].c);
        }

        foreach (var g in perPaper)
        {
            if (chosen.Count >= MaxAnswerSentences)
            {
                break;
            }

            // A second sentence only when it is nearly as relevant as the paper's best one.
            if (g.Count > 1 && g[1].c.Index != 0 && g[1].Score >= 0.6 * g[0].Score)
            {
                chosen.Add(g[1].c);
            }
        }

        var citations = new CitationSet();
        var lines = new List<string>();
        foreach (var group in chosen.GroupBy(c => c.Rank).OrderBy(g => g.Key))
        {
            var paper = group.First().Paper;
            var num = citations.NumberOf(paper);
            var sentences = group.Where(c => c.Index != 0 || string.IsNullOrWhiteSpace(paper.Title)).OrderBy(c => c.Index)
                .Select(c => TextAnalysis.Truncate(c.Sentence, 400)).ToList();
            if (sentences.Count == 0 && candidates.FirstOrDefault(c => c.Rank == group.Key && c.Index == 1) is { Sentence: { } opening })
            {
                // Only the title (candidate 0) matched: the abstract's opening sentence (candidate 1) says what the paper is about.
                sentences.Add(TextAnalysis.Truncate(opening, 400));
            }

            var body = sentences.Count > 0 ? string.Join(' ', sentences) : "(no abstract)";
            lines.Add($"- **{paper.Title.Trim()}** [{num}]: {body}");
        }

        var sb = new StringBuilder();
        sb.Append("From the abstracts of the most relevant papers I found:\n\n");
        sb.AppendJoin('\n', lines);
        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    /// <summary>
    /// True when the paper (title + abstract) covers at least a third of the question's content terms (at least one):
    /// BM25 returns anything sharing a word, this keeps "nothing relevant" honest.
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

        int Contribution() => Best(sentences, ContributionCues, preferShort: style == SummaryStyle.Eli5) ?? 0;
        int? Result() => Best(sentences, ResultCues, preferShort: style == SummaryStyle.Eli5);
        var idx = new SortedSet<int> { Contribution() };
        switch (style)
        {
            case SummaryStyle.Tldr:
                if (Result() is { } r)
                {
                    idx.Add(r);
                }

                break;
            case SummaryStyle.Eli5:
                // The shortest plain sentences: the problem (usually first) and the contribution.
                if (sentences[0].Length < 220)
                {
                    idx.Add(0);
                }

                break;
            case SummaryStyle.Technical:
                foreach (var cue in new[] { AspectCues["Method"], AspectCues["Data"], ResultCues })
                {
                    if (Best(sentences, cue, preferShort: false) is { } i)
                    {
                        idx.Add(i);
                    }
                }

                break;
        }

        var max = style == SummaryStyle.Technical ? 400 : 260;
        return idx.Take(style == SummaryStyle.Technical ? 5 : 2).Select(i => TextAnalysis.Truncate(sentences[i], max)).ToList();
    }

    /// <summary>The abstract's sentence about <paramref name="aspect"/>, or "not stated".</summary>
    public static string AspectCell(Paper p, string aspect)
    {
        var sentences = TextAnalysis.Sentences(p.Abstract);
        string[] cues = AspectCues.TryGetValue(aspect.Trim(), out var known)
            ? known
            : TextAnalysis.Terms(aspect).ToArray();
        if (cues.Length == 0 || Best(sentences, cues, preferShort: false, stemmed: !AspectCues.ContainsKey(aspect.Trim())) is not { } i)
        {
            return NotStated;
        }

        return TextAnalysis.Truncate(sentences[i], 220);
    }

    /// <summary>One line for the daily digest: the contribution sentence, shortened.</summary>
    public static string DigestLine(Paper p)
    {
        var sentences = TextAnalysis.Sentences(p.Abstract);
        if (sentences.Count == 0)
        {
            return string.IsNullOrWhiteSpace(p.AiSummary) ? p.Title.Trim() : TextAnalysis.Truncate(p.AiSummary.Trim(), 200);
        }

        return TextAnalysis.Truncate(sentences[Best(sentences, ContributionCues, preferShort: false) ?? 0], 200);
    }

    private static int? Best(IReadOnlyList<string> sentences, IReadOnlyList<string> cues, bool preferShort, bool stemmed = false)
    {
        int? best = null;
        var bestScore = 0.0;
        for (var i = 0; i < sentences.Count; i++)
        {
            var lower = sentences[i].ToLowerInvariant();
            var terms = stemmed ? TextAnalysis.Terms(sentences[i]).ToHashSet() : null;
            // Earlier cues in a list are stronger evidence than later ones.
            var hits = 0.0;
            for (var c = 0; c < cues.Count; c++)
            {
                if (terms is not null ? terms.Contains(cues[c]) : lower.Contains(cues[c], StringComparison.Ordinal))
                {
                    hits += 1.0 + (double)(cues.Count - c) / cues.Count;
                }
            }

            if (hits == 0)
            {
                continue;
            }

            var score = hits + (preferShort ? 80.0 / Math.Max(40, lower.Length) : 0) - i * 0.01;
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return best;
    }
}

/// <summary>Markdown with [n] markers and the citations they refer to.</summary>
public sealed record ExtractiveText(string Markdown, IReadOnlyList<Citation> Citations);
