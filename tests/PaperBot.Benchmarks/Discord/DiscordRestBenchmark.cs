using System.Diagnostics;
using System.Globalization;
using PaperBot.Discord.Builders;

namespace PaperBot.Benchmarks.Discord;

/// <summary>
/// REST rate-limit soak: N message sends over several channels with random per-bucket and global 429s injected by the fake.
/// Bar: zero sends lost, zero sent before their reset time, no request to a bucket with Remaining 0 (counted by the fake).
/// Args: [sends=500] [channels=10] [p429=0.08] [pGlobal=0.03] [seed=7].
/// </summary>
public sealed class DiscordRestBenchmark : IBenchmark
{
    public string Name => "discord-rest";

    public string Description => "REST soak: 500 sends with random bucket/global 429s; no loss, no early or exhausted-bucket requests";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sends = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var channels = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var p429 = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.08;
        var pGlobal = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0.03;
        var seed = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 7;
        await using var host = await DiscordBenchHost.StartAsync(fake: f => f.Seed = seed, config: c => c["Discord:RateLimitRetries"] = "50");
        var rest = host.Fake.Rest;
        rest.ConfigureBucket("messages.create", 5, TimeSpan.FromMilliseconds(500));
        rest.Inject429Probability = p429;
        rest.InjectGlobal429Probability = pGlobal;
        rest.InjectedRetryAfterMin = TimeSpan.FromMilliseconds(20);
        rest.InjectedRetryAfterMax = TimeSpan.FromMilliseconds(250);

        var rng = new Random(seed);
        var plan = Enumerable.Range(0, sends).Select(i => (Channel: (ulong)(1000 + rng.Next(channels)), Content: "send-" + i)).ToList();
        var sw = Stopwatch.StartNew();
        var failures = 0;
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            try
            {
                var msg = await host.Rest.CreateMessageAsync(item.Channel, MessageBuilder.Text(item.Content), ct);
                if (msg.Content != item.Content)
                {
                    Interlocked.Increment(ref failures);
                }
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"send failed: {ex.Message}");
                Interlocked.Increment(ref failures);
            }
        });
        sw.Stop();

        var created = rest.CreatedMessages.Select(m => m["content"]!.GetValue<string>()).ToList();
        var lost = plan.Select(p => p.Content).Except(created).Count();
        var doubled = created.Count - created.Distinct().Count();
        var statuses = rest.RequestsTo("messages.create").GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}");
        Console.WriteLine($"discord-rest: sends={sends} channels={channels} p429={p429} pGlobal={pGlobal} seed={seed} bucket=5/500ms");
        Console.WriteLine($"  requests: {string.Join(" ", statuses)}; injected bucket 429s={rest.Injected429s} injected global 429s={rest.InjectedGlobal429s}");
        Console.WriteLine($"  lost={lost} duplicated={doubled} failed-calls={failures}");
        Console.WriteLine($"  requests to a bucket with Remaining 0 before its reset={rest.BucketViolations}");
        Console.WriteLine($"  retries sent before their retry_after={rest.EarlyRetries}; requests over 50/s={rest.GlobalViolations}");
        Console.WriteLine($"  already in flight when a global 429 was answered: {rest.GlobalRaceRejections + rest.GlobalLockArrivals} (latest arrived {rest.MaxGlobalLockArrivalDelay.TotalMilliseconds:F1} ms after the 429 was written; retry_after >= {rest.InjectedRetryAfterMin.TotalMilliseconds} ms)");
        Console.WriteLine($"  elapsed={sw.Elapsed.TotalSeconds:F2}s ({sends / sw.Elapsed.TotalSeconds:F0} sends/s)");
        var pass = lost == 0 && doubled == 0 && failures == 0 && rest.BucketViolations == 0 && rest.EarlyRetries == 0 && rest.GlobalViolations == 0;
        Console.WriteLine(pass ? "  PASS" : "  FAIL");
        return pass ? 0 : 1;
    }
}
