using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Options;
using PaperBot.Bot.RateLimiting;
using PaperBot.Discord;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Benchmarks.Discord;

/// <summary>
/// Long-run soak: N slash-command interactions from U users spread over a simulated day (FakeTimeProvider) through the real
/// gateway, router, REST client and rate limiter against the strict fake. Half are deferred and finished by editing
/// @original, half answered at once; each goes through Bot's per-user limiter. Reports rate-limit bucket, route-hash and
/// limiter entry counts (bounded by the sweeps) and managed memory before and after.
/// Args: [interactions=100000] [users=5000] [hours=24] [batch=8] [seed=11].
/// </summary>
public sealed class DiscordSoakBenchmark : IBenchmark
{
    public string Name => "discord-soak";

    public string Description => "100,000 interactions over a simulated 24 h: bucket/limiter entries stay bounded, memory before/after";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
        var hours = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 24;
        var batch = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        var seed = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 11;

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero));
        var limiter = new UserRateLimiter(Microsoft.Extensions.Options.Options.Create(new BotOptions { Cooldown = TimeSpan.FromSeconds(5), DailyRequestsPerUser = 100, ConcurrentRequestsPerUser = 2 }), time);
        var done = Channel.CreateUnbounded<bool>();
        await using var host = await DiscordBenchHost.StartAsync(
            s => s.AddSingleton(limiter).AddSingleton(done).AddSlashCommandHandler<SoakCommand>(),
            fake: f => f.RecordHistory = false,
            time: time);
        await host.StartGatewayAsync();
        var limits = host.Services.GetRequiredService<RateLimitManager>();
        var rng = new Random(seed);
        var step = TimeSpan.FromHours(hours) / total;

        async Task RunAsync(int count)
        {
            for (var sent = 0; sent < count;)
            {
                var n = Math.Min(batch, count - sent);
                for (var i = 0; i < n; i++)
                {
                    var user = new FakeUser(600000000000000000UL + (ulong)rng.Next(users), "u");
                    await host.Fake.Interactions.SlashCommandAsync("soak", [FakeOption.Boolean("defer", rng.Next(2) == 0)], user);
                }

                for (var i = 0; i < n; i++)
                {
                    await done.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }

                sent += n;
                for (var i = 0; i < n; i++)
                {
                    time.Advance(step);
                }
            }
        }

        await RunAsync(Math.Min(1000, total / 10)); // warm-up (JIT, connection pool)
        var memBefore = GC.GetTotalMemory(forceFullCollection: true);
        var sw = Stopwatch.StartNew();
        var peakBuckets = 0;
        var peakUsers = 0;
        var rounds = 20;
        for (var r = 0; r < rounds; r++)
        {
            await RunAsync(total / rounds);
            peakBuckets = Math.Max(peakBuckets, limits.BucketCount);
            peakUsers = Math.Max(peakUsers, limiter.TrackedUsers);
        }

        sw.Stop();
        var memAfter = GC.GetTotalMemory(forceFullCollection: true);
        var refused = SoakCommand.Refused;
        Console.WriteLine($"discord-soak: interactions={total} (+{Math.Min(1000, total / 10)} warm-up) users={users} simulated={hours} h (one every {step.TotalMilliseconds:F0} ms) batch={batch} seed={seed}");
        Console.WriteLine($"  answered={SoakCommand.Answered} (deferred+edited={SoakCommand.Deferred}, limiter refusals={refused}) elapsed={sw.Elapsed.TotalSeconds:F1}s ({total / sw.Elapsed.TotalSeconds:F0}/s)");
        Console.WriteLine($"  rate-limit buckets at end={limits.BucketCount} (peak sampled {peakBuckets}, swept {limits.EvictedBucketCount}); route hashes={limits.RouteHashCount}");
        Console.WriteLine($"  limiter entries at end={limiter.TrackedUsers} (peak sampled {peakUsers}, swept {limiter.EvictedUsers})");
        Console.WriteLine($"  managed memory before={memBefore / 1048576.0:F1} MiB after={memAfter / 1048576.0:F1} MiB (delta {(memAfter - memBefore) / 1048576.0:+0.0;-0.0} MiB)");
        Console.WriteLine($"  gateway: identifies={host.Fake.Gateway.IdentifyCount} resumes={host.Fake.Gateway.ResumeCount} heartbeats={host.Fake.Gateway.HeartbeatCount}; REST requests={host.Fake.Rest.RequestCount} bucket violations={host.Fake.Rest.BucketViolations} spec violations={host.Fake.Rest.Violations.Count}");
        // steady state: every interaction brings a callback bucket (and a webhook bucket when deferred) that lives for the
        // idle time plus up to one sweep interval; bounded means staying near that, not growing with the run
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value;
        var steady = (int)Math.Ceiling((options.RateLimitBucketIdleTime + TimeSpan.FromSeconds(30)) / step * 1.5);
        Console.WriteLine($"  expected steady state: about {steady} buckets ((idle {options.RateLimitBucketIdleTime.TotalMinutes} min + 30 s sweep) / {step.TotalMilliseconds:F0} ms x 1.5 buckets per interaction); limiter bound: users active today ({users})");
        var pass = SoakCommand.Answered == total + Math.Min(1000, total / 10) && peakBuckets <= 2 * steady + 50 && limiter.TrackedUsers <= users
            && host.Fake.Rest.BucketViolations == 0 && host.Fake.Rest.Violations.Count == 0;
        Console.WriteLine(pass ? "  PASS" : "  FAIL");
        return pass ? 0 : 1;
    }

    private sealed class SoakCommand(UserRateLimiter limiter, Channel<bool> done) : ISlashCommandHandler
    {
        public static int Answered;
        public static int Deferred;
        public static int Refused;

        public string CommandName => "soak";

        public async Task HandleAsync(InteractionContext context)
        {
            try
            {
                using var lease = limiter.TryAcquire(context.User!.Id);
                if (!lease.Allowed)
                {
                    Interlocked.Increment(ref Refused);
                    await context.RespondAsync(lease.Message!, ephemeral: true);
                }
                else if (context.Interaction.GetOption("defer")?.GetBoolean() == true)
                {
                    Interlocked.Increment(ref Deferred);
                    await context.DeferAsync();
                    await context.FinishAsync(MessageBuilder.Text("done"));
                }
                else
                {
                    await context.RespondAsync("done");
                }

                Interlocked.Increment(ref Answered);
            }
            finally
            {
                done.Writer.TryWrite(true);
            }
        }
    }
}
