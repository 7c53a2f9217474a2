using System.Text.Json.Nodes;
using PaperBot.Bot.Paging;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

public sealed class SearchEndToEndTests
{
    [Fact]
    public async Task Search_then_page_twice_with_buttons_even_after_a_restart()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        var bot = await h.StartBotAsync();

        // the commands were bulk-overwritten on the dev guild, with autocomplete flags
        var registered = h.Discord.Rest.GuildCommands[BotHarness.GuildId];
        var names = registered.Select(c => c!["name"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["ask", "cite", "compare", "help", "paper", "readinggroup", "related", "search", "settings", "subscribe", "summarize", "trending", "unsubscribe", "usage", "vote"], names);
        var paperId = registered.Single(c => c!["name"]!.GetValue<string>() == "paper")!["options"]![0]!;
        Assert.True(paperId["autocomplete"]!.GetValue<bool>());

        var search = await h.Discord.Interactions.SlashCommandAsync("search", [FakeOption.String("query", "diffusion")]);
        var first = await search.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, first.Type);
        var page1 = first.Data!.AsObject();
        AssertPage(page1, 1, 5);
        Assert.Equal("[]", page1["allowed_mentions"]!["parse"]!.ToJsonString());

        var next = Button(page1, "Next");
        var click = await h.Discord.Interactions.ClickButtonAsync(next);
        var second = await click.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(7, second.Type); // UPDATE_MESSAGE
        var page2 = second.Data!.AsObject();
        AssertPage(page2, 6, 5);
        Assert.DoesNotContain(Titles(page1)[0], string.Join("\n", Titles(page2)));

        // restart: a new host on the same database; the button on page 2 still works (state lives in custom_id)
        Assert.Equal(0, await bot.StopAsync());
        await using var bot2 = await h.StartBotAsync();
        var click2 = await h.Discord.Interactions.ClickButtonAsync(Button(page2, "Next"));
        var third = await click2.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(7, third.Type);
        var page3 = third.Data!.AsObject();
        AssertPage(page3, 11, 2);
        var buttons = Buttons(page3);
        Assert.True(buttons.Single(b => b["label"]!.GetValue<string>().Contains("Next"))["disabled"]!.GetValue<bool>());
        Assert.False(buttons.Single(b => b["label"]!.GetValue<string>().Contains("Prev"))["disabled"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task Bad_date_is_a_short_ephemeral_error()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();
        var search = await h.Discord.Interactions.SlashCommandAsync("search", [FakeOption.String("query", "diffusion"), FakeOption.String("from", "last week")]);
        var cb = await search.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, cb.Type);
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>() & 64);
        var text = cb.Data!["content"]!.GetValue<string>();
        Assert.Contains("`from` must be a date like", text);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(" at ", text);
    }

    internal static void AssertPage(JsonObject data, int firstNumber, int count)
    {
        var embed = data["embeds"]![0]!;
        var description = embed["description"]!.GetValue<string>();
        for (var n = firstNumber; n < firstNumber + count; n++)
        {
            Assert.Contains($"**{n}. [", description);
        }

        Assert.DoesNotContain($"**{firstNumber + count}. [", description);
        Assert.Contains($"Page {(firstNumber - 1) / 5 + 1}", embed["footer"]!["text"]!.GetValue<string>());
        foreach (var b in Buttons(data))
        {
            var id = b["custom_id"]!.GetValue<string>();
            Assert.True(id.Length <= 100);
            Assert.True(SearchPageState.TryDecode(id, out var state));
            Assert.Equal("diffusion", state.Query);
        }
    }

    internal static List<string> Titles(JsonObject data) =>
        data["embeds"]![0]!["description"]!.GetValue<string>().Split('\n').Where(l => l.StartsWith("**", StringComparison.Ordinal)).ToList();

    internal static List<JsonNode> Buttons(JsonObject data) =>
        data["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).Select(b => b!).ToList();

    internal static string Button(JsonObject data, string label) =>
        Buttons(data).Single(b => b["label"]!.GetValue<string>().Contains(label, StringComparison.Ordinal))["custom_id"]!.GetValue<string>();
}
