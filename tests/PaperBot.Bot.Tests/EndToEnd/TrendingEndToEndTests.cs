using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Settings;
using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>Per-server trending through the real host: members' reactions (gateway events from the strict fake) change the order.</summary>
public sealed class TrendingEndToEndTests
{
    private const ulong DigestChannel = DigestEndToEndTests.DigestChannel;
    private static readonly string[] Keycaps = ["1\uFE0F\u20E3", "2\uFE0F\u20E3", "3\uFE0F\u20E3", "4\uFE0F\u20E3", "5\uFE0F\u20E3"];

    private static FakeUser Member(int i) => new(710000000000000000 + (ulong)i, "member" + i);

    [Fact]
    public async Task Five_members_reacting_to_B_rank_it_first_in_server_scope_while_global_scope_keeps_A_with_more_upvotes_first()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        await using var h = await BotHarness.CreateAsync(time: time);
        var day = new DateOnly(2026, 11, 20);
        var a = new Paper { Id = "2611.30001", ArxivId = "2611.30001", Title = "Paper A with Many Upvotes", Abstract = "A.", Upvotes = 480, FeaturedOn = day, Sources = ["test"] };
        var b = new Paper { Id = "2611.30002", ArxivId = "2611.30002", Title = "Paper B the Server Likes", Abstract = "B.", Upvotes = 12, FeaturedOn = day, Sources = ["test"] };
        var c = new Paper { Id = "2611.30003", ArxivId = "2611.30003", Title = "Paper C in Between", Abstract = "C.", Upvotes = 150, FeaturedOn = day, Sources = ["test"] };
        h.Seed([a, b, c]);
        await using var bot = await h.StartBotAsync();
        var signals = bot.Services.GetRequiredService<ServerSignals>();

        // before any activity the server scope is the upvote order, and says so
        var before = await TrendingAsync(h);
        Assert.Equal([a.Id, c.Id, b.Id], before.Ids);
        Assert.Contains("No activity in this server yet", before.Content);

