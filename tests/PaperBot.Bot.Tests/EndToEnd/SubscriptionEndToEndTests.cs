using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Papers;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

public sealed class SubscriptionEndToEndTests
{
    private static readonly FakeUser Dave = new(700000000000000004, "dave", "Dave");

    [Fact]
    public async Task Matching_new_papers_are_dmed_at_most_once_a_day()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        await using var h = await BotHarness.CreateAsync(time: time);
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var sub = await h.Discord.Interactions.SlashCommandAsync("subscribe", [FakeOption.String("keywords", "quantum error correction, Robot Grasping")], Dave);
        var cb = await sub.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>());
        Assert.Contains("`quantum error correction`", cb.Data!["content"]!.GetValue<string>());

        // papers already in the database before subscribing are not "new": nothing is sent
        time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(300);
        Assert.True(h.Discord.Rest.DmChannels.IsEmpty);

        var store = bot.Services.GetRequiredService<IPaperStore>();
        store.Upsert([Paper("2611.30001", "Quantum Error Correction with Neural Decoders"), Paper("2611.30002", "Unrelated Study of Soil")]);
        time.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => h.Discord.Rest.DmChannels.ContainsKey(Dave.Id), "DM channel opened");
        var dm = h.Discord.Rest.DmChannels[Dave.Id];
        await Eventually.TrueAsync(() => ChatEndToEndTests.MessagesIn(h, dm).Count == 1, "one DM");
        var text = ChatEndToEndTests.MessagesIn(h, dm)[0]["embeds"]![0]!["description"]!.GetValue<string>();
        Assert.Contains("Quantum Error Correction with Neural Decoders", text);
        Assert.DoesNotContain("Soil", text);

        // another match the same day waits for tomorrow (batched)
        store.Upsert([Paper("2611.30003", "Robot Grasping in Clutter")]);
        time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(300);
        Assert.Single(ChatEndToEndTests.MessagesIn(h, dm));
        time.Advance(TimeSpan.FromHours(14)); // next UTC day
        await Eventually.TrueAsync(() => ChatEndToEndTests.MessagesIn(h, dm).Count == 2, "next day's DM");
        var second = ChatEndToEndTests.MessagesIn(h, dm)[1]["embeds"]![0]!["description"]!.GetValue<string>();
        Assert.Contains("Robot Grasping in Clutter", second);
        Assert.DoesNotContain("Neural Decoders", second); // already sent

        var unsub = await h.Discord.Interactions.SlashCommandAsync("unsubscribe", user: Dave);
        Assert.Contains("Unsubscribed", (await unsub.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Data!["content"]!.GetValue<string>());
    }

    private static Paper Paper(string id, string title) => new()
    {
        Id = id,
        ArxivId = id,
        Title = title,
        Abstract = title + ". We report results.",
        Published = new DateOnly(2026, 11, 23),
        Upvotes = 5,
        Sources = ["test"],
    };
}
