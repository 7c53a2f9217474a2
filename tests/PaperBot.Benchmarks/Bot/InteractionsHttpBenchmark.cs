using System.Diagnostics;
using System.Globalization;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Benchmarks.Bot;

/// <summary>
/// HTTP interactions mode on loopback: `paperbot serve-interactions` with the fake Discord delivering Ed25519-signed
/// interactions (/help, /paper, /search in turn) with a fixed number in flight. Reports interactions/s and p50/p99 from
/// sending the POST to having the HTTP response (the first callback), and how many were type 4 vs deferred.
/// Args: [count=2000] [concurrency=16] [mix|help] (help: /help only, no store or index work).
/// </summary>
public sealed class InteractionsHttpBenchmark : IBenchmark
{
    public string Name => "interactions-http";

    public string Description => "signed HTTP interactions on loopback: interactions/s, p50/p99 to response; args: [count=2000] [concurrency=16] [mix|help]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var helpOnly = args.Length > 2 && args[2] == "help";
        await using var host = await BotBenchHost.CreateAsync();
        var corpus = BotBenchHost.Corpus(2000);
        host.Seed(corpus);
        await host.StartInteractionsAsync();
        var ids = corpus.Take(50).Select(p => p.Id).ToList();

        Task<FakeInteraction> One(int i) => (helpOnly ? 0 : i % 3) switch
        {
            0 => host.Discord.Interactions.SlashCommandAsync("help"),
            1 => host.Discord.Interactions.SlashCommandAsync("paper", [FakeOption.String("id", ids[i % ids.Count])]),
            _ => host.Discord.Interactions.SlashCommandAsync("search", [FakeOption.String("query", i % 2 == 0 ? "diffusion" : "transformer robotics")]),
        };

        for (var i = 0; i < 60; i++)
        {
            await One(i); // warm-up: JIT, index, connection pool
        }

        var latencies = new double[count];
        var types = new int[count];
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                var interaction = await One(i);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                types[i] = interaction.HttpStatus == 200 && interaction.Callback.IsCompletedSuccessfully ? interaction.Callback.Result.Type : -interaction.HttpStatus ?? -1;
            }
        })));
        sw.Stop();
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        var violations = host.Discord.Rest.Violations.Count;
        Console.WriteLine($"interactions-http: {count} interactions, {concurrency} in flight, {count / sw.Elapsed.TotalSeconds:F0} interactions/s");
        Console.WriteLine($"  time to HTTP response: p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms");
        Console.WriteLine($"  answered type 4: {types.Count(t => t == 4)}, deferred (type 5): {types.Count(t => t == 5)}, failed: {types.Count(t => t is not (4 or 5))}; protocol violations: {violations}");
        Console.WriteLine($"  machine: {Environment.ProcessorCount} cores (shared with other builds); signing, delivery and spec checks of the fake included");
        return types.All(t => t is 4 or 5) && violations == 0 ? 0 : 1;
    }
}