        var paper = await h.Discord.Interactions.SlashCommandAsync("paper", [FakeOption.String("id", b.Id)]);
        Assert.Equal(4, (await paper.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Type);
        await Eventually.TrueAsync(() => paper.OriginalMessage is not null, "the /paper message");
        var messageId = ulong.Parse(paper.OriginalMessage!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var messages = bot.Services.GetRequiredService<IRecordStore<PaperMessageRecord>>();
        await Eventually.TrueAsync(() => messages.Get(PaperMessageRecord.KeyFor(messageId)) is not null, "the /paper message remembered");

        for (var i = 1; i <= 5; i++)
        {
            Assert.True(await h.Discord.Gateway.AddReactionAsync(BotHarness.ChannelId, messageId, i % 2 == 0 ? "🔥" : "👍", Member(i)));
        }

        await Eventually.TrueAsync(() => signals.Window(BotHarness.GuildId).TryGetValue(b.Id, out var w) && w.Counts.Reactions == 5, "5 reactions counted");
        Assert.Equal(1, signals.Window(BotHarness.GuildId)[b.Id].Counts.Views); // the /paper view itself

        var server = await TrendingAsync(h);
        Assert.Equal(b.Id, server.Ids[0]);
        Assert.Contains("Trending in this server", server.Title);
        Assert.Contains("💬 5 reactions · 1 view", server.Description);
        var global = await TrendingAsync(h, FakeOption.String("scope", "global"));
        Assert.Equal([a.Id, c.Id, b.Id], global.Ids);
        Assert.Contains("Trending papers of today", global.Title);

        // a removed reaction is cancelled; the rest still rank B first
        Assert.True(await h.Discord.Gateway.RemoveReactionAsync(BotHarness.ChannelId, messageId, "👍", Member(1)));
        await Eventually.TrueAsync(() => signals.Window(BotHarness.GuildId)[b.Id].Counts.Reactions == 4, "the removal counted");
        Assert.Equal(b.Id, (await TrendingAsync(h)).Ids[0]);

        // in a DM there is no server to blend
        var dm = await h.Discord.Interactions.SlashCommandAsync("trending", [FakeOption.String("scope", "server")], guildId: 0);
        var dmCb = await dm.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(64, dmCb.Data!["flags"]!.GetValue<int>());
        Assert.Contains("works in a server", dmCb.Data!["content"]!.GetValue<string>());
        Assert.Equal(0, h.Discord.Rest.SendsWithoutAllowedMentions);
    }

    [Fact]
    public async Task Digest_vote_reactions_are_seeded_count_per_number_and_ranking_server_reorders_the_next_post()
    {
        // 2026-08-20 06:59 UTC = 08:59 CEST; the fake HF API serves the 2026-08-20 fixture
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 20, 6, 59, 0, TimeSpan.Zero));
        await using var h = DigestEndToEndTests.Configure(await BotHarness.CreateAsync(time: time));
        await using var bot = await h.StartBotAsync();
        var signals = bot.Services.GetRequiredService<ServerSignals>();

        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => Digests(h).Count == 1, "digest at 09:00");
        var digest = Digests(h)[0];
        var digestId = ulong.Parse(digest["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var ids = PaperIds(digest);
        Assert.Equal(5, ids.Count);
        Assert.Contains("react with a paper's number", digest["embeds"]![0]!["footer"]!["text"]!.GetValue<string>());

        // the bot adds 1️⃣–5️⃣ itself, paced by the reaction bucket (1 per 250 ms on the shared fake clock)
        await AdvanceUntilAsync(time, () => h.Discord.Rest.OwnReactions(digestId).Count == 5, "5 seeded reactions");
        Assert.Equal(Keycaps, h.Discord.Rest.OwnReactions(digestId));
        Assert.Equal(0, h.Discord.Rest.BucketViolations);

        for (var i = 1; i <= 3; i++)
        {
            await h.Discord.Gateway.AddReactionAsync(DigestChannel, digestId, Keycaps[2], Member(i)); // paper 3
        }

        await h.Discord.Gateway.AddReactionAsync(DigestChannel, digestId, "👍", Member(9)); // which paper? not counted
        await Eventually.TrueAsync(() => signals.Window(BotHarness.GuildId).TryGetValue(ids[2], out var w) && w.Counts.Reactions == 3, "3 votes for paper 3");
        Assert.Equal(3, signals.Window(BotHarness.GuildId).Values.Sum(w => w.Counts.Reactions)); // the bot's own seeds and 👍 did not count

        Assert.Equal(ids[2], (await TrendingAsync(h)).Ids[0]);
        Assert.Equal(ids[0], (await TrendingAsync(h, FakeOption.String("scope", "global"))).Ids[0]);

        // /settings … ranking:server: the next daily post uses the blend
        var settings = await h.Discord.Interactions.SlashCommandAsync("settings",
        [
            FakeOption.SubCommand("trending-channel",
                new FakeOption("channel", 7, JsonValue.Create(DigestChannel.ToString(CultureInfo.InvariantCulture))),
                FakeOption.String("time", "09:00"),
                FakeOption.String("timezone", "Europe/Berlin"),
                FakeOption.Integer("top", 5),
                FakeOption.String("ranking", "server")),
        ], permissions: FakePermissions.Moderator);
        Assert.Contains("ranked by this server's blend", (await settings.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Data!["content"]!.GetValue<string>());
        Assert.Equal("server", bot.Services.GetRequiredService<GuildSettingsService>().Get(BotHarness.GuildId)!.Ranking);

        // the scheduler re-plans after /settings on its own task: step the clock so that no re-planned timer is missed
        time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(10));
        await AdvanceUntilAsync(time, () => Digests(h).Count == 2, "the next day's digest", TimeSpan.FromSeconds(30));
        var next = PaperIds(Digests(h)[1]);
        Assert.Equal(ids[2], next[0]); // voted up by the server, although it has fewer upvotes than ids[0]
        Assert.Contains(ids[0], next);
    }

    [Fact]
    public async Task Papers_cited_in_answers_to_members_questions_count_in_chat_and_in_ask()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        await using var h = await BotHarness.CreateAsync(time: time);
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();
        var signals = bot.Services.GetRequiredService<ServerSignals>();
        const string speculative = "2611.20001";

        var ask = await h.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", "how does speculative decoding speed up inference?")]);
        await ask.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => signals.Window(BotHarness.GuildId).TryGetValue(speculative, out var w) && w.Counts.Asks == 1, "/ask counted");

        await h.Discord.Gateway.SendUserMessageAsync(BotHarness.ChannelId, $"<@{h.Discord.Options.BotUserId}> what does speculative decoding verify?", Member(1));
        await Eventually.TrueAsync(() => signals.Window(BotHarness.GuildId)[speculative].Counts.Asks == 2, "the chat question counted");

        // in a DM: answered, not counted for any server
        await h.Discord.Gateway.SendUserMessageAsync(830000000000000011, "speculative decoding?", Member(2), guildId: 0);
        await Eventually.TrueAsync(() => ChatEndToEndTests.MessagesIn(h, 830000000000000011).Count > 0, "the DM answer");
        Assert.Equal(2, signals.Window(BotHarness.GuildId)[speculative].Counts.Asks);
    }

    private static async Task<(List<string> Ids, string Title, string Description, string Content)> TrendingAsync(BotHarness h, params FakeOption[] options)
    {
        var i = await h.Discord.Interactions.SlashCommandAsync("trending", options);
        var cb = await i.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        var embed = cb.Data!["embeds"]![0]!;
        var description = embed["description"]!.GetValue<string>();
        var ids = description.Split("\n\n").Select(item => Regex.Match(item, "`([^`]+)`").Groups[1].Value).ToList();
        return (ids, embed["title"]!.GetValue<string>(), description, cb.Data!["content"]?.GetValue<string>() ?? "");
    }

    private static List<string> PaperIds(JsonObject digest) =>
        digest["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).Select(b => b!["custom_id"]!.GetValue<string>()["sum|".Length..]).ToList();

    private static List<JsonObject> Digests(BotHarness h) => ChatEndToEndTests.MessagesIn(h, DigestChannel);

    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what, TimeSpan? step = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("timed out waiting for: " + what);
            }

            time.Advance(step ?? TimeSpan.FromMilliseconds(300));
            await Task.Delay(20);
        }
    }
}
