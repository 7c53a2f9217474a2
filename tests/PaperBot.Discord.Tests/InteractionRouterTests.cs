using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

public sealed class Seen
{
    public ConcurrentQueue<string> Calls { get; } = new();
}

public sealed class PaperCommand(Seen seen) : ISlashCommandHandler
{
    public string CommandName => "paper";

    public async Task HandleAsync(InteractionContext ctx)
    {
        seen.Calls.Enqueue($"{ctx.Interaction.CommandPath()}|{ctx.Interaction.GetOption("query")?.GetString()}|{ctx.Interaction.GetOption("limit")?.GetInt64()}|{ctx.User?.Username}");
        await ctx.DeferAsync();
        await ctx.EditResponseAsync(new MessageBuilder("results for " + ctx.Interaction.GetOption("query")?.GetString())
            .AddActionRow(r => r.AddButton("paper:more:2", "More"))
            .Build());
    }
}

public sealed class PaperAutocomplete(Seen seen) : IAutocompleteHandler
{
    public string CommandName => "paper";

    public Task HandleAsync(InteractionContext ctx)
    {
        var typed = ctx.Interaction.FocusedOption()?.GetString() ?? "";
        seen.Calls.Enqueue("autocomplete|" + typed);
        return ctx.AutocompleteAsync([ApplicationCommandOptionChoice.String(typed + " transformers", typed + "-t")]);
    }
}

public sealed class MoreButton(Seen seen) : IComponentHandler
{
    public string CustomIdPrefix => "paper:more";

    public Task HandleAsync(InteractionContext ctx)
    {
        seen.Calls.Enqueue("more|" + ctx.CustomIdArgs);
        return ctx.UpdateMessageAsync(MessageBuilder.Text("page " + ctx.CustomIdArgs));
    }
}

public sealed class GenericPaperButton(Seen seen) : IComponentHandler
{
    public string CustomIdPrefix => "paper";

    public Task HandleAsync(InteractionContext ctx)
    {
        seen.Calls.Enqueue("generic|" + ctx.CustomIdArgs);
        return ctx.DeferUpdateAsync();
    }
}

public sealed class AskModal(Seen seen) : IModalHandler
{
    public string CustomIdPrefix => "ask";

    public Task HandleAsync(InteractionContext ctx)
    {
        var q = ctx.Interaction.Data!.Components![0].Components![0].Value;
        seen.Calls.Enqueue("modal|" + ctx.CustomIdArgs + "|" + q);
        return ctx.RespondAsync("asked: " + q, ephemeral: true);
    }
}

public sealed class CrashingCommand : ISlashCommandHandler
{
    public string CommandName => "crash";

    public Task HandleAsync(InteractionContext ctx) => throw new InvalidOperationException("kaboom");
}

public sealed class CrashAfterDeferCommand : ISlashCommandHandler
{
    public string CommandName => "slowcrash";

    public async Task HandleAsync(InteractionContext ctx)
    {
        await ctx.DeferAsync();
        throw new InvalidOperationException("kaboom later");
    }
}

public class InteractionRouterTests
{
    private static Task<Harness> StartAsync() => Harness.StartAsync(services: s =>
    {
        s.AddSingleton<Seen>();
        s.AddSlashCommandHandler<PaperCommand>();
        s.AddSlashCommandHandler<CrashingCommand>();
        s.AddSlashCommandHandler<CrashAfterDeferCommand>();
        s.AddAutocompleteHandler<PaperAutocomplete>();
        s.AddComponentHandler<MoreButton>();
        s.AddComponentHandler<GenericPaperButton>();
        s.AddModalHandler<AskModal>();
    });

