using System.Text.Json;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`related ID`: "more like this" papers for a stored paper (never the paper itself).</summary>
public sealed class RelatedCommand(CliConsole console, IPaperStore store, ISearchService search, SampleCorpusLoader sample) : ICliCommand
{
    public string Name => "related";

    public string Summary => "Papers similar to a given paper (embedding neighbours fused with more-like-this).";

    public string Usage => "related <id> [--top N] [--json]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "top");
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException($"usage: paperbot {Usage}");
        }

        var top = args.GetInt("top", 5, 1, 100);
        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var paper = SearchOutput.FindPaper(store, args.Positionals[0])
            ?? throw new UserFacingException($"no paper with id '{args.Positionals[0]}' in the database");
        IReadOnlyList<SearchHit> hits;
        try
        {
            hits = search.Related(paper.Id, top);
        }
        catch (IOException ex)
        {
            throw new UserFacingException($"search index error: {ex.Message}", ex);
        }

        if (args.Has("json"))
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(
                new { id = paper.Id, title = paper.Title, results = hits.Select(SearchOutput.ToJson).ToList() }, SearchOutput.Json));
            return 0;
        }

        await console.Out.WriteLineAsync($"related to {paper.Id}: {paper.Title}\n");
        await console.Out.WriteAsync(hits.Count == 0 ? "no related papers found\n" : SearchOutput.Table(hits));
        return 0;
    }
}
