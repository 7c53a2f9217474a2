using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Benchmarks.Discord;

/// <summary>
/// Resume soak: N dispatched events with K forced disconnects at random points (dropped TCP, op 7, close 4000, op 9 true).
/// Bar: every event delivered to the typed handler exactly once, in order. Args: [events=1000] [disconnects=20] [seed=1].
/// </summary>
public sealed class DiscordResumeBenchmark : IBenchmark
{
    public string Name => "discord-resume";

    public string Description => "gateway resume soak: 1000 events, 20 forced disconnects, exactly-once in-order delivery";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var disconnects = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var received = new ConcurrentQueue<string>();
        await using var host = await DiscordBenchHost.StartAsync(s => s.AddSingleton(received).AddGatewayEventHandler<MessageCreateEvent, Recorder>());
        await host.StartGatewayAsync();

        var rng = new Random(seed);
        var faultPoints = new SortedSet<int>();
        while (faultPoints.Count < disconnects)
        {
            faultPoints.Add(rng.Next(1, events));
        }

        var sw = Stopwatch.StartNew();
        var kinds = new[] { "drop", "op7", "close4000", "op9-true" };
        var done = 0;
        var lastFaultConnections = 0;
        for (var i = 0; i < events; i++)
        {
            await host.Fake.Gateway.DispatchAsync("MESSAGE_CREATE", new JsonObject
            {
                ["id"] = (100000 + i).ToString(CultureInfo.InvariantCulture),
                ["channel_id"] = "1",
                ["content"] = "e" + i,
                ["type"] = 0,
                ["author"] = new JsonObject { ["id"] = "2", ["username"] = "u" },
            });
            if (faultPoints.Contains(i))
            {
                // each fault hits a fresh, resumed connection (a fault on a connection that is already closing would not count)
                var after = lastFaultConnections;
                await host.Fake.Gateway.WaitUntilAsync(g => g.IsReady && g.ConnectionCount > after, TimeSpan.FromSeconds(30));
                lastFaultConnections = host.Fake.Gateway.ConnectionCount;

                switch (kinds[done++ % kinds.Length])
                {
                    case "drop":
                        host.Fake.Gateway.DropConnection();
                        break;
                    case "op7":
                        await host.Fake.Gateway.SendReconnectAsync();
                        break;
                    case "close4000":
                        await host.Fake.Gateway.CloseAsync(4000, "benchmark");
                        break;
                    default:
                        await host.Fake.Gateway.InvalidateSessionAsync(resumable: true);
                        break;
                }
            }
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (received.Count < events && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10, cancellationToken);
        }

        await Task.Delay(200, cancellationToken);
        sw.Stop();
        var got = received.ToList();
        var expected = Enumerable.Range(0, events).Select(i => "e" + i).ToList();
        var inOrder = got.SequenceEqual(expected);
        var duplicates = got.Count - got.Distinct().Count();
        var missing = expected.Except(got).Count();
        Console.WriteLine($"discord-resume: events={events} disconnects={disconnects} (faults injected: {done}) seed={seed}");
        Console.WriteLine($"  delivered={got.Count} missing={missing} duplicates={duplicates} in-order={inOrder}");
        Console.WriteLine($"  resumes={host.Fake.Gateway.ResumeCount} identifies={host.Fake.Gateway.IdentifyCount} connections={host.Fake.Gateway.ConnectionCount} replayed-after-resume={host.Fake.Gateway.ReplayedCount} elapsed={sw.Elapsed.TotalSeconds:F2}s");
        var pass = inOrder && missing == 0 && duplicates == 0 && host.Fake.Gateway.IdentifyCount == 1 && host.Fake.Gateway.ResumeCount == disconnects;
        Console.WriteLine(pass ? "  PASS: every event exactly once, in order" : "  FAIL");
        return pass ? 0 : 1;
    }

    private sealed class Recorder(ConcurrentQueue<string> received) : IGatewayEventHandler<MessageCreateEvent>
    {
        public ValueTask HandleAsync(MessageCreateEvent e, CancellationToken ct)
        {
            received.Enqueue(e.Content);
            return ValueTask.CompletedTask;
        }
    }
}
