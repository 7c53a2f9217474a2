using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;
using PaperBot.AI.Grounding;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Plugins;

/// <summary>
/// The paper tools the model can call (automatic function calling) and the offline plan calls directly. Thin: each
/// calls a Core service and records what it returned in the turn's <see cref="RetrievalLog"/>.
/// </summary>
public sealed class PaperPlugins(IPaperRetriever retriever, ISearchService search, IPaperStore store, TimeProvider time, RetrievalLog log, int defaultTop = 6)
{
    public const string PluginName = "papers";

    private const int MaxTop = 20;

    public RetrievalLog Log => log;

    public int DefaultTop => defaultTop;

    [KernelFunction("search_papers")]
    [Description("Full-text search of the paper database (titles, abstracts, authors). Returns the best matches with their ref numbers.")]
    public async Task<IReadOnlyList<PaperBrief>> SearchPapersAsync(
        [Description("What to look for, in keywords")] string query,
        [Description("Earliest publication date, yyyy-MM-dd")] string? from = null,
        [Description("Latest publication date, yyyy-MM-dd")] string? to = null,
        [Description("Only papers with at least this many Hugging Face upvotes")] int? min_upvotes = null,
        [Description("How many results (default 6, max 20)")] int? top = null,
        CancellationToken cancellationToken = default)
    {
        log.RecordCall($"search_papers({query})");
        var q = new SearchQuery(query)
        {
            From = ParseDate(from),
            To = ParseDate(to),
            MinUpvotes = min_upvotes,
            Top = Math.Clamp(top ?? defaultTop, 1, MaxTop),
        };
        var hits = await retriever.SearchAsync(q, cancellationToken).ConfigureAwait(false);
        return hits.Select(h => Brief(h.Paper)).ToList();
    }

    [KernelFunction("get_paper")]
    [Description("Gets one paper by id (arXiv id such as 2401.01234). Returns null when unknown.")]
    public PaperBrief? GetPaper([Description("The paper id")] string id)
    {
        log.RecordCall($"get_paper({id})");
        var p = store.Get(id.Trim());
        return p is null ? null : Brief(p, abstractChars: 2000);
    }

    [KernelFunction("related_papers")]
    [Description("Papers similar to the given paper.")]
    public IReadOnlyList<PaperBrief> RelatedPapers([Description("The paper id")] string id)
    {
        log.RecordCall($"related_papers({id})");
        return search.Related(id.Trim(), defaultTop).Select(h => Brief(h.Paper)).ToList();
    }

    /// <summary>Set by <see cref="Trending"/> when it fell back to the newest featured days (what to tell the user), else null.</summary>
    public string? LastTrendingNotice { get; private set; }

    [KernelFunction("trending")]
    [Description("Most upvoted papers of the last days. When those days have no papers, the newest featured days in the database are returned instead (their dates show which).")]
    public IReadOnlyList<PaperBrief> Trending(
        [Description("How many days back (default 7)")] int? days = null,
        [Description("How many papers (default 6, max 20)")] int? top = null)
    {
        log.RecordCall($"trending({days})");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var d = Math.Clamp(days ?? 7, 1, 365);
        var from = today.AddDays(-(d - 1));
        var result = TrendingWindow.Find(store, from, today, Math.Clamp(top ?? defaultTop, 1, MaxTop));
        LastTrendingNotice = result.Notice(from, today);
        return result.Papers.Select(p => Brief(p)).ToList();
    }

    [KernelFunction("summarize")]
    [Description("Extractive summary of papers by id, in a style: tldr, eli5 (for a beginner) or technical.")]
    public SummaryResult Summarize(
        [Description("Paper ids")] string[] ids,
        [Description("tldr | eli5 | technical")] string style = "tldr")
    {
        log.RecordCall($"summarize({string.Join(',', ids)})");
        var s = ParseStyle(style);
        var papers = Resolve(ids);
        return new SummaryResult(
            s.ToString().ToLowerInvariant(),
            papers.Select(p => new PaperSummary(log.Add(p), p.Id, p.Title, ExtractiveEngine.SummarySentences(p, s))).ToList(),
            ids.Where(i => store.Get(i.Trim()) is null).ToList());
    }

    [KernelFunction("compare")]
    [Description("Compares papers by id on aspects (default: Task, Method, Data, Results, Limitations) from their abstracts; 'not stated' where an abstract is silent.")]
    public CompareResult Compare(
        [Description("Paper ids (2-5)")] string[] ids,
        [Description("Aspects to compare, comma separated")] string? aspects = null)
    {
        log.RecordCall($"compare({string.Join(',', ids)})");
        var papers = Resolve(ids);
        var list = ParseAspects(aspects);
        var rows = list.Select(a => new CompareRow(a, papers.Select(p => ExtractiveEngine.AspectCell(p, a)).ToList())).ToList();
        return new CompareResult(papers.Select(p => new CompareColumn(log.Add(p), p.Id, p.Title)).ToList(), rows);
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

    /// <summary>Fetches the papers (in the given order), recording them as retrieved.</summary>
    public List<Paper> Resolve(IEnumerable<string> ids)
    {
        var papers = store.GetMany(ids.Select(i => i.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)).ToList();
        var order = ids.Select(i => i.Trim()).ToList();
        papers.Sort((a, b) => order.FindIndex(x => x.Equals(a.Id, StringComparison.OrdinalIgnoreCase))
            .CompareTo(order.FindIndex(x => x.Equals(b.Id, StringComparison.OrdinalIgnoreCase))));
        foreach (var p in papers)
        {
            log.Add(p);
        }

        return papers;
    }

    private PaperBrief Brief(Paper p, int abstractChars = 700) => new(
        log.Add(p),
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
