using System.Text.Json;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`related ID`: "more like this" papers for a stored paper (never the paper itself).</summary>
public sealed class RelatedCommand(CliConsole console, IPaperStore store, ISearchService search, SampleCorpusLoader sample) : ICliCommand<RelatedCommand.Input>
{
    public sealed record Input(string Id, int Top, bool Json);

    public static CliVerb Define()
    {
        var id = CliOptions.One("id", "A paper id, an arXiv id, or an arXiv / Hugging Face link");
        var top = CliOptions.Int("--top", 5, 1, 100, "How many related papers");
        var json = CliOptions.Json();
        return CliVerb.For<RelatedCommand, Input>("related", "Papers similar to a given paper (more like this).",
            [id, top, json], r => new Input(r.GetValue(id)!, r.GetValue(top), r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var paper = SearchOutput.FindPaper(store, input.Id)
            ?? throw new UserFacingException($"no paper with id '{input.Id}' in the database");
        IReadOnlyList<SearchHit> hits;
        try
        {
            hits = search.Related(paper.Id, input.Top);
        }
        catch (IOException ex)
        {
            throw new UserFacingException($"search index error: {ex.Message}", ex);
        }

        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(
                new { id = paper.Id, title = paper.Title, results = hits.Select(SearchOutput.ToJson).ToList() }, SearchOutput.Json));
            return 0;
        }

        await console.Out.WriteLineAsync($"related to {paper.Id}: {paper.Title}\n");
        if (hits.Count == 0)
        {
            await console.Out.WriteAsync("no related papers found\n");
        }
        else
        {
            await SearchOutput.WriteHitsAsync(console, hits);
        }

        return 0;
    }
}
