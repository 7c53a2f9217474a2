using System.Text.Json;

namespace PaperBot.Discord.Gateway;

/// <summary>
/// A typed gateway event handler. TEvent is one of <see cref="Models.ReadyEvent"/>, <see cref="Models.ResumedEvent"/>,
/// <see cref="Models.GuildCreateEvent"/>, <see cref="Models.MessageCreateEvent"/>, <see cref="Models.InteractionCreateEvent"/>,
/// <see cref="Models.MessageReactionAddEvent"/>, <see cref="Models.MessageReactionRemoveEvent"/>,
/// <see cref="Models.MessageReactionRemoveAllEvent"/>, <see cref="Models.MessageReactionRemoveEmojiEvent"/> (the last four need
/// the GUILD_MESSAGE_REACTIONS intent in servers).
/// Register with <c>services.AddGatewayEventHandler&lt;TEvent, THandler&gt;()</c>. Handlers run one event at a time, in
/// sequence order; an exception is logged and never stops the gateway.
/// </summary>
public interface IGatewayEventHandler<in TEvent>
{
    ValueTask HandleAsync(TEvent gatewayEvent, CancellationToken cancellationToken);
}

/// <summary>Receives every dispatch (any event name) as raw JSON, after the typed handlers.</summary>
public interface IRawGatewayEventHandler
{
    ValueTask HandleAsync(string eventName, int? sequence, JsonElement data, CancellationToken cancellationToken);
}

public enum GatewayState
{
    Disconnected,
    Connecting,
    Identifying,
    Resuming,
    Ready,
    Stopped,
}
