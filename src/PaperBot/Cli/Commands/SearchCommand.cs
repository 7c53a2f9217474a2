using System.Text.Json;
using PaperBot.Core.Search;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`search "QUERY"` / `search --queries-file F`: BM25 search over the paper store with filters and sorts.</summary>
public sealed class SearchCommand(CliConsole console, ISearchService search, SampleCorpusLoader sample) : ICliCommand
{
    public string Name => "search";

    public string Summary => "Search papers (BM25): filters, sorts, snippets; --queries-file for batch JSON lines.";

    public string Usage =>
        "search \"<query>\" [--top N] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--min-upvotes N] [--author NAME] " +
        "[--sort relevance|date|upvotes] [--json]\n       paperbot search --queries-file FILE [--json] [same options]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "top", "from", "to", "min-upvotes", "author", "sort", "queries-file");
        var template = new SearchQuery("")
        {
            Top = args.GetInt("top", 10, 1, 1000),
            From = args.GetDate("from"),
            To = args.GetDate("to"),
            MinUpvotes = args.Has("min-upvotes") ? args.GetInt("min-upvotes", 0, 0) : null,
            AuthorOrOrganization = args.Get("author") is { } a && !string.IsNullOrWhiteSpace(a) ? a.Trim() : null,
            Sort = ParseSort(args.Get("sort")),
        };
        if (template.From is { } from && template.To is { } to && from > to)
        {
            throw new CliUsageException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
        }

        var json = args.Has("json");
        var file = args.Get("queries-file");
        List<string> queries;
        if (file is not null)
        {
            if (args.Positionals.Count > 0)
            {
                throw new CliUsageException("give either a query or --queries-file, not both");
            }

            queries = ReadQueries(file);
        }
        else
        {
            var text = string.Join(' ', args.Positionals).Trim();
            if (text.Length == 0 && !HasFilters(template))
            {
                throw new CliUsageException($"missing query\nusage: paperbot {Usage}");
            }

            queries = [text];
        }

        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var first = true;
        foreach (var text in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hits = Run(template with { Text = text });
            if (json)
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(
                    new { query = text, results = hits.Select(SearchOutput.ToJson).ToList() }, SearchOutput.Json));
                continue;
            }

            if (!first || queries.Count > 1)
            {
                await console.Out.WriteLineAsync((first ? "" : "\n") + $"query: {text}");
            }

            first = false;
            await console.Out.WriteAsync(hits.Count == 0 ? $"no results for \"{text}\"\n" : SearchOutput.Table(hits));
        }

        return 0;
    }

    private IReadOnlyList<SearchHit> Run(SearchQuery query)
    {
        try
        {
            return search.Search(query);
        }
        catch (IOException ex)
        {
            throw new UserFacingException($"search index error: {ex.Message}", ex);
        }
    }

    private static bool HasFilters(SearchQuery q) =>
        q.From is not null || q.To is not null || q.MinUpvotes is not null || q.AuthorOrOrganization is not null;

    private static SearchSort ParseSort(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "" or "relevance" or "score" => SearchSort.Relevance,
        "date" or "published" or "recent" => SearchSort.Date,
        "upvotes" or "votes" => SearchSort.Upvotes,
        _ => throw new CliUsageException($"--sort must be relevance, date or upvotes (got '{raw}')"),
    };

    private static List<string> ReadQueries(string path)
    {
        try
        {
            return File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot read queries file '{path}': {ex.Message}", ex);
        }
    }
}
