using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Gateway;

/// <summary>
/// Delivers dispatches to typed handlers on one background reader, in the order they were received, so a slow or throwing
/// handler never blocks heartbeats or kills the receive loop. Each event gets its own DI scope.
/// </summary>
public sealed class GatewayDispatcher
{
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<GatewayDispatcher> _logger;
    private readonly System.Threading.Channels.Channel<(string Name, int? Seq, JsonElement Data)> _queue =
        System.Threading.Channels.Channel.CreateUnbounded<(string, int?, JsonElement)>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });

    public GatewayDispatcher(IServiceScopeFactory scopes, ILogger<GatewayDispatcher> logger)
    {
        _scopes = scopes;
        _logger = logger;
    }

    /// <summary>Events queued but not yet handled.</summary>
    public int Pending => _queue.Reader.Count;

    internal void Enqueue(string name, int? seq, JsonElement data) => _queue.Writer.TryWrite((name, seq, data));

    internal async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (name, seq, data) in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await DispatchAsync(name, seq, data, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Delivers one event to its handlers now (used by the queue reader; also handy in tests).</summary>
    public async Task DispatchAsync(string name, int? seq, JsonElement data, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (name)
        {
            case "READY":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.ReadyEvent, ct).ConfigureAwait(false);
                break;
            case "RESUMED":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.ResumedEvent, ct).ConfigureAwait(false);
                break;
            case "GUILD_CREATE":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.GuildCreateEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_CREATE":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessageCreateEvent, ct).ConfigureAwait(false);
                break;
            case "INTERACTION_CREATE":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.InteractionCreateEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_UPDATE":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessageUpdateEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_POLL_VOTE_ADD":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessagePollVoteAddEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_POLL_VOTE_REMOVE":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessagePollVoteRemoveEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_REACTION_ADD":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessageReactionAddEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_REACTION_REMOVE":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessageReactionRemoveEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_REACTION_REMOVE_ALL":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessageReactionRemoveAllEvent, ct).ConfigureAwait(false);
                break;
            case "MESSAGE_REACTION_REMOVE_EMOJI":
                await InvokeAsync(services, name, data, DiscordJsonContext.Default.MessageReactionRemoveEmojiEvent, ct).ConfigureAwait(false);
                break;
        }

        foreach (var raw in services.GetServices<IRawGatewayEventHandler>())
        {
            try
            {
                await raw.HandleAsync(name, seq, data, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _logger.LogError(ex, "Raw gateway handler {Handler} failed on {Event}", raw.GetType().Name, name);
            }
        }
    }

    private async Task InvokeAsync<T>(IServiceProvider services, string name, JsonElement data, JsonTypeInfo<T> info, CancellationToken ct)
    {
        var handlers = services.GetServices<IGatewayEventHandler<T>>().ToList();
        if (handlers.Count == 0)
        {
            return;
        }

        T evt;
        LenientSnowflakeListConverter.TakeSkipped();
        try
        {
            evt = data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                ? JsonSerializer.Deserialize("{}"u8, info)!
                : data.Deserialize(info)!;
        }
        catch (JsonException ex)
        {
            _logger.LogError("Could not parse {Event} payload at {Path}: {Message}", name, ex.Path, ex.Message);
            return;
        }

        if (LenientSnowflakeListConverter.TakeSkipped() is > 0 and var skipped)
        {
            _logger.LogWarning("{Event}: skipped {Count} entries of member.roles that were not role ids", name, skipped);
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler.HandleAsync(evt, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _logger.LogError(ex, "Gateway handler {Handler} failed on {Event}; the gateway keeps running", handler.GetType().Name, name);
            }
        }
    }
}
