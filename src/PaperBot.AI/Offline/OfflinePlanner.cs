using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Grounding;
using PaperBot.AI.Memory;
using PaperBot.AI.Orchestration;
using PaperBot.AI.Plugins;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Offline;

/// <summary>
/// The offline backend's fixed plan: the same plugins the model would call, chosen by an intent detector, a relevance
/// gate over what they return, a premise check, and extractive text. Everything it says is grounded in retrieved
/// abstracts; when nothing retrieved is relevant enough it says so and cites nothing.
/// </summary>
public sealed partial class OfflinePlanner(ExtractiveEngine engine, PaperPlugins plugins, CorpusStats corpus, RelevanceGate gate, SentenceEvidence evidence, IOptions<AnswersOptions> options)
{
    /// <summary>Hits examined per search (the gate then keeps the relevant ones).</summary>
    public const int Candidates = 8;

    [GeneratedRegex(@"\b\d{4}\.\d{4,5}\b")]
    private static partial Regex ArxivId();

    private AnswersOptions Options => options.Value;

    public async Task<AssistantAnswer> AnswerAsync(string question, IReadOnlyList<string> referenced, Microsoft.SemanticKernel.Kernel kernel, CancellationToken ct)
    {
        var stats = corpus.Current;
        var explicitIds = ArxivId().Matches(question).Select(m => m.Value).ToList();
        var targets = referenced.Count > 0 ? referenced.ToList() : explicitIds;
        if (targets.Count > 0 && ReferenceResolver.IsPronounOnly(question) && HasNewTopic(question, plugins.Resolve(kernel, targets), stats))
        {
            targets = []; // "what is new in diffusion for video this year?" is not about the previous paper
        }

        var intent = Intent.Detect(question, targets.Count);
        switch (intent.Kind)
        {
            case IntentKind.Compare:
            {
                var papers = targets.Count >= 2 ? plugins.Resolve(kernel, targets) : await ComparedPapersAsync(question, intent, kernel, stats, ct);
                if (papers.Count < 2)
                {
                    return papers.Count == 1
                        ? Render(engine.Answer(question, papers, stats, "I found only one of the papers to compare. From its abstract:")!)
                        : Nothing("I couldn't find the papers to compare. Ask a question first (then say \"compare the first two\"), or give paper ids.");
                }

                var comparison = RenderCompare(plugins.Compare(kernel, papers.Select(p => p.Id).ToArray(), intent.Aspects is null ? null : string.Join(',', intent.Aspects)));
                // "compare the first two" asks nothing more; a question with a topic gets each paper's answer first.
                var ownTopic = TextAnalysis.Terms(ReferenceResolver.WithoutReferences(intent.Topic)).Any(stats.Known);
                return Render(ownTopic ? WithKeyPoints(question, papers, stats, comparison) : comparison);
            }

            case IntentKind.Summarize:
            {
                var papers = targets.Count > 0 ? plugins.Resolve(kernel, targets) : (await RelevantAsync(question, kernel, stats, ct)).Take(1).ToList();
                if (papers.Count == 0)
                {
                    return Nothing(targets.Count > 0 ? "I couldn't find that paper any more." : NothingFoundText(question));
                }

                return Render(RenderSummary(plugins.Summarize(kernel, papers.Select(p => p.Id).ToArray(), intent.Style.ToString())));
            }

            case IntentKind.Overview:
            {
                var papers = await RelevantAsync(question, kernel, stats, ct, several: true);
                if (papers.Count == 0)
                {
                    return Nothing(NothingFoundText(question));
                }

                return Render(RenderOverview(papers));
            }

            case IntentKind.Trending:
            {
                var trending = plugins.Trending(kernel, intent.Days, 5);
                if (trending.Count == 0)
                {
                    return Nothing($"I have no papers from the last {intent.Days} day(s) yet.");
                }

                var papers = plugins.Resolve(kernel, trending.Select(t => t.Id));
                var citations = new CitationSet();
                var sb = new StringBuilder(kernel.GetRequiredService<AnswerTurn>().TrendingNotice is { } fellBack
                    ? $"{fellBack} Most upvoted:\n"
                    : $"Most upvoted papers of the last {intent.Days} day(s):\n");
                foreach (var p in papers)
                {
                    var up = p.Upvotes is { } u ? $" ({u} upvotes)" : "";
                    sb.Append($"\n- **{MarkdownText.Escape(OneLine(p.Title))}**{up} [{citations.NumberOf(p)}]: {MarkdownText.Escape(ExtractiveEngine.DigestLine(p))}");
                }

                return Render(new ExtractiveText(sb.ToString(), citations.Citations));
            }

            default:
            {
                if (targets.Count > 0)
                {
                    // A follow-up about papers from the previous turn ("what data does the second one use?").
                    var refPapers = plugins.Resolve(kernel, targets);
                    if (engine.Answer(question, refPapers, stats, semantic: await SemanticAsync(question, refPapers, ct)) is { } fromRefs)
                    {
                        return Render(fromRefs);
                    }
                }

                return await AnswerFromSearchAsync(question, kernel, stats, ct);
            }
        }
    }

