using System.Diagnostics;
using System.Globalization;
using PaperBot.Benchmarks.AI;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Benchmarks.Bot;

/// <summary>
/// Bar: INTERACTION_CREATE → deferred callback (type 5) p99 &lt; 300 ms while 20 slow LLM questions are in flight.
/// 20 /ask questions whose LLM calls take <c>slowSeconds</c> are started first; then <c>measured</c> more /ask interactions
/// (new users, <c>concurrency</c> at a time) are timed from the fake handing INTERACTION_CREATE to the socket until the
/// deferral POST arrives. The measured questions' LLM calls are slow too, so at least 20 are in flight throughout.
/// Args: [measured=200] [concurrency=4] [slowSeconds=20].
/// </summary>
public sealed class BotDeferralBenchmark : IBenchmark
{
    public string Name => "bot-deferral";

    public string Description => "INTERACTION_CREATE -> deferred callback p99 while 20 slow LLM questions are in flight; args: [measured=200] [concurrency=4] [slowSeconds=20]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var measured = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        var slow = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20);
        await using var host = await BotBenchHost.CreateAsync();
        host.Seed(BotBenchHost.Corpus(300));
        host.OpenAi.DefaultChatReply = FakeReply.Slow(slow, FakeReply.Text("A slow but fine answer."));
        await host.StartAsync();

        // warm-up (JIT, connections) with a fast answer
        host.OpenAi.EnqueueChat(FakeReply.Text("warm"));
        var warm = await host.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", "warm up diffusion")], new FakeUser(1, "warm"));
        await warm.WaitForCallbackAsync(TimeSpan.FromSeconds(30));
        await WaitUntil(() => host.Discord.Rest.RequestsTo("webhooks.original.edit").Any(), TimeSpan.FromSeconds(30));

        var background = new List<FakeInteraction>();
        for (var i = 0; i < 20; i++)
        {
            background.Add(await host.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", $"slow question {i} about transformers")], new FakeUser((ulong)(100 + i), $"slow{i}")));
        }

        foreach (var b in background)
        {
            await b.WaitForCallbackAsync(TimeSpan.FromSeconds(30));
        }

        await WaitUntil(() => host.OpenAi.ChatRequests.Count >= 21, TimeSpan.FromSeconds(30));
        var inFlightAtStart = host.OpenAi.ChatRequests.Count - 1;

        var samples = new List<double>();
        var types = new List<int>();
        var sw = Stopwatch.StartNew();
        for (var start = 0; start < measured; start += concurrency)
        {
            var batch = Enumerable.Range(start, Math.Min(concurrency, measured - start)).Select(async i =>
            {
                var it = await host.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", $"measured question {i} on retrieval")], new FakeUser((ulong)(10_000 + i), $"user{i}"));
                var cb = await it.WaitForCallbackAsync(TimeSpan.FromSeconds(30));
                lock (samples)
                {
                    samples.Add(Stopwatch.GetElapsedTime(it.DispatchedTimestamp, cb.ArrivedTimestamp).TotalMilliseconds);
                    types.Add(cb.Type);
                }
            });
            await Task.WhenAll(batch);
        }

        var answered = host.Discord.Rest.RequestsTo("webhooks.original.edit").Count() - 1; // minus the warm-up answer
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        Console.WriteLine($"bot-deferral: {measured} measured /ask interactions ({concurrency} concurrent) in {sw.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  slow LLM calls in flight when measuring began: {inFlightAtStart} (each {slow.TotalSeconds:F0} s); slow answers delivered during the measurement: {answered} (so all 20 stayed in flight)");
        Console.WriteLine($"  all callbacks type 5 (deferred): {types.All(t => t == 5)}; machine load average {load} on {Environment.ProcessorCount} cores");
        Console.WriteLine($"  INTERACTION_CREATE -> deferred callback: {Stats.Summary(samples)} (bar p99 < 300 ms)");
        return types.All(t => t == 5) && samples.Max() > 0 ? 0 : 1;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException("benchmark setup timed out");
            }

            await Task.Delay(20);
        }
    }
}
