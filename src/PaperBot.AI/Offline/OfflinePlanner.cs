using System.Text;
using System.Text.RegularExpressions;
using PaperBot.AI.Grounding;
using PaperBot.AI.Plugins;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// The offline backend's fixed plan: the same plugins the model would call, chosen by a simple intent detector, and
/// extractive text built from what they return. Everything is grounded in retrieved abstracts.
/// </summary>
public sealed partial class OfflinePlanner(ExtractiveEngine engine)
{
    [GeneratedRegex(@"\b\d{4}\.\d{4,5}\b")]
    private static partial Regex ArxivId();

    public async Task<AssistantAnswer> AnswerAsync(string question, IReadOnlyList<string> referenced, PaperPlugins plugins, CancellationToken ct)
    {
        var intent = Intent.Detect(question);
        var explicitIds = ArxivId().Matches(question).Select(m => m.Value).ToList();
        var targets = referenced.Count > 0 ? referenced.ToList() : explicitIds;
        switch (intent.Kind)
        {
            case IntentKind.Compare:
            {
                var papers = targets.Count > 0 ? plugins.Resolve(targets) : await SearchRelevantAsync(intent.Topic, plugins, 3, ct);
                if (papers.Count < 2)
                {
                    return Nothing(papers.Count == 0
                        ? "I couldn't find the papers to compare. Ask a question first (then say \"compare the first two\"), or give paper ids."
                        : "I need at least two papers to compare; I found only one matching paper.");
                }

                return Render(RenderCompare(plugins.Compare(papers.Select(p => p.Id).ToArray(), intent.Aspects is null ? null : string.Join(',', intent.Aspects))));
            }

            case IntentKind.Summarize:
            {
                var papers = targets.Count > 0 ? plugins.Resolve(targets) : await SearchRelevantAsync(intent.Topic, plugins, 1, ct);
                if (papers.Count == 0)
                {
                    return Nothing("I couldn't find a paper to summarise. Ask about a topic first, or give a paper id.");
                }

                return Render(RenderSummary(plugins.Summarize(papers.Select(p => p.Id).ToArray(), intent.Style.ToString())));
            }

            case IntentKind.Trending:
            {
                var trending = plugins.Trending(intent.Days, 5);
                if (trending.Count == 0)
                {
                    return Nothing($"I have no papers from the last {intent.Days} day(s) yet.");
                }

                var papers = plugins.Resolve(trending.Select(t => t.Id));
                var citations = new CitationSet();
                var sb = new StringBuilder(plugins.LastTrendingNotice is { } fellBack
                    ? $"{fellBack} Most upvoted:\n"
                    : $"Most upvoted papers of the last {intent.Days} day(s):\n");
                foreach (var p in papers)
                {
                    var up = p.Upvotes is { } u ? $" ({u} upvotes)" : "";
                    sb.Append($"\n- **{p.Title.Trim()}**{up} [{citations.NumberOf(p)}]: {ExtractiveEngine.DigestLine(p)}");
                }

                return Render(new ExtractiveText(sb.ToString(), citations.Citations));
            }

            default:
            {
                if (targets.Count > 0)
                {
                    // A follow-up about papers from the previous turn ("what data does the second one use?").
                    var refPapers = plugins.Resolve(targets);
                    if (engine.Answer(question, refPapers) is { } fromRefs)
                    {
                        return Render(fromRefs);
                    }
                }

                var papers = await SearchRelevantAsync(question, plugins, plugins.DefaultTop, ct);
                if (papers.Count == 0 || engine.Answer(question, papers) is not { } text)
                {
                    return Nothing(NothingFoundText(question));
                }

                return Render(text);
            }
        }
    }

    public static string NothingFoundText(string question) =>
        $"I found no paper in the database that is relevant to \"{TextAnalysis.Truncate(question.Trim(), 120)}\", so I won't guess. Try other keywords, or ingest more papers.";

    public static ExtractiveText RenderSummary(SummaryResult result)
    {
        var citations = new CitationSet();
        var sb = new StringBuilder();
        foreach (var s in result.Papers)
        {
            var num = citations.NumberOf(new Paper { Id = s.Id, Title = s.Title });
            if (sb.Length > 0)
            {
                sb.Append("\n\n");
            }

            sb.Append($"**{s.Title.Trim()}** [{num}]\n");
            if (s.KeySentences.Count == 0)
            {
                sb.Append("_The abstract is empty, so there is nothing to summarise._");
                continue;
            }

            switch (PaperPlugins.ParseStyle(result.Style))
            {
                case SummaryStyle.Technical:
                    sb.AppendJoin('\n', s.KeySentences.Select(k => "- " + k));
                    break;
                case SummaryStyle.Eli5:
                    sb.Append("In plain words, the authors say: ").AppendJoin(' ', s.KeySentences);
                    break;
                default:
                    sb.Append("TL;DR: ").AppendJoin(' ', s.KeySentences);
                    break;
            }
        }

        if (result.UnknownIds.Count > 0)
        {
            sb.Append($"\n\n_Unknown paper id(s): {string.Join(", ", result.UnknownIds)}._");
        }

        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    public static ExtractiveText RenderCompare(CompareResult result)
    {
        var citations = new CitationSet();
        var sb = new StringBuilder("| Aspect |");
        foreach (var p in result.Papers)
        {
            sb.Append(' ').Append(TextAnalysis.Cell(TextAnalysis.Truncate(p.Title.Trim(), 60)))
              .Append(" [").Append(citations.NumberOf(new Paper { Id = p.Id, Title = p.Title })).Append("] |");
        }

        sb.Append("\n|---|").Append(string.Concat(Enumerable.Repeat("---|", result.Papers.Count)));
        foreach (var row in result.Rows)
        {
            sb.Append("\n| ").Append(TextAnalysis.Cell(row.Aspect)).Append(" |");
            foreach (var cell in row.Cells)
            {
                sb.Append(' ').Append(TextAnalysis.Cell(cell)).Append(" |");
            }
        }

        return new ExtractiveText(sb.ToString(), citations.Citations);
    }

    private static async Task<List<Paper>> SearchRelevantAsync(string text, PaperPlugins plugins, int take, CancellationToken ct)
    {
        var query = TextAnalysis.QueryText(text);
        if (query.Length == 0)
        {
            return [];
        }

        var hits = await plugins.SearchPapersAsync(query, top: Math.Max(take, plugins.DefaultTop), cancellationToken: ct);
        return plugins.Resolve(hits.Select(h => h.Id)).Where(p => ExtractiveEngine.IsRelevant(text, p)).Take(take).ToList();
    }

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