    /// <summary>The extractive answer from papers already retrieved (e.g. by the model before its tool loop was ended).</summary>
    public async Task<AssistantAnswer> AnswerFromPapersAsync(string question, IReadOnlyList<Paper> papers, CancellationToken ct)
    {
        var stats = corpus.Current;
        var relevant = (await gate.RelevantAsync(question, papers.Select(p => new SearchHit(p, 0, "")).ToList(), stats, ct: ct)).Select(r => r.Paper).ToList();
        return relevant.Count > 0 && engine.Answer(question, relevant, stats, semantic: await SemanticAsync(question, relevant, ct)) is { } text ? Render(text) : Nothing(NothingFoundText(question));
    }

    private async Task<AssistantAnswer> AnswerFromSearchAsync(string question, Microsoft.SemanticKernel.Kernel kernel, CorpusStats.Snapshot stats, CancellationToken ct)
    {
        // A named model, report or paper the database does not know: say so, and name (without citing) the closest.
        foreach (var (name, pattern, baseName) in PremiseCheck.NamedThings(question))
        {
            var candidates = (await SearchAsync(baseName, kernel, ct)).Select(h => h.Paper)
                .Concat((await SearchAsync(question, kernel, ct)).Select(h => h.Paper)).ToList();
            if (PremiseCheck.Mentioned(pattern, candidates))
            {
                continue;
            }

            var rest = question.Replace(name, " ", StringComparison.OrdinalIgnoreCase);
            var closest = (await RelevantAsync(rest, kernel, stats, ct)).FirstOrDefault();
            var offer = closest is null
                ? "Nothing else in the database matches the question either."
                : $"The closest paper I have on the rest of the question is \"{MarkdownText.Escape(OneLine(closest.Title))}\", which is not about {MarkdownText.Escape(name)}; ask about it directly if it helps.";
            return new AssistantAnswer
            {
                Markdown = $"I found no paper about **{MarkdownText.Escape(name)}** in the database, so I can't confirm what the question assumes about it and I won't guess. {offer}",
                Backend = "offline",
                NothingFound = true,
                PremiseUnsupported = true,
            };
        }

        var papers = await RelevantAsync(question, kernel, stats, ct);
        if (papers.Count == 0)
        {
            return Nothing(NothingFoundText(question));
        }

        // The premise is checked against the two most relevant papers: the one it misstates may rank second.
        var contradicted = papers.Take(2).Select(p => (Paper: p, Contra: PremiseCheck.Contradiction(question, p, stats))).FirstOrDefault(x => x.Contra is not null);
        if (contradicted.Contra is { } contra)
        {
            var citations = new CitationSet();
            var p = contradicted.Paper;
            var md = $"**The question's premise does not match the abstract**: {contra.Why}. What the most relevant paper says:\n\n" +
                     $"- **{MarkdownText.Escape(OneLine(p.Title))}** [{citations.NumberOf(p)}]: {MarkdownText.Escape(TextAnalysis.Truncate(contra.Sentence, ExtractiveEngine.MaxSentenceChars))}";
            return new AssistantAnswer { Markdown = md, Citations = citations.Citations, Backend = "offline", PremiseUnsupported = true };
        }

        return engine.Answer(question, papers, stats, semantic: await SemanticAsync(question, papers, ct)) is { } text ? Render(text) : Nothing(NothingFoundText(question));
    }

    /// <summary>Each paper's sentence cosines with the question (null without the local model).</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<double>>?> SemanticAsync(string question, IReadOnlyList<Paper> papers, CancellationToken ct)
    {
        if (await evidence.QuestionVectorAsync(question, ct) is not { } vector)
        {
            return null;
        }

        var result = new Dictionary<string, IReadOnlyList<double>>(StringComparer.OrdinalIgnoreCase);
        // The first paper gives up to four sentences; the others one each, where words alone choose well enough.
        foreach (var p in papers.Take(1))
        {
            result[p.Id] = await evidence.SimilaritiesAsync(vector, p, ct);
        }

        return result;
    }

