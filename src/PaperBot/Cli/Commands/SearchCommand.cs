using System.Text.Json;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Syntax;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`search "QUERY"` / `search --queries-file F`: BM25 search over the paper store with filters and sorts.</summary>
public sealed class SearchCommand(CliConsole console, ISearchService search, HybridSearchService hybrid, SampleCorpusLoader sample) : ICliCommand
{
    public string Name => "search";

    public string Summary => "Search papers (hybrid BM25 + embeddings): query syntax, filters, sorts, snippets; --queries-file for batch.";

    public string Usage =>
        "search \"<query>\" [--top N] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--min-upvotes N] [--author NAME] " +
        "[--sort relevance|date|upvotes] [--mode lexical|semantic|hybrid] [--json]\n" +
        "       query syntax: \"exact phrase\", -exclude, title:word, author:name, prefix*\n       paperbot search --queries-file FILE [--json] [same options]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "top", "from", "to", "min-upvotes", "author", "sort", "queries-file", "mode");
        var template = new SearchQuery("")
        {
            Top = args.GetInt("top", 10, 1, 1000),
            From = args.GetDate("from"),
            To = args.GetDate("to"),
            MinUpvotes = args.Has("min-upvotes") ? args.GetInt("min-upvotes", 0, 0) : null,
            AuthorOrOrganization = args.Get("author") is { } a && !string.IsNullOrWhiteSpace(a) ? a.Trim() : null,
            Sort = ParseSort(args.Get("sort")),
            Mode = ParseMode(args.Get("mode")),
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
            var query = template with { Text = text };
            var hits = await RunAsync(query, cancellationToken);
            var mode = hybrid.Resolve(query.Mode).ToString().ToLowerInvariant();
            var note = ParsedQuery.Parse(text).Explanation;
            if (json)
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(
                    new { query = text, mode, note = note.Length > 0 ? note : null, results = hits.Select(SearchOutput.ToJson).ToList() }, SearchOutput.Json));
                continue;
            }

            if (note.Length > 0)
            {
                await console.Error.WriteLineAsync("note: " + note);
            }

            if (query.Mode is not SearchMode.Auto and not SearchMode.Lexical && mode == "lexical")
            {
                await console.Error.WriteLineAsync("note: no paper vectors yet (run `paperbot embed`), so this search is lexical");
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

    private async Task<IReadOnlyList<SearchHit>> RunAsync(SearchQuery query, CancellationToken ct)
    {
        try
        {
            return await search.SearchAsync(query, ct);
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

    public static SearchMode ParseMode(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => SearchMode.Auto,
        "lexical" or "bm25" => SearchMode.Lexical,
        "semantic" or "dense" => SearchMode.Semantic,
        "hybrid" => SearchMode.Hybrid,
        _ => throw new CliUsageException($"--mode must be lexical, semantic or hybrid (got '{raw}')"),
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
