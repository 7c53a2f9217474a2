using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;
using PaperBot.Bot.Subscriptions;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;
using PaperBot.Testing.Postgres;
using Xunit.Abstractions;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>
/// Three processes on one store (gateway shards 0 and 1 of 2, and an interactions-only instance that the subscribers
/// use over signed HTTP), 50 guilds due at the same minute, and shard 0 stopped in the
/// middle of a post (its request reached Discord, the answer never came back) and restarted: every guild gets exactly one
/// daily post and every subscriber exactly one DM. Runs on LiteDB's shared-database mode (one file, the first host owns it
/// and serves the others through its socket) and on PostgreSQL (each process its own connections to one schema; skipped
/// without a server, required in CI).
/// </summary>
public sealed class ScaleOutEndToEndTests(ITestOutputHelper output, PostgresTestDatabase pg) : IClassFixture<PostgresTestDatabase>
{
    private const int Guilds = 50;
    private const int Subscribers = 20;

    [Fact]
    public Task Two_shards_and_an_interactions_instance_with_a_crash_mid_post_and_a_restart_post_each_guild_once_and_dm_each_subscriber_once() =>
        RunAsync(_ => { }, postgres: false);

    [SkippableFact]
    public Task On_PostgreSQL_two_shards_and_an_interactions_instance_with_a_crash_mid_post_and_a_restart_post_each_guild_once_and_dm_each_subscriber_once()
    {
        var schema = pg.NewSchema(); // skips without a server (fails when one is required)
        return RunAsync(
            h => h.WithConfigFile(new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = schema, ["Search:IndexPath"] = SearchOptions.InMemory }),
            postgres: true);
    }

    private async Task RunAsync(Action<BotHarness> store, bool postgres)
    {
        // 2026-08-20 06:30 UTC = 08:30 Berlin; every guild posts at 09:00 Berlin
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 20, 6, 30, 0, TimeSpan.Zero));
        await using var h = await BotHarness.CreateAsync(time: time);
        store(h);
        h.With("Digest:Enabled", "true").With("Trending:SeedDigestReactions", "false").With("Discord:ShardCount", "2");
        var guilds = Enumerable.Range(1, Guilds).Select(i => 800000000000000000UL + ((ulong)i << 22)).ToList();
        var channelOf = guilds.ToDictionary(g => g, g => g + 7);
        var shard0Channels = guilds.Where(g => ShardOwnership.ShardFor(g, 2) == 0).Select(g => channelOf[g].ToString(CultureInfo.InvariantCulture)).ToHashSet();
        Assert.InRange(shard0Channels.Count, 10, 40); // both shards have work

        var shard0 = await h.With("Discord:ShardId", "0").StartBotAsync();
        var shard1 = await h.With("Discord:ShardId", "1").StartBotAsync();

        // the third process: an interactions-only instance on the same store, reached over signed HTTP
        await using var interactions = await h.With("Discord:ShardId", null).With("Discord:ShardCount", null).StartInteractionsAsync();
        h.With("Discord:ShardCount", "2");
        var settings = shard0.Services.GetRequiredService<IRecordStore<GuildSettings>>();
        foreach (var process in new[] { shard0, shard1, interactions })
        {
            // each process really is on the provider under test (not a fallback to the shared LiteDB file)
            var storeType = process.Services.GetRequiredService<IRecordStore<GuildSettings>>().GetType().Name;
            Assert.True(postgres == storeType.StartsWith("Postgres", StringComparison.Ordinal), storeType);
        }


        foreach (var g in guilds)
        {
            settings.Put(GuildSettings.KeyFor(g), new GuildSettings { GuildId = g, ChannelId = channelOf[g], Time = "09:00", TimeZone = "Europe/Berlin", Top = 3 });
        }

        // the subscribers subscribe through the interactions instance (/subscribe over HTTP); the digests' fetch of the
        // day's HF papers then gives them new matching papers
        var users = Enumerable.Range(1, Subscribers).Select(i => 700000000000000000UL + ((ulong)i << 22)).ToList();
        foreach (var u in users)
        {
            var sub = await h.Discord.Interactions.SlashCommandAsync("subscribe", [FakeOption.String("keywords", "model, learning, language")], new FakeUser(u, "user" + u % 1000));
            Assert.Equal(200, sub.HttpStatus);
            Assert.Equal(4, (await sub.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Type);
        }

        var subs = shard1.Services.GetRequiredService<IRecordStore<Subscription>>();
        Assert.All(users, u => Assert.NotNull(subs.Get(Subscription.KeyFor(u)))); // stored by the interactions process, seen by the shards

        // shard 0 dies during its third post: the message is created at Discord, the answer is never read
        var shard0Posts = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RunningBot? victim = shard0;
        h.Discord.Rest.BeforeResponse = async (route, path, aborted) =>
        {
            if (route == "messages.create" && shard0Channels.Contains(path.Split('/')[2]) && Interlocked.Increment(ref shard0Posts) == 3)
            {
                _ = Task.Run(async () =>
                {
                    await victim!.StopAsync();
                    killed.TrySetResult();
                });
                await Task.Delay(Timeout.Infinite, aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        };

        time.Advance(TimeSpan.FromMinutes(30)); // 09:00 Berlin: all 50 are due
        await killed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var beforeRestart = h.Discord.Rest.CreatedMessages.Count(m => shard0Channels.Contains(m["channel_id"]!.GetValue<string>()));
        Assert.InRange(beforeRestart, 3, shard0Channels.Count - 1); // the crash really was mid-run

        var restarted = await h.With("Discord:ShardId", "0").StartBotAsync();
        // a check that failed while the store's owner went away is retried at the next poll (1 min of fake time)
        await AdvanceUntilAsync(time, () => guilds.All(g => ChatEndToEndTests.MessagesIn(h, channelOf[g]).Count >= 1), "a post in every guild");

        // subscriber DMs: the restarted shard 0 sends its users' at start, shard 1 at its next hourly run
        time.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => users.All(u => h.Discord.Rest.DmChannels.ContainsKey(u) && ChatEndToEndTests.MessagesIn(h, h.Discord.Rest.DmChannels[u]).Count >= 1), "a DM to every subscriber", TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        time.Advance(TimeSpan.FromHours(1)); // another run of both notifiers the same day: nothing more
        await Task.Delay(500);

        var postsPerGuild = guilds.Select(g => ChatEndToEndTests.MessagesIn(h, channelOf[g]).Count).ToList();
        var dmsPerUser = users.Select(u => ChatEndToEndTests.MessagesIn(h, h.Discord.Rest.DmChannels[u]).Count).ToList();
        output.WriteLine($"guilds with exactly 1 post: {postsPerGuild.Count(c => c == 1)}/{Guilds}; duplicate posts: {postsPerGuild.Sum(c => Math.Max(0, c - 1))}; " +
            $"missing posts: {postsPerGuild.Count(c => c == 0)}; DMs: duplicate {dmsPerUser.Sum(c => Math.Max(0, c - 1))}, missing {dmsPerUser.Count(c => c == 0)}; " +
            $"re-posts deduplicated by nonce: {h.Discord.Rest.NonceDeduplicated}");
        Assert.All(postsPerGuild, c => Assert.Equal(1, c));
        Assert.All(dmsPerUser, c => Assert.Equal(1, c));
        Assert.Equal(1, h.Discord.Rest.NonceDeduplicated); // the crashed post was re-sent with its nonce and not created twice

        h.Discord.Rest.BeforeResponse = null;
        Assert.Empty(h.Discord.Rest.Violations);
        _ = shard0;
        await restarted.StopAsync();
        await shard1.StopAsync();
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException("timed out waiting for: " + what);
            }

            await Task.Delay(250);
            if (!condition())
            {
                time.Advance(TimeSpan.FromSeconds(30));
            }
        }
    }
}
