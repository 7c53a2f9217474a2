using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `demo`: the main job on embedded defaults. Loads the bundled sample corpus into an empty database, then shows the
/// most upvoted papers, a ranked search and a grounded answer from the configured backend (offline by default).
/// </summary>
public sealed class DemoCommand(IServiceProvider services, CliConsole console, IPaperStore store, ISearchService search, SampleCorpusLoader sample, TimeProvider time) : ICliCommand<DemoCommand.Input>
{
    private const string DefaultQuery = "efficient reasoning with long generation";
    private const string DefaultQuestion = "How can language models reason more efficiently over long outputs?";

    public sealed record Input(string Query, string Question, int Top);

    public static CliVerb Define()
    {
        var query = CliOptions.Text("--query", $"The search to show (default \"{DefaultQuery}\")");
        var question = CliOptions.Text("--question", $"The question to answer (default \"{DefaultQuestion}\")");
        var top = CliOptions.Int("--top", 5, 1, 50, "Papers per list");
        return CliVerb.For<DemoCommand, Input>("demo", "Main job on the sample corpus: top papers, a ranked search and a cited answer (offline by default).",
            [query, question, top], r => new Input(r.GetValue(query) ?? DefaultQuery, r.GetValue(question) ?? DefaultQuestion, r.GetValue(top)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var (query, question, top) = (input.Query, input.Question, input.Top);

        var loaded = await sample.EnsureSampleLoadedAsync(cancellationToken);
        var o = console.Out;
        await o.WriteLineAsync(loaded is { } l
            ? $"Loaded the bundled sample corpus: {l.Added} papers added ({store.Count()} in the database)."
            : $"Database has {store.Count()} papers.");

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var trending = store.Trending(DateOnly.MinValue, today, top);
        await o.WriteLineAsync($"\n== Most upvoted papers (top {top})");
        await console.WriteAsync(SearchOutput.PaperTable(trending));

        await o.WriteLineAsync($"\n== Search: \"{query}\"");
        var hits = search.Search(new SearchQuery(query) { Top = top });
        if (hits.Count == 0)
        {
            await o.WriteAsync("no results\n");
        }
        else
        {
            await SearchOutput.WriteHitsAsync(console, hits);
        }

        await o.WriteLineAsync($"\n== Ask: \"{question}\"");
        var answer = await services.GetRequiredService<IPaperAssistant>().AskAsync(new AskRequest
        {
            ConversationKey = "cli:demo",
            UserId = "cli",
            Question = question,
        }, cancellationToken);
        await o.WriteLineAsync($"(backend: {answer.Backend})");
        if (answer.Notice is not null)
        {
            await o.WriteLineAsync("note: " + answer.Notice);
        }

        await o.WriteLineAsync(answer.ToMarkdownWithReferences());
        return hits.Count > 0 ? 0 : 1;
    }
}
