using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;
using PaperBot.AI.Grounding;
using PaperBot.AI.Offline;
using PaperBot.AI.Orchestration;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Plugins;

/// <summary>
/// The paper tools the model can call (automatic function calling) and the offline plan calls directly. Registered
/// once as the Kernel's "papers" plugin; stateless: the turn's refs live in the <see cref="AnswerTurn"/> that the
/// Kernel's scoped services hold. Each tool calls a Core service; <see cref="RetrievalRecordingFilter"/> records what
/// it returned for the grounding check. Arguments are normalised before binding by <see cref="ToolArgumentFilter"/>.
/// </summary>
public sealed class PaperPlugins(IPaperRetriever retriever, ISearchService search, IPaperStore store, TimeProvider time)
{
    public const string PluginName = "papers";

    public const int MaxTop = 20;

    [KernelFunction("search_papers")]
    [Description("Full-text search of the paper database (titles, abstracts, authors). Returns the best matches with their ref numbers.")]
    public async Task<IReadOnlyList<PaperBrief>> SearchPapersAsync(
        Microsoft.SemanticKernel.Kernel kernel,
        [Description("What to look for, in keywords")] string query,
        [Description("Earliest publication date, yyyy-MM-dd")] string? from = null,
        [Description("Latest publication date, yyyy-MM-dd")] string? to = null,
        [Description("Only papers with at least this many Hugging Face upvotes")] int? min_upvotes = null,
        [Description("How many results (default 6, max 20)")] int? top = null,
        CancellationToken cancellationToken = default)
    {
        var hits = await SearchHitsAsync(kernel, query, from, to, min_upvotes, top, cancellationToken).ConfigureAwait(false);
        var turn = Turn(kernel);
        return hits.Select(h => Brief(turn, h.Paper, turn.AbstractChars)).ToList();
    }

