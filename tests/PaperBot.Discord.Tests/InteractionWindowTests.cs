using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

/// <summary>Keeps the InteractionContext of each interaction so the test can answer it when it wants.</summary>
public sealed class Captured
{
    public System.Collections.Concurrent.ConcurrentQueue<InteractionContext> Contexts { get; } = new();
}

public sealed class CaptureCommand(Captured captured) : ISlashCommandHandler
{
    public string CommandName => "later";

    public Task HandleAsync(InteractionContext context)
    {
        captured.Contexts.Enqueue(context);
        return Task.CompletedTask;
    }
}

public class InteractionWindowTests
{
    private static async Task<(Harness H, Captured C)> StartAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        var h = await Harness.StartAsync(time, services: s => s.AddSingleton<Captured>().AddSlashCommandHandler<CaptureCommand>());
        h.StartGateway();
        await h.WaitForReadyAsync();
        return (h, h.Services.GetRequiredService<Captured>());
    }

    private static async Task<InteractionContext> NextAsync(Captured c)
    {
        await GatewayBasicsTests.WaitFor(() => !c.Contexts.IsEmpty);
        c.Contexts.TryDequeue(out var ctx);
        return ctx!;
    }

    [Fact]
    public async Task Work_that_finishes_after_15_minutes_is_posted_in_the_channel_mentioning_only_the_user()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        var i = await h.Fake.Interactions.SlashCommandAsync("later");
        var ctx = await NextAsync(captured);
        await ctx.DeferAsync();
        Assert.Equal(5, (await i.WaitForCallbackAsync()).Type);
        Assert.True(ctx.IsTokenAlive);

        time.Advance(TimeSpan.FromMinutes(15));
        Assert.False(ctx.IsTokenAlive);
        await Assert.ThrowsAsync<InteractionExpiredException>(() => ctx.EditResponseAsync(MessageBuilder.Text("too late")));
        var shown = await ctx.FinishAsync(new MessageBuilder("the answer").Build());

        Assert.NotNull(shown);
        Assert.Empty(h.Fake.Rest.RequestsTo("webhooks.original.edit")); // never sent with a dead token
        var posted = h.Fake.Rest.CreatedMessages.ToList();
        Assert.Equal(2, posted.Count);
        Assert.Contains($"<@{FakeUser.Default.Id}>", posted[0]["content"]!.GetValue<string>());
        var notice = h.Fake.Rest.RequestsTo("messages.create").First().Json!;
        Assert.Equal($"[\"{FakeUser.Default.Id}\"]", notice["allowed_mentions"]!["users"]!.ToJsonString());
        Assert.Equal("the answer", posted[1]["content"]!.GetValue<string>());
        Assert.Equal(h.Fake.Interactions.DefaultChannelId.ToString(System.Globalization.CultureInfo.InvariantCulture), posted[1]["channel_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_ephemeral_answer_that_is_too_late_is_not_shown_publicly()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        await h.Fake.Interactions.SlashCommandAsync("later");
        var ctx = await NextAsync(captured);
        await ctx.DeferAsync(ephemeral: true);
        time.Advance(TimeSpan.FromMinutes(16));
        await ctx.FinishAsync(new MessageBuilder("secret").AsEphemeral().Build());
        var posted = Assert.Single(h.Fake.Rest.CreatedMessages);
        Assert.Contains("run it again", posted["content"]!.GetValue<string>());
        Assert.DoesNotContain(h.Fake.Rest.CreatedMessages, m => m["content"]!.GetValue<string>() == "secret");
    }

    [Fact]
    public async Task A_callback_after_3_s_gets_10062_and_the_reply_goes_to_the_channel()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        var i = await h.Fake.Interactions.SlashCommandAsync("later");
        var ctx = await NextAsync(captured);
        time.Advance(TimeSpan.FromSeconds(4));
        await ctx.RespondAsync("slow reply");
        Assert.True(ctx.ResponseMissed);
        Assert.Equal((4, 10062), Assert.Single(i.RejectedCallbacks));
        Assert.False(i.Callback.IsCompleted);
        Assert.Contains(h.Fake.Rest.CreatedMessages, m => m["content"]!.GetValue<string>() == "slow reply");
        Assert.Contains("answered too late", h.Logs.All);
    }

    [Fact]
    public async Task A_second_callback_gets_40060_which_the_client_treats_as_done_and_5xx_is_not_retried()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        var i = await h.Fake.Interactions.SlashCommandAsync("later");
        await NextAsync(captured);
        await h.Rest.DeferAsync(i.Id, i.Token);
        await h.Rest.DeferAsync(i.Id, i.Token); // the first answer "was lost": Discord says 40060, the client carries on
        Assert.Equal((5, 40060), Assert.Single(i.RejectedCallbacks));
        Assert.Contains("already acknowledged", h.Logs.All);

        var j = await h.Fake.Interactions.SlashCommandAsync("later");
        await NextAsync(captured);
        h.Fake.Rest.FailNext("interactions.callback", 502);
        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.DeferAsync(j.Id, j.Token));
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Single(h.Fake.Rest.Requests, r => r.Route == "interactions.callback" && r.Path.Contains(j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_callback_type_that_does_not_fit_the_interaction_is_rejected()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        var i = await h.Fake.Interactions.SlashCommandAsync("later");
        await NextAsync(captured);
        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.RespondAutocompleteAsync(i.Id, i.Token, [ApplicationCommandOptionChoice.String("a", "a")]));
        Assert.Equal(DiscordErrorCodes.InvalidFormBody, ex.DiscordCode);
        Assert.Contains(ex.FieldErrors, f => f.StartsWith("type:", StringComparison.Ordinal));
        Assert.Single(h.Fake.Rest.TakeViolations()); // provoked on purpose
    }

    [Fact]
    public async Task Webhook_calls_with_a_15_minute_old_token_get_50027()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        var i = await h.Fake.Interactions.SlashCommandAsync("later");
        await NextAsync(captured);
        await h.Rest.DeferAsync(i.Id, i.Token);
        time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.EditOriginalResponseAsync(i.Token, MessageBuilder.Text("x")));
        Assert.Equal(DiscordErrorCodes.InvalidWebhookToken, ex.DiscordCode);
        Assert.True(ex.IsInteractionExpired);
        Assert.Equal(1, h.Fake.Rest.ExpiredTokenCalls);
    }

    [Fact]
    public async Task A_modal_with_label_components_is_accepted_by_the_spec()
    {
        var time = Harness.NewTime();
        var (h, captured) = await StartAsync(time);
        await using var _ = h;
        var i = await h.Fake.Interactions.SlashCommandAsync("later");
        var ctx = await NextAsync(captured);
        await ctx.ShowModalAsync(new ModalBuilder("ask:1", "Ask PaperBot").AddLabeledTextInput("q", "Question", "What do you want to know?", paragraph: true).Build());
        var cb = await i.WaitForCallbackAsync();
        Assert.Equal(9, cb.Type);
        var label = cb.Data!["components"]![0]!;
        Assert.Equal(18, label["type"]!.GetValue<int>());
        Assert.Equal(4, label["component"]!["type"]!.GetValue<int>());
        Assert.Empty(h.Fake.Rest.Violations);
    }

    [Fact]
    public async Task Member_roles_as_objects_are_read_or_skipped_and_logged_and_labels_parse()
    {
        await using var h = await Harness.StartAsync(services: GatewayTestSetup.Recording);
        h.StartGateway();
        await h.WaitForReadyAsync();
        var msg = JsonNode.Parse("""{"id":"5","channel_id":"1","content":"roles","type":0,"author":{"id":"2","username":"u"},"guild_id":"3","member":{"roles":["11",{"id":"12","name":"Mods"},{"name":"broken"},7]}}""");
        await h.Fake.Gateway.DispatchAsync("MESSAGE_CREATE", msg);
        var log = h.Services.GetRequiredService<EventLog>();
        await GatewayBasicsTests.WaitFor(() => log.Of<MessageCreateEvent>().Any());
        Assert.Equal([11UL, 12UL, 7UL], log.Of<MessageCreateEvent>().Single().Member!.Roles);
        Assert.Contains("skipped 1 entries of member.roles", h.Logs.All);

        var submitted = System.Text.Json.JsonSerializer.Deserialize<List<Component>>("""[{"type":18,"label":"Q","component":{"type":4,"custom_id":"q","value":"why?"}},{"type":1,"components":[{"type":4,"custom_id":"r","value":"old style"}]}]""")!;
        var values = Component.TextInputValues(submitted);
        Assert.Equal("why?", values["q"]);
        Assert.Equal("old style", values["r"]);
    }
}
