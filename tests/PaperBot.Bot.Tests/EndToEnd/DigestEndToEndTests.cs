using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Digest;
using PaperBot.Core.Persistence;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>The daily trending post with a FakeTimeProvider: real host, real LiteDB, fake Discord and fake HF API.</summary>
public sealed class DigestEndToEndTests
{
    internal const ulong DigestChannel = 810000000000000077;

    /// <summary>The daily post for the harness guild at 09:00 Europe/Berlin in <see cref="DigestChannel"/>, top 5.</summary>
    internal static BotHarness Configure(BotHarness h) => h
        .With("Digest:Enabled", "true")
        .With("Digest:GuildId", BotHarness.GuildId.ToString(CultureInfo.InvariantCulture))
        .With("Digest:ChannelId", DigestChannel.ToString(CultureInfo.InvariantCulture))
        .With("Digest:Time", "09:00")
        .With("Digest:TimeZone", "Europe/Berlin")
        .With("Digest:Top", "5");

    [Fact]
    public async Task Posted_once_at_nine_berlin_not_again_after_restart_and_caught_up_after_downtime()
    {
        // 2026-08-20 06:30 UTC = 08:30 CEST; the fake HF API has a fixture for 2026-08-20
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 20, 6, 30, 0, TimeSpan.Zero));
        await using var h = Configure(await BotHarness.CreateAsync(time: time));
        var bot = await h.StartBotAsync();

        await Task.Delay(300);
        Assert.Empty(Digests(h)); // not before 09:00
        time.Advance(TimeSpan.FromMinutes(29));
        await Task.Delay(300);
        Assert.Empty(Digests(h));
        time.Advance(TimeSpan.FromMinutes(1)); // 09:00 Europe/Berlin
        await Eventually.TrueAsync(() => Digests(h).Count == 1, "digest at 09:00");
        var digest = Digests(h)[0];
        var embed = digest["embeds"]![0]!;
        Assert.Contains("2026-08-20", embed["title"]!.GetValue<string>());
        var buttons = digest["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).ToList();
        Assert.Equal(5, buttons.Count);
        Assert.All(buttons, b => Assert.StartsWith("sum|", b!["custom_id"]!.GetValue<string>()));
        var upvotes = Upvotes(embed["description"]!.GetValue<string>());
        Assert.Equal(5, upvotes.Count);
        Assert.Equal(upvotes.OrderByDescending(u => u).ToList(), upvotes); // ranked by upvotes
        Assert.Contains(h.Hf.Requests, r => r.Query.Contains("date=2026-08-20", StringComparison.Ordinal));

        // the fetched papers were stored, and a Summarize button answers with an ephemeral TL;DR
        var click = await h.Discord.Interactions.ClickButtonAsync(buttons[0]!["custom_id"]!.GetValue<string>());
        var cb = await click.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, cb.Type);
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>());
        await Eventually.TrueAsync(() => click.OriginalMessage?["content"]?.GetValue<string>()?.Contains("TL;DR", StringComparison.Ordinal) == true, "TL;DR");

        time.Advance(TimeSpan.FromHours(2));
        await Task.Delay(300);
        Assert.Single(Digests(h));

        // restart the same day: a new host on the same database does not post again
        Assert.Equal(0, await bot.StopAsync());
        var bot2 = await h.StartBotAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(500);
        Assert.Single(Digests(h));
        var records = bot2.Services.GetRequiredService<IRecordStore<DigestRecord>>();
        Assert.Equal(DigestStatus.Posted, records.Get($"{BotHarness.GuildId}:2026-08-20")!.Status);
        Assert.Equal(0, await bot2.StopAsync());

        // down over the next day's 09:00; back at 12:00 Berlin → caught up once
        time.Advance(TimeSpan.FromHours(24));
        await using var bot3 = await h.StartBotAsync();
        await Eventually.TrueAsync(() => Digests(h).Count == 2, "catch-up digest");
        var catchUp = Digests(h)[1];
        Assert.Contains("2026-08-21", catchUp["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Contains("Posted late", catchUp["content"]!.GetValue<string>());
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        Assert.Equal(2, Digests(h).Count);
        var records3 = bot3.Services.GetRequiredService<IRecordStore<DigestRecord>>();
        await Eventually.TrueAsync(() => records3.Get($"{BotHarness.GuildId}:2026-08-21") is { Status: DigestStatus.Posted, CatchUp: true }, "catch-up slot marked posted");
    }

    [Fact]
    public async Task Fetch_failure_posts_from_the_database_and_says_so()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 7, 59, 0, TimeSpan.Zero)); // 08:59 CET
        await using var h = Configure(await BotHarness.CreateAsync(time: time));
        h.Seed(BotTestPapers.All);
        h.With("Digest:Top", "3");
        h.Hf.Enqueue(new PaperBot.Testing.FakeHf.FakeReply.Status(503), new PaperBot.Testing.FakeHf.FakeReply.Status(503));
        await using var bot = await h.StartBotAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => Digests(h).Count == 1, "digest from the database");
        var digest = Digests(h)[0];
        Assert.Contains("couldn't fetch", digest["content"]!.GetValue<string>());
        var description = digest["embeds"]![0]!["description"]!.GetValue<string>();
        Assert.Contains("Speculative Decoding", description); // 250 upvotes: top of the database
        Assert.Equal(3, Upvotes(description).Count);
        var records = bot.Services.GetRequiredService<IRecordStore<DigestRecord>>();
        await Eventually.TrueAsync(() => records.Get($"{BotHarness.GuildId}:2026-11-20") is { Status: DigestStatus.Posted, FromDatabase: true }, "slot marked posted from the database");
    }

    private static List<JsonObject> Digests(BotHarness h) => ChatEndToEndTests.MessagesIn(h, DigestChannel);

    private static List<int> Upvotes(string description) =>
        description.Split('\n').Where(l => l.Contains(" · ▲ ", StringComparison.Ordinal))
            .Select(l => int.Parse(l[(l.LastIndexOf('▲') + 2)..], CultureInfo.InvariantCulture)).ToList();
}