    /// <summary>The search behind search_papers, with the hits' scores and relevance (for the offline plan).</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchHitsAsync(
        Microsoft.SemanticKernel.Kernel kernel, string query, string? from = null, string? to = null, int? minUpvotes = null, int? top = null, CancellationToken cancellationToken = default)
    {
        var turn = Turn(kernel);
        turn.Log.RecordCall($"search_papers({query})");
        var q = new SearchQuery(query)
        {
            From = ParseDate(from),
            To = ParseDate(to),
            MinUpvotes = minUpvotes,
            Top = Math.Clamp(top ?? turn.SearchTop, 1, MaxTop),
        };
        return await retriever.SearchAsync(q, cancellationToken).ConfigureAwait(false);
    }

    [KernelFunction("get_paper")]
    [Description("Gets one paper by id (arXiv id such as 2401.01234, or a ref number from this conversation). Returns null when unknown.")]
    public PaperBrief? GetPaper(Microsoft.SemanticKernel.Kernel kernel, [Description("The paper id")] string id)
    {
        var turn = Turn(kernel);
        turn.Log.RecordCall($"get_paper({id})");
        var p = store.Get(id.Trim());
        return p is null ? null : Brief(turn, p, abstractChars: Math.Max(turn.AbstractChars, 2000));
    }

    [KernelFunction("related_papers")]
    [Description("Papers similar to the given paper.")]
    public IReadOnlyList<PaperBrief> RelatedPapers(Microsoft.SemanticKernel.Kernel kernel, [Description("The paper id")] string id)
    {
        var turn = Turn(kernel);
        turn.Log.RecordCall($"related_papers({id})");
        return search.Related(id.Trim(), turn.SearchTop).Select(h => Brief(turn, h.Paper, turn.AbstractChars)).ToList();
    }

    [KernelFunction("trending")]
    [Description("Most upvoted papers of the last days. When those days have no papers, the newest featured days in the database are returned instead (their dates show which).")]
    public IReadOnlyList<PaperBrief> Trending(
        Microsoft.SemanticKernel.Kernel kernel,
        [Description("How many days back (default 7)")] int? days = null,
        [Description("How many papers (default 6, max 20)")] int? top = null)
    {
        var turn = Turn(kernel);
        turn.Log.RecordCall($"trending({days})");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var d = Math.Clamp(days ?? 7, 1, 365);
        var from = today.AddDays(-(d - 1));
        var result = TrendingWindow.Find(store, from, today, Math.Clamp(top ?? turn.SearchTop, 1, MaxTop));
        turn.TrendingNotice = result.Notice(from, today);
        return result.Papers.Select(p => Brief(turn, p, turn.AbstractChars)).ToList();
    }

    [KernelFunction("summarize")]
    [Description("Extractive summary of papers by id, in a style: tldr, eli5 (for a beginner) or technical.")]
    public SummaryResult Summarize(
        Microsoft.SemanticKernel.Kernel kernel,
        [Description("Paper ids (or ref numbers)")] string[] ids,
        [Description("tldr | eli5 | technical")] string style = "tldr")
    {
        var turn = Turn(kernel);
        turn.Log.RecordCall($"summarize({string.Join(',', ids)})");
        var s = ParseStyle(style);
        var papers = Resolve(kernel, ids);
        return new SummaryResult(
            s.ToString().ToLowerInvariant(),
            papers.Select(p => new PaperSummary(turn.Log.Number(p), p.Id, p.Title, ExtractiveEngine.SummarySentences(p, s))).ToList(),
            ids.Where(i => store.Get(i.Trim()) is null).ToList());
    }

    [KernelFunction("compare")]
    [Description("Compares papers by id on aspects (default: Task, Method, Data, Results, Limitations) from their abstracts; 'not stated' where an abstract is silent.")]
    public CompareResult Compare(
        Microsoft.SemanticKernel.Kernel kernel,
        [Description("Paper ids or ref numbers (2-5)")] string[] ids,
        [Description("Aspects to compare, comma separated")] string? aspects = null)
    {
        var turn = Turn(kernel);
        turn.Log.RecordCall($"compare({string.Join(',', ids)})");
        var papers = Resolve(kernel, ids);
        var list = ParseAspects(aspects);
        var cells = papers.Select(p => ExtractiveEngine.AspectCells(p, list)).ToList();
        var rows = list.Select((a, i) => new CompareRow(a, cells.Select(c => c[i]).ToList())).ToList();
        return new CompareResult(papers.Select(p => new CompareColumn(turn.Log.Number(p), p.Id, p.Title)).ToList(), rows);
    }

    public static IReadOnlyList<string> ParseAspects(string? aspects) =>
        string.IsNullOrWhiteSpace(aspects)
            ? ExtractiveEngine.DefaultAspects
            : aspects.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static SummaryStyle ParseStyle(string? style) => (style ?? "").Trim().ToLowerInvariant() switch
    {
        "eli5" or "beginner" or "simple" => SummaryStyle.Eli5,
        "technical" or "tech" or "detailed" => SummaryStyle.Technical,
        _ => SummaryStyle.Tldr,
    };

    /// <summary>Fetches the papers (in the given order) and numbers them in the turn.</summary>
    public List<Paper> Resolve(Microsoft.SemanticKernel.Kernel kernel, IEnumerable<string> ids)
    {
        var turn = Turn(kernel);
        var order = ids.Select(i => i.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var byId = store.GetMany(order).ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        var papers = order.Select(i => byId.GetValueOrDefault(i)).OfType<Paper>().ToList();
        foreach (var p in papers)
        {
            turn.Log.Number(p);
        }

        return papers;
    }

    private static AnswerTurn Turn(Microsoft.SemanticKernel.Kernel kernel) => kernel.GetRequiredService<AnswerTurn>();

    private static PaperBrief Brief(AnswerTurn turn, Paper p, int abstractChars) => new(
        turn.Log.Number(p),
        p.Id,
        p.Title,
        p.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        p.Upvotes,
        p.Authors.Count > 3 ? string.Join(", ", p.Authors.Take(3)) + " et al." : string.Join(", ", p.Authors),
        PaperLinks.Url(p),
        TextAnalysis.Truncate(p.Abstract, abstractChars));

    private static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

public sealed record PaperBrief(
    [property: JsonPropertyName("ref")] int Ref,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("published")] string? Published,
    [property: JsonPropertyName("upvotes")] int? Upvotes,
    [property: JsonPropertyName("authors")] string Authors,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("abstract")] string Abstract);

public sealed record PaperSummary(
    [property: JsonPropertyName("ref")] int Ref,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("key_sentences")] IReadOnlyList<string> KeySentences);

public sealed record SummaryResult(
    [property: JsonPropertyName("style")] string Style,
    [property: JsonPropertyName("papers")] IReadOnlyList<PaperSummary> Papers,
    [property: JsonPropertyName("unknown_ids")] IReadOnlyList<string> UnknownIds);

public sealed record CompareColumn(
    [property: JsonPropertyName("ref")] int Ref,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title);

public sealed record CompareRow(
    [property: JsonPropertyName("aspect")] string Aspect,
    [property: JsonPropertyName("cells")] IReadOnlyList<string> Cells);

public sealed record CompareResult(
    [property: JsonPropertyName("papers")] IReadOnlyList<CompareColumn> Papers,
    [property: JsonPropertyName("rows")] IReadOnlyList<CompareRow> Rows);
