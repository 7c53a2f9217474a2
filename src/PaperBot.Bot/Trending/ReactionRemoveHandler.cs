using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Trending;

/// <summary>MESSAGE_REACTION_REMOVE: cancels a counted reaction (the bot's own removals are ignored).</summary>
public sealed class ReactionRemoveHandler(ServerSignals signals, GatewayClient gateway) : IGatewayEventHandler<MessageReactionRemoveEvent>
{
    public ValueTask HandleAsync(MessageReactionRemoveEvent e, CancellationToken cancellationToken)
    {
        if (e.GuildId is not null && e.UserId != (gateway.CurrentUser?.Id ?? 0))
        {
            signals.ReactionRemoved(e.MessageId, e.Emoji.Key);
        }

        return ValueTask.CompletedTask;
    }
}
