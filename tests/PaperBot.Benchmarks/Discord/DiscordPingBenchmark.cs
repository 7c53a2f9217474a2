using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord;
using PaperBot.Discord.Interactions;

namespace PaperBot.Benchmarks.Discord;

/// <summary>
/// Ping latency: time from the fake handing INTERACTION_CREATE to the socket until the callback POST arrives, with a trivial
/// /ping handler (type 4 "pong"), through the real gateway, dispatcher, router, rate limiter and HttpClient.
/// Args: [pings=500] [warmup=50].
/// </summary>
public sealed class DiscordPingBenchmark : IBenchmark
{
    public string Name => "discord-ping";

    public string Description => "median INTERACTION_CREATE received -> callback POST latency with a trivial handler";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var pings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var warmup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        await using var host = await DiscordBenchHost.StartAsync(s => s.AddSlashCommandHandler<PingCommand>());
        await host.StartGatewayAsync();

        var samples = new List<double>();
        for (var i = 0; i < warmup + pings; i++)
        {
            var interaction = await host.Fake.Interactions.SlashCommandAsync("ping");
            var cb = await interaction.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
            if (cb.Type != 4)
            {
                Console.Error.WriteLine($"unexpected callback type {cb.Type}");
                return 1;
            }

            if (i >= warmup)
            {
                samples.Add(Stopwatch.GetElapsedTime(interaction.DispatchedTimestamp, cb.ArrivedTimestamp).TotalMilliseconds);
            }
        }

        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        Console.WriteLine($"discord-ping: pings={pings} (after {warmup} warm-up), trivial handler answering type 4");
        Console.WriteLine($"  median={P(0.5):F3} ms p90={P(0.9):F3} ms p99={P(0.99):F3} ms min={samples[0]:F3} ms max={samples[^1]:F3} ms");
        return 0;
    }

    private sealed class PingCommand : ISlashCommandHandler
    {
        public string CommandName => "ping";

        public Task HandleAsync(InteractionContext context) => context.RespondAsync("pong");
    }
}
