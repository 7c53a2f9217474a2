using Spectre.Console;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.Cli;

/// <summary>Shared output shapes of the paper verbs (search, related, trending, demo): one JSON shape, one table layout per kind.</summary>
public static partial class SearchOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>One result in --json output: {"id","title","score","published","upvotes"}.</summary>
    public sealed record JsonHit(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("score")] double Score,
        [property: JsonPropertyName("published")] string? Published,
        [property: JsonPropertyName("upvotes")] int? Upvotes);

    public static JsonHit ToJson(SearchHit h) => new(
        h.Paper.Id,
        h.Paper.Title,
        Math.Round(h.Score, 4),
        (h.Paper.Published ?? h.Paper.FeaturedOn)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        h.Paper.Upvotes);

    /// <summary>Ranked hits as a table, then the snippet of each (why it matched; matched words in bold).</summary>
    public static async Task WriteHitsAsync(CliConsole console, IReadOnlyList<SearchHit> hits)
    {
        var table = CliConsole.Table(("#", true), ("score", true), ("date", false), ("upvotes", true), ("id", false), ("title", false));
        for (var i = 0; i < hits.Count; i++)
        {
            var p = hits[i].Paper;
            table.Row(i + 1, hits[i].Score, p.Published ?? p.FeaturedOn, p.Upvotes, p.Id, CliTableExtensions.Cut(p.Title, TitleWidth));
        }

        await console.WriteAsync(table);
        if (!hits.Any(h => !string.IsNullOrWhiteSpace(h.Snippet)))
        {
            return;
        }

        var width = hits.Count.ToString(CultureInfo.InvariantCulture).Length;
        if (console.IsInteractive)
        {
            console.Rich.MarkupLine("\n[grey]why:[/]");
            for (var i = 0; i < hits.Count; i++)
            {
                console.Rich.MarkupLine((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width) + "  " + BoldMarkup(hits[i].Snippet ?? ""));
            }

            return;
        }

        var sb = new System.Text.StringBuilder("\nwhy:\n");
        for (var i = 0; i < hits.Count; i++)
        {
            sb.Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append("  ").Append(hits[i].Snippet).Append('\n');
        }

        await console.Out.WriteAsync(sb.ToString());
    }

    /// <summary>Rank, upvotes, date, id and title of papers (trending lists, the demo's top papers).</summary>
    public static Table PaperTable(IReadOnlyList<Paper> papers)
    {
        var table = CliConsole.Table(("#", true), ("upvotes", true), ("date", false), ("id", false), ("title", false));
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i];
            table.Row(i + 1, p.Upvotes, p.FeaturedOn ?? p.Published, p.Id, CliTableExtensions.Cut(p.Title, TitleWidth));
        }

        return table;
    }

    /// <summary>Titles are cut to this many characters in tables.</summary>
    public const int TitleWidth = 80;

    /// <summary>"**word**" (the snippet's match marker) as bold; everything else escaped (paper text is untrusted).</summary>
    private static string BoldMarkup(string snippet)
    {
        var parts = snippet.Split("**");
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            var text = Spectre.Console.Markup.Escape(parts[i]);
            sb.Append(i % 2 == 1 && i < parts.Length - 1 ? $"[bold yellow]{text}[/]" : text);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^(?:https?://(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/|arxiv:)(?<id>[^?#\s]+?)(?:\.pdf)?/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PaperLink();

    [GeneratedRegex(@"^(?<id>\d{4}\.\d{4,5})v\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionedArxivId();

    /// <summary>
    /// Finds a paper by what a user may paste: its id, "arXiv:2401.01234", an arXiv abs/pdf or HF papers link, or a
    /// versioned arXiv id ("2401.01234v2"). Null when the store has no such paper.
    /// </summary>
    public static Paper? FindPaper(IPaperStore store, string raw)
    {
        var id = raw.Trim();
        if (store.Get(id) is { } exact)
        {
            return exact;
        }

        if (PaperLink().Match(id) is { Success: true } link)
        {
            id = link.Groups["id"].Value;
        }

        if (VersionedArxivId().Match(id) is { Success: true } versioned)
        {
            id = versioned.Groups["id"].Value;
        }

        return id == raw.Trim() ? null : store.Get(id);
    }
}
