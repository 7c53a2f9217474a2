using System.CommandLine;
using System.Text.Json;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Syntax;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `search "QUERY"` / `search --queries-file F`: hybrid search (BM25 + embeddings when vectors exist) over the paper
/// store with the query syntax, filters, sorts and --mode.
/// </summary>
public sealed class SearchCommand(CliConsole console, ISearchService search, SampleCorpusLoader sample) : ICliCommand<SearchCommand.Input>
{
    /// <summary>The query text (or the queries file) and the filters every query gets.</summary>
    public sealed record Input(string Text, string? QueriesFile, SearchQuery Template, bool Json);

    public static readonly IReadOnlyDictionary<string, SearchSort> Sorts = new Dictionary<string, SearchSort>
    {
        [""] = SearchSort.Relevance,
        ["relevance"] = SearchSort.Relevance,
        ["score"] = SearchSort.Relevance,
        ["date"] = SearchSort.Date,
        ["published"] = SearchSort.Date,
        ["recent"] = SearchSort.Date,
        ["upvotes"] = SearchSort.Upvotes,
        ["votes"] = SearchSort.Upvotes,
    };

    public static readonly IReadOnlyDictionary<string, SearchMode> Modes = new Dictionary<string, SearchMode>
    {
        [""] = SearchMode.Auto,
        ["auto"] = SearchMode.Auto,
        ["lexical"] = SearchMode.Lexical,
        ["bm25"] = SearchMode.Lexical,
        ["semantic"] = SearchMode.Semantic,
        ["dense"] = SearchMode.Semantic,
        ["hybrid"] = SearchMode.Hybrid,
    };

    /// <summary>The --mode option (default: hybrid when vectors exist, else lexical).</summary>
    public static Option<SearchMode> ModeOption() =>
        CliOptions.Choice("--mode", SearchMode.Auto, Modes, ["lexical", "semantic", "hybrid"], "Retrieval: BM25, embeddings, or both fused (default: hybrid when vectors exist)");

    public static CliVerb Define()
    {
        var query = CliOptions.Words("query", "What to search for; also \"exact phrase\", -exclude, title:word, author:name, prefix*");
        var top = CliOptions.Int("--top", 10, 1, 1000, "Results per query");
        var from = CliOptions.Date("--from", "Only papers published (or featured) on or after this date");
        var to = CliOptions.Date("--to", "Only papers published (or featured) on or before this date");
        var minUpvotes = CliOptions.OptionalInt("--min-upvotes", 0, int.MaxValue, "Only papers with at least this many upvotes");
        var author = CliOptions.Text("--author", "Only papers by this author or organisation", "NAME");
        var sort = CliOptions.Choice("--sort", SearchSort.Relevance, Sorts, ["relevance", "date", "upvotes"], "Result order");
        var queriesFile = CliOptions.Text("--queries-file", "Run one query per line of FILE (with --json: one JSON object per line out)", "FILE");
        var mode = ModeOption();
        var json = CliOptions.Json();
        return CliVerb.For<SearchCommand, Input>(
            "search",
            "Search papers (hybrid BM25 + embeddings): query syntax, filters, sorts, snippets; --queries-file for batch.",
            [query, top, from, to, minUpvotes, author, sort, mode, queriesFile, json],
            r =>
            {
                var template = new SearchQuery("")
                {
                    Top = r.GetValue(top),
                    From = r.GetValue(from),
                    To = r.GetValue(to),
                    MinUpvotes = r.GetValue(minUpvotes),
                    AuthorOrOrganization = r.GetValue(author) is { } a && !string.IsNullOrWhiteSpace(a) ? a.Trim() : null,
                    Sort = r.GetValue(sort),
                    Mode = r.GetValue(mode),
                };
                if (template.From is { } f && template.To is { } t && f > t)
                {
                    throw new CliUsageException($"--from {f:yyyy-MM-dd} is after --to {t:yyyy-MM-dd}");
                }

                var text = string.Join(' ', r.GetValue(query) ?? []).Trim();
                var file = r.GetValue(queriesFile);
                if (file is not null && text.Length > 0)
                {
                    throw new CliUsageException("give either a query or --queries-file, not both");
                }

                if (file is null && text.Length == 0 && !HasFilters(template))
                {
                    throw new CliUsageException("missing query: paperbot search \"<query>\" [options] (see paperbot search --help)");
                }

                return new Input(text, file, template, r.GetValue(json));
            });
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var queries = input.QueriesFile is { } file ? ReadQueries(file) : [input.Text];
        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var first = true;
        foreach (var text in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var query = input.Template with { Text = text };
            var hits = await RunAsync(query, cancellationToken);
            var mode = search.ResolveMode(query.Mode).ToString().ToLowerInvariant();
            var note = ParsedQuery.Parse(text).Explanation;
            if (input.Json)
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
            if (hits.Count == 0)
            {
                await console.Out.WriteAsync($"no results for \"{text}\"\n");
            }
            else
            {
                await SearchOutput.WriteHitsAsync(console, hits);
            }
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