    /// <summary>The hits of a search for the question's words that pass the relevance gate, best first.</summary>
    private async Task<List<Paper>> RelevantAsync(string question, Microsoft.SemanticKernel.Kernel kernel, CorpusStats.Snapshot stats, CancellationToken ct, bool several = false)
    {
        var hits = await SearchAsync(question, kernel, ct);
        return (await gate.RelevantAsync(question, hits, stats, several, ct)).Select(r => r.Paper).ToList();
    }

    /// <summary>The calibrated relevance retrieval gave the hit, or else the lexical relevance.</summary>
    private static double Relevance(string question, SearchHit hit, CorpusStats.Snapshot stats) =>
        hit.Relevance ?? ExtractiveEngine.LexicalRelevance(question, hit.Paper, stats);

    private async Task<IReadOnlyList<SearchHit>> SearchAsync(string text, Microsoft.SemanticKernel.Kernel kernel, CancellationToken ct)
    {
        var query = TextAnalysis.QueryText(text);
        return query.Length == 0 ? [] : await plugins.SearchHitsAsync(kernel, query, top: Candidates, cancellationToken: ct);
    }

    /// <summary>
    /// For "A vs B": for each side the paper that best fits both the side and the whole question (the shared context
    /// tells "the matching-pursuit encoder" of sparse autoencoders from any other encoder); otherwise the top relevant
    /// papers of the question.
    /// </summary>
    private async Task<List<Paper>> ComparedPapersAsync(string question, Intent intent, Microsoft.SemanticKernel.Kernel kernel, CorpusStats.Snapshot stats, CancellationToken ct)
    {
        var whole = await SearchAsync(question, kernel, ct);
        var chosen = new List<Paper>();
        foreach (var side in intent.Sides.Take(5))
        {
            // The side's own search ranks best; among its first hits (and the gate's picks) the one that also fits
            // the whole question wins, and it needs the side's words or the gate to back it.
            var hits = await SearchAsync(side, kernel, ct);
            var passing = (await gate.RelevantAsync(side, hits, stats, several: true, ct)).Select(r => r.Paper.Id).ToHashSet();
            var pick = hits.Take(3).Concat(hits.Where(h => passing.Contains(h.Paper.Id)))
                .Where(h => !chosen.Any(c => c.Id == h.Paper.Id))
                .Select(h => (h.Paper, Side: ExtractiveEngine.LexicalRelevance(side, h.Paper, stats), Whole: ExtractiveEngine.LexicalRelevance(question, h.Paper, stats), Passing: passing.Contains(h.Paper.Id)))
                .Where(x => x.Passing || x.Side >= Options.MinLexicalFairRelevance)
                .OrderByDescending(x => (2 * x.Side) + x.Whole + (x.Passing ? 0.5 : 0))
                .FirstOrDefault();
            if (pick.Paper is not null)
            {
                chosen.Add(pick.Paper);
            }
        }

        if (chosen.Count >= 2)
        {
            return chosen;
        }

        var relevant = (await gate.RelevantAsync(question, whole, stats, several: true, ct)).Select(r => r.Paper);
        return chosen.Concat(relevant).DistinctBy(p => p.Id).Take(2).ToList();
    }

    /// <summary>True when the question, without its reference words, brings content terms the referenced papers lack.</summary>
    private static bool HasNewTopic(string question, IReadOnlyList<Paper> referenced, CorpusStats.Snapshot stats)
    {
        var own = TextAnalysis.Terms(Intent.Detect(ReferenceResolver.WithoutReferences(question)).Topic)
            .Where(t => stats.Known(t) && stats.DocumentFrequency(t) * 4 <= Math.Max(4, stats.Documents)) // not the generic words
            .Distinct().ToList();
        if (own.Count == 0)
        {
            return false;
        }

        var text = TextAnalysis.Terms(string.Join(' ', referenced.Select(p => p.Title + " " + p.Abstract))).ToHashSet();
        return own.Count(t => !text.Contains(t)) * 2 > own.Count;
    }

