using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Tests;

public sealed class RecordingHandler(EventLog log) :
    IGatewayEventHandler<ReadyEvent>,
    IGatewayEventHandler<ResumedEvent>,
    IGatewayEventHandler<GuildCreateEvent>,
    IGatewayEventHandler<MessageCreateEvent>,
    IGatewayEventHandler<InteractionCreateEvent>,
    IGatewayEventHandler<MessageReactionAddEvent>,
    IGatewayEventHandler<MessageReactionRemoveEvent>,
    IGatewayEventHandler<MessageReactionRemoveAllEvent>,
    IGatewayEventHandler<MessageReactionRemoveEmojiEvent>
{
    public ValueTask HandleAsync(ReadyEvent e, CancellationToken ct) => Add("READY", e);

    public ValueTask HandleAsync(ResumedEvent e, CancellationToken ct) => Add("RESUMED", e);

    public ValueTask HandleAsync(GuildCreateEvent e, CancellationToken ct) => Add("GUILD_CREATE", e);

    public ValueTask HandleAsync(MessageCreateEvent e, CancellationToken ct) => Add("MESSAGE_CREATE", e);

    public ValueTask HandleAsync(InteractionCreateEvent e, CancellationToken ct) => Add("INTERACTION_CREATE", e);

    public ValueTask HandleAsync(MessageReactionAddEvent e, CancellationToken ct) => Add("MESSAGE_REACTION_ADD", e);

    public ValueTask HandleAsync(MessageReactionRemoveEvent e, CancellationToken ct) => Add("MESSAGE_REACTION_REMOVE", e);

    public ValueTask HandleAsync(MessageReactionRemoveAllEvent e, CancellationToken ct) => Add("MESSAGE_REACTION_REMOVE_ALL", e);

    public ValueTask HandleAsync(MessageReactionRemoveEmojiEvent e, CancellationToken ct) => Add("MESSAGE_REACTION_REMOVE_EMOJI", e);

    private ValueTask Add(string kind, object e)
    {
        log.Events.Enqueue((kind, e));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Throws on every message whose content starts with "boom".</summary>
public sealed class ThrowingHandler : IGatewayEventHandler<MessageCreateEvent>
{
    public ValueTask HandleAsync(MessageCreateEvent e, CancellationToken ct)
        => e.Content.StartsWith("boom", StringComparison.Ordinal) ? throw new InvalidOperationException("handler exploded") : ValueTask.CompletedTask;
}

public static class GatewayTestSetup
{
    public static void Recording(IServiceCollection s)
    {
        s.AddSingleton<EventLog>();
        s.AddGatewayEventHandler<ThrowingHandler, MessageCreateEvent>();
        s.AddGatewayEventHandler<ReadyEvent, RecordingHandler>();
        s.AddGatewayEventHandler<ResumedEvent, RecordingHandler>();
        s.AddGatewayEventHandler<GuildCreateEvent, RecordingHandler>();
        s.AddGatewayEventHandler<MessageCreateEvent, RecordingHandler>();
        s.AddGatewayEventHandler<InteractionCreateEvent, RecordingHandler>();
    }

    private static IServiceCollection AddGatewayEventHandler<THandler, TEvent>(this IServiceCollection s)
        where THandler : class, IGatewayEventHandler<TEvent>
        => s.AddGatewayEventHandler<TEvent, THandler>();
}

public class GatewayBasicsTests
{
    [Fact]
    public async Task Identify_ready_and_typed_dispatch_in_order()
    {
        await using var h = await Harness.StartAsync(
            config: c =>
            {
                c["Discord:ShardId"] = "0";
                c["Discord:ShardCount"] = "1";
            },
            services: GatewayTestSetup.Recording);
        h.StartGateway();
        await h.WaitForReadyAsync();

        var identify = h.Fake.Gateway.Received.Single(r => r.Op == 2).D!;
        Assert.Equal(h.Fake.Options.Token, identify["token"]!.GetValue<string>());
        Assert.Equal((1 << 0) | (1 << 9) | (1 << 10) | (1 << 12) | (1 << 15) | (1 << 24), identify["intents"]!.GetValue<int>()); // GUILDS, GUILD_MESSAGES, GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGES, MESSAGE_CONTENT, GUILD_MESSAGE_POLLS = 16815617
        Assert.Equal("[0,1]", identify["shard"]!.ToJsonString());
        Assert.Equal("linux", identify["properties"]!["os"]!.GetValue<string>());
        Assert.Equal("/gateway?v=10&encoding=json", h.Fake.Gateway.ConnectUrls.Single());

        await h.Fake.Gateway.SendUserMessageAsync(810000000000000001, "boom first");
        await h.Fake.Gateway.SendUserMessageAsync(810000000000000001, "hello papers");
        var interaction = await h.Fake.Interactions.ClickButtonAsync("unrouted:1");
        var log = h.Services.GetRequiredService<EventLog>();
        await WaitFor(() => log.Events.Any(e => e.Kind == "INTERACTION_CREATE"));

        Assert.Equal(["READY", "GUILD_CREATE", "MESSAGE_CREATE", "MESSAGE_CREATE", "INTERACTION_CREATE"], log.Events.Select(e => e.Kind));
        var ready = log.Of<ReadyEvent>().Single();
        Assert.Equal(h.Fake.Gateway.SessionId, ready.SessionId);
        Assert.Equal(h.Fake.ResumeGatewayUrl, ready.ResumeGatewayUrl);
        Assert.Equal(h.Fake.Options.BotUserId, ready.User.Id);
        Assert.Equal(h.Fake.Options.Guilds[0], log.Of<GuildCreateEvent>().Single().Id);
        var messages = log.Of<MessageCreateEvent>().ToList();
        Assert.Equal(["boom first", "hello papers"], messages.Select(m => m.Content));
        Assert.Equal(810000000000000001UL, messages[0].ChannelId);
        Assert.Equal("alice", messages[0].Author!.Username);
        var i = log.Of<InteractionCreateEvent>().Single();
        Assert.Equal(interaction.Id, i.Id);
        Assert.Equal("unrouted:1", i.Data!.CustomId);
        Assert.Equal(DiscordPermissions.SendMessages, i.Member!.PermissionSet & DiscordPermissions.SendMessages);

        Assert.Equal(h.Fake.Gateway.SessionId, h.Gateway.SessionId);
        Assert.Equal(h.Fake.ResumeGatewayUrl, h.Gateway.ResumeGatewayUrl);
        Assert.Equal(h.Fake.Gateway.Sequence, h.Gateway.Sequence);
        Assert.Contains("handler exploded", h.Logs.All);
        Assert.False(h.GatewayTask!.IsCompleted);
        Assert.DoesNotContain(h.Fake.Options.Token, h.Logs.All);

        // the router answered the unknown component with an ephemeral message instead of letting it fail
        var cb = await interaction.WaitForCallbackAsync();
        Assert.Equal(4, cb.Type);
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>());
    }

    internal static async Task WaitFor(Func<bool> condition, int seconds = 15)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds)
            {
                throw new TimeoutException("condition not met");
            }

            await Task.Delay(10);
        }
    }
}
