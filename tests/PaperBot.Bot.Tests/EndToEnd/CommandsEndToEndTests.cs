using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Bot.Settings;
using PaperBot.Core.Persistence;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

public sealed class CommandsEndToEndTests
{
    private static FakeOption[] SettingsOptions(string time = "09:00", string zone = "Europe/Berlin") =>
    [
        FakeOption.SubCommand("trending-channel",
            new FakeOption("channel", 7, System.Text.Json.Nodes.JsonValue.Create("810000000000000005")),
            FakeOption.String("time", time),
            FakeOption.String("timezone", zone),
            FakeOption.Integer("top", 3),
            FakeOption.String("topics", "diffusion, robotics")),
    ];

    [Fact]
    public async Task Settings_by_a_non_admin_is_refused_and_by_a_manager_is_stored()
    {
        await using var h = await BotHarness.CreateAsync();
        await using var bot = await h.StartBotAsync();

        var refused = await h.Discord.Interactions.SlashCommandAsync("settings", SettingsOptions(), permissions: FakePermissions.Member);
        var cb = await refused.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, cb.Type);
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>());
        Assert.Contains("Manage Server", cb.Data!["content"]!.GetValue<string>());
        var store = bot.Services.GetRequiredService<IRecordStore<GuildSettings>>();
        Assert.Null(store.Get(BotHarness.GuildId.ToString(CultureInfo.InvariantCulture)));

        var accepted = await h.Discord.Interactions.SlashCommandAsync("settings", SettingsOptions(), permissions: FakePermissions.Moderator);
        var ok = await accepted.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("<#810000000000000005>", ok.Data!["content"]!.GetValue<string>());
        var saved = store.Get(BotHarness.GuildId.ToString(CultureInfo.InvariantCulture));
        Assert.NotNull(saved);
        Assert.Equal(810000000000000005UL, saved.ChannelId);
        Assert.Equal("Europe/Berlin", saved.TimeZone);
        Assert.Equal(["diffusion", "robotics"], saved.Topics);
        Assert.Equal(3, saved.Top);

        var badZone = await h.Discord.Interactions.SlashCommandAsync("settings", SettingsOptions(zone: "Mars/Base"), permissions: FakePermissions.Administrator);
        var bad = await badZone.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("not a time zone", bad.Data!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Paper_autocomplete_suggests_titles_and_paper_shows_links()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var ac = await h.Discord.Interactions.AutocompleteAsync("paper", "id", "specul");
        var choices = await ac.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(8, choices.Type);
        var first = choices.Data!["choices"]![0]!;
        Assert.Contains("Speculative Decoding", first["name"]!.GetValue<string>());
        Assert.Equal("2611.20001", first["value"]!.GetValue<string>());

        var multi = await h.Discord.Interactions.AutocompleteAsync("compare", "ids", "2611.20001, robot gras");
        var multiChoices = await multi.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("2611.20001, 2611.20002", multiChoices.Data!["choices"]![0]!["value"]!.GetValue<string>());

        var paper = await h.Discord.Interactions.SlashCommandAsync("paper", [FakeOption.String("id", "arXiv:2611.10000v2")]);
        var details = await paper.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        var embed = details.Data!["embeds"]![0]!;
        Assert.StartsWith("Diffusion Model Study 00", embed["title"]!.GetValue<string>());
        var links = embed["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "Links")!["value"]!.GetValue<string>();
        Assert.Contains("[arXiv](https://arxiv.org/abs/2611.10000)", links);
        Assert.Contains("[PDF](https://arxiv.org/pdf/2611.10000)", links);
        Assert.Contains("[HF](https://huggingface.co/papers/2611.10000)", links);
        Assert.Contains("[Code](https://github.com/example/diffusion-0)", links);

        var missing = await h.Discord.Interactions.SlashCommandAsync("paper", [FakeOption.String("id", "9999.99999")]);
        var err = await missing.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(64, err.Data!["flags"]!.GetValue<int>());
        Assert.Contains("No paper with id", err.Data!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Compare_is_deferred_then_edits_original_with_side_by_side_fields()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var compare = await h.Discord.Interactions.SlashCommandAsync("compare", [FakeOption.String("ids", "2611.20001, 2611.20002")]);
        var cb = await compare.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, cb.Type);
        await Eventually.TrueAsync(() => compare.OriginalMessage?["embeds"] is System.Text.Json.Nodes.JsonArray { Count: > 0 }, "@original edited");
        var fields = compare.OriginalMessage!["embeds"]![0]!["fields"]!.AsArray();
        Assert.Equal(2, fields.Count);
        Assert.All(fields, f => Assert.True(f!["inline"]!.GetValue<bool>()));

        var one = await h.Discord.Interactions.SlashCommandAsync("compare", [FakeOption.String("ids", "2611.20001")]);
        var oneCb = await one.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, oneCb.Type);
        await Eventually.TrueAsync(() => !one.Followups.IsEmpty, "ephemeral error follow-up");
        var note = one.Followups.Single();
        Assert.Equal(64, note["flags"]!.GetValue<int>());
        Assert.Contains("2 to 5", note["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Commands_are_registered_once_and_not_again_after_a_restart_when_unchanged()
    {
        await using var h = await BotHarness.CreateAsync();
        await using (var first = await h.StartBotAsync())
        {
            Assert.Equal(PaperBot.Discord.Commands.CommandRegistrationOutcome.Registered, await first.Services.GetRequiredService<PaperBot.Bot.Commands.CommandRegistrar>().Completed);
            var put = Assert.Single(h.Discord.Rest.RequestsTo("commands.guild"));
            Assert.Equal(200, put.Status);
            Assert.Equal(15, put.Json!.AsArray().Count);
        }

        await using var second = await h.StartBotAsync();
        Assert.Equal(PaperBot.Discord.Commands.CommandRegistrationOutcome.Unchanged, await second.Services.GetRequiredService<PaperBot.Bot.Commands.CommandRegistrar>().Completed);
        Assert.Single(h.Discord.Rest.RequestsTo("commands.guild")); // the stored hash matched: no second PUT
    }
}
