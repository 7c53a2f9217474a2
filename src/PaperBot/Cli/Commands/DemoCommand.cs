using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Ranking;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `demo`: the main job on embedded defaults. Loads the bundled sample corpus into an empty database, then shows the
/// most upvoted papers, a ranked search and a grounded answer from the configured backend (offline by default).
/// </summary>
public sealed class DemoCommand(IServiceProvider services, CliConsole console, IPaperStore store, ISearchService search, HybridSearchService hybrid, SampleCorpusLoader sample, TimeProvider time) : ICliCommand
{
    private const string DefaultQuery = "efficient reasoning with long generation";
    private const string DefaultQuestion = "How can language models reason more efficiently over long outputs?";

    public string Name => "demo";

    public string Summary => "Main job on the sample corpus: top papers, a ranked search and a cited answer (offline by default).";

    public string Usage => "demo [--query TEXT] [--question TEXT] [--top N]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("query", "question", "top");
        var top = args.GetInt("top", 5, 1, 50);
        var query = args.Get("query") ?? DefaultQuery;
        var question = args.Get("question") ?? DefaultQuestion;

        var loaded = await sample.EnsureSampleLoadedAsync(cancellationToken);
        var o = console.Out;
        await o.WriteLineAsync(loaded is { } l
            ? $"Loaded the bundled sample corpus: {l.Added} papers added ({store.Count()} in the database)."
            : $"Database has {store.Count()} papers.");

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var trending = store.Trending(DateOnly.MinValue, today, top);
        await o.WriteLineAsync($"\n== Most upvoted papers (top {top})");
        var table = new TextTable().Column("#", rightAlign: true).Column("upvotes", rightAlign: true).Column("date").Column("id").Column("title", maxWidth: 80);
        for (var i = 0; i < trending.Count; i++)
        {
            var p = trending[i];
            table.Row(i + 1, p.Upvotes, p.FeaturedOn ?? p.Published, p.Id, p.Title);
        }

        await o.WriteAsync(table.ToString());

        var hits = await search.SearchAsync(new SearchQuery(query) { Top = top }, cancellationToken);
        var mode = hybrid.Resolve(SearchMode.Auto) == SearchMode.Hybrid
            ? $"hybrid: BM25 + {hybrid.Dense.ModelKey} embeddings of {hybrid.Dense.Count} papers"
            : "lexical: BM25";
        await o.WriteLineAsync($"\n== Search ({mode}): \"{query}\"");
        await o.WriteAsync(hits.Count == 0 ? "no results\n" : SearchOutput.Table(hits));

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