    /// <summary>The comparison table, after the sentence of each paper that answers the question (the key point).</summary>
    private ExtractiveText WithKeyPoints(string question, IReadOnlyList<Paper> papers, CorpusStats.Snapshot stats, ExtractiveText table)
    {
        var citations = new CitationSet();
        foreach (var c in table.Citations)
        {
            citations.NumberOf(papers.First(p => p.Id == c.PaperId));
        }

        var sb = new StringBuilder("Compared from their abstracts. On your question:\n");
        foreach (var p in papers)
        {
            var ranked = ExtractiveEngine.Rank(question, p, stats);
            if (ranked.Count > 0)
            {
                var key = ranked.Take(2).Where(s => s == ranked[0] || s.Score >= 0.6 * ranked[0].Score).OrderBy(s => s.Index)
                    .Select(s => MarkdownText.Escape(TextAnalysis.Truncate(s.Sentence, ExtractiveEngine.MaxSentenceChars)));
                sb.Append($"\n- **{MarkdownText.Escape(OneLine(p.Title))}** [{citations.NumberOf(p)}]: {string.Join(' ', key)}");
            }
        }

        sb.Append("\n\n").Append(table.Markdown);
        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    public static string NothingFoundText(string question) =>
        $"I found no paper in the database that is relevant to \"{MarkdownText.Escape(TextAnalysis.Truncate(OneLine(question), 120))}\", so I won't guess. Try other keywords, or ingest more papers.";

    public static ExtractiveText RenderSummary(SummaryResult result)
    {
        var citations = new CitationSet();
        var sb = new StringBuilder();
        var style = PaperPlugins.ParseStyle(result.Style);
        if (style == SummaryStyle.Eli5)
        {
            sb.Append("_Extractive summary made without an LLM: these are the abstract's own plainest sentences, not a rewrite for beginners, so technical terms are not explained. Configure an LLM for a real beginner's summary._\n\n");
        }

        foreach (var s in result.Papers)
        {
            var num = citations.NumberOf(new Paper { Id = s.Id, Title = s.Title });
            if (sb.Length > 0 && !sb.ToString().EndsWith("\n\n", StringComparison.Ordinal))
            {
                sb.Append("\n\n");
            }

            sb.Append($"**{MarkdownText.Escape(OneLine(s.Title))}** [{num}]\n");
            if (s.KeySentences.Count == 0)
            {
                sb.Append("_The abstract is empty, so there is nothing to summarise._");
                continue;
            }

            var sentences = s.KeySentences.Select(MarkdownText.Escape).ToList();
            switch (style)
            {
                case SummaryStyle.Technical:
                    sb.AppendJoin('\n', sentences.Select(k => "- " + k));
                    break;
                case SummaryStyle.Eli5:
                    sb.Append("In the abstract's own words: ").AppendJoin(' ', sentences);
                    break;
                default:
                    sb.Append("TL;DR: ").AppendJoin(' ', sentences);
                    break;
            }
        }

        if (result.UnknownIds.Count > 0)
        {
            sb.Append($"\n\n_Unknown paper id(s): {MarkdownText.Escape(string.Join(", ", result.UnknownIds))}._");
        }

        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    /// <summary>"Summarize recent work on X": a short overview, one line per paper (its contribution).</summary>
    private static ExtractiveText RenderOverview(IReadOnlyList<Paper> papers)
    {
        var citations = new CitationSet();
        var sb = new StringBuilder($"An overview of {papers.Count} relevant paper(s), newest first, each in its abstract's own words:\n");
        foreach (var p in papers.OrderByDescending(p => p.Published ?? p.FeaturedOn ?? DateOnly.MinValue))
        {
            var line = ExtractiveEngine.SummarySentences(p, SummaryStyle.Tldr).FirstOrDefault() ?? "";
            var date = (p.Published ?? p.FeaturedOn)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            sb.Append($"\n- **{MarkdownText.Escape(OneLine(p.Title))}**{(date is null ? "" : $" ({date})")} [{citations.NumberOf(p)}]: {MarkdownText.Escape(line)}");
        }

        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    public static ExtractiveText RenderCompare(CompareResult result)
    {
        var citations = new CitationSet();
        var sb = new StringBuilder("| Aspect |");
        foreach (var p in result.Papers)
        {
            sb.Append(' ').Append(TextAnalysis.Cell(MarkdownText.Escape(TextAnalysis.Truncate(OneLine(p.Title), 60))))
              .Append(" [").Append(citations.NumberOf(new Paper { Id = p.Id, Title = p.Title })).Append("] |");
        }

        sb.Append("\n|---|").Append(string.Concat(Enumerable.Repeat("---|", result.Papers.Count)));
        foreach (var row in result.Rows)
        {
            sb.Append("\n| ").Append(TextAnalysis.Cell(MarkdownText.Escape(row.Aspect))).Append(" |");
            foreach (var cell in row.Cells)
            {
                sb.Append(' ').Append(TextAnalysis.Cell(cell == ExtractiveEngine.NotStated ? "_not stated_" : MarkdownText.Escape(cell))).Append(" |");
            }
        }

        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    private static string OneLine(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static AssistantAnswer Render(ExtractiveText text) => new()
    {
        Markdown = text.Markdown,
        Citations = text.Citations,
        Backend = "offline",
    };

    private static AssistantAnswer Nothing(string message) => new()
    {
        Markdown = message,
        Backend = "offline",
        NothingFound = true,
    };
}
