using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Benchmarks.AI;
using PaperBot.Core.Search;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Benchmarks.Bot;

/// <summary>
/// Bar: 200 concurrent /search interactions from 50 users against the fake → 200 correct responses, zero lost.
/// All interactions are injected at once; each response must be a type-4 callback whose embed lists, in order, the
/// titles the search service returns for that query (checked in-process on the same host). Args: [count=200] [users=50].
/// </summary>
public sealed class BotSearchLoadBenchmark : IBenchmark
{
    private static readonly string[] Queries = ["diffusion", "transformer robotics", "speech retrieval", "protein", "quantization diffusion", "reinforcement", "retrieval", "robotics speech"];

    public string Name => "bot-search-load";

    public string Description => "200 concurrent /search interactions from 50 users: correct responses, none lost; args: [count=200] [users=50]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        await using var host = await BotBenchHost.CreateAsync();
        host.Seed(BotBenchHost.Corpus(2000));
        await host.StartAsync();
        var search = host.Services.GetRequiredService<ISearchService>();
        var expected = Queries.ToDictionary(q => q, q => search.Search(new SearchQuery(q) { Top = 6 }).Take(5).Select(h => h.Paper.Title).ToList());

        var sw = Stopwatch.StartNew();
        var injected = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            host.Discord.Interactions.SlashCommandAsync("search", [FakeOption.String("query", Queries[i % Queries.Length])], new FakeUser((ulong)(5000 + (i % users)), $"user{i % users}"))));
        var correct = 0;
        var lost = 0;
        var wrong = new List<string>();
        var latencies = new List<double>();
        for (var i = 0; i < injected.Length; i++)
        {
            FakeInteractionCallback cb;
            try
            {
                cb = await injected[i].WaitForCallbackAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                lost++;
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(injected[i].DispatchedTimestamp, cb.ArrivedTimestamp).TotalMilliseconds);
            var description = cb.Data?["embeds"]?[0]?["description"]?.GetValue<string>() ?? "";
            var titles = expected[Queries[i % Queries.Length]];
            var positions = titles.Select(t => description.IndexOf(t, StringComparison.Ordinal)).ToList();
            if (cb.Type == 4 && titles.Count == 5 && positions.All(p => p >= 0) && positions.SequenceEqual(positions.Order()))
            {
                correct++;
            }
            else
            {
                wrong.Add($"#{i} type={cb.Type}");
            }
        }

        Console.WriteLine($"bot-search-load: {count} concurrent /search from {users} users in {sw.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"  correct={correct} lost={lost} wrong={wrong.Count} {string.Join(", ", wrong.Take(5))}");
        Console.WriteLine($"  INTERACTION_CREATE -> response: {Stats.Summary(latencies)}");
        return correct == count && lost == 0 ? 0 : 1;
    }
}