    [Fact]
    public async Task Routes_commands_autocomplete_components_and_modals()
    {
        await using var h = await StartAsync();
        h.StartGateway();
        await h.WaitForReadyAsync();
        var seen = h.Services.GetRequiredService<Seen>();

        var cmd = await h.Fake.Interactions.SlashCommandAsync("paper", [FakeOption.SubCommand("search", FakeOption.String("query", "rag"), FakeOption.Integer("limit", 3))]);
        Assert.Equal(5, (await cmd.WaitForCallbackAsync()).Type);
        await GatewayBasicsTests.WaitFor(() => cmd.OriginalMessage?["content"]?.GetValue<string>() == "results for rag");
        Assert.Contains("paper search|rag|3|alice", seen.Calls);

        var ac = await h.Fake.Interactions.AutocompleteAsync("paper", "query", "vision");
        var acb = await ac.WaitForCallbackAsync();
        Assert.Equal(8, acb.Type);
        Assert.Equal("vision-t", acb.Data!["choices"]![0]!["value"]!.GetValue<string>());

        var more = await h.Fake.Interactions.ClickButtonAsync("paper:more:2", messageId: ulong.Parse(cmd.OriginalMessage!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var mcb = await more.WaitForCallbackAsync();
        Assert.Equal(7, mcb.Type);
        Assert.Equal("page 2", mcb.Data!["content"]!.GetValue<string>());
        Assert.Contains("more|2", seen.Calls);

        var generic = await h.Fake.Interactions.ClickButtonAsync("paper:vote:up");
        Assert.Equal(6, (await generic.WaitForCallbackAsync()).Type);
        Assert.Contains("generic|vote:up", seen.Calls);

        var modal = await h.Fake.Interactions.SubmitModalAsync("ask:42", new Dictionary<string, string> { ["q"] = "what is RAG?" });
        var modalCb = await modal.WaitForCallbackAsync();
        Assert.Equal(4, modalCb.Type);
        Assert.Equal(64, modalCb.Data!["flags"]!.GetValue<int>());
        Assert.Contains("modal|42|what is RAG?", seen.Calls);
        Assert.Equal(0, h.Fake.Rest.SendsWithoutAllowedMentions);
    }

    [Fact]
    public async Task Unknown_and_failing_handlers_answer_ephemerally_and_the_gateway_keeps_running()
    {
        await using var h = await StartAsync();
        h.StartGateway();
        await h.WaitForReadyAsync();

        var unknown = await h.Fake.Interactions.SlashCommandAsync("nope");
        var ucb = await unknown.WaitForCallbackAsync();
        Assert.Equal(4, ucb.Type);
        Assert.Equal(InteractionRouter.UnknownMessage, ucb.Data!["content"]!.GetValue<string>());
        Assert.Equal(64, ucb.Data!["flags"]!.GetValue<int>());

        var crash = await h.Fake.Interactions.SlashCommandAsync("crash");
        Assert.Equal(InteractionRouter.ErrorMessage, (await crash.WaitForCallbackAsync()).Data!["content"]!.GetValue<string>());
        Assert.Contains("kaboom", h.Logs.All);

        var slow = await h.Fake.Interactions.SlashCommandAsync("slowcrash");
        Assert.Equal(5, (await slow.WaitForCallbackAsync()).Type);
        await GatewayBasicsTests.WaitFor(() => !slow.Followups.IsEmpty);
        Assert.True(slow.Followups.TryPeek(out var follow));
        Assert.Equal(InteractionRouter.ErrorMessage, follow["content"]!.GetValue<string>());

        var unknownAc = await h.Fake.Interactions.AutocompleteAsync("nope", "q", "x");
        var acb = await unknownAc.WaitForCallbackAsync();
        Assert.Equal(8, acb.Type);
        Assert.Empty(acb.Data!["choices"]!.AsArray());

        // still alive
        var ok = await h.Fake.Interactions.SlashCommandAsync("paper", [FakeOption.String("query", "q")]);
        Assert.Equal(5, (await ok.WaitForCallbackAsync()).Type);
        Assert.False(h.GatewayTask!.IsCompleted);
    }

    [Fact]
    public async Task Member_permissions_and_dm_user_are_parsed()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<EventLog>().AddGatewayEventHandler<InteractionCreateEvent, RecordingHandler>());
        h.StartGateway();
        await h.WaitForReadyAsync();
        await h.Fake.Interactions.SlashCommandAsync("x", permissions: FakePermissions.Moderator);
        await h.Fake.Interactions.SlashCommandAsync("y", guildId: 0, user: new FakeUser(5, "bob"));
        var log = h.Services.GetRequiredService<EventLog>();
        await GatewayBasicsTests.WaitFor(() => log.Of<InteractionCreateEvent>().Count() == 2);
        var guild = log.Of<InteractionCreateEvent>().First();
        Assert.True(guild.Member!.PermissionSet.HasFlag(DiscordPermissions.ManageGuild));
        Assert.False(guild.Member.PermissionSet.HasFlag(DiscordPermissions.Administrator));
        var dm = log.Of<InteractionCreateEvent>().Last();
        Assert.Null(dm.Member);
        Assert.Null(dm.GuildId);
        Assert.Equal("bob", dm.Invoker!.Username);
    }
}
