using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Trending;

/// <summary>MESSAGE_REACTION_REMOVE_ALL: a moderator cleared a message's reactions; every counted one is cancelled.</summary>
public sealed class ReactionRemoveAllHandler(ServerSignals signals) : IGatewayEventHandler<MessageReactionRemoveAllEvent>
{
    public ValueTask HandleAsync(MessageReactionRemoveAllEvent e, CancellationToken cancellationToken)
    {
        if (e.GuildId is not null)
        {
            signals.ReactionsCleared(e.MessageId, null);
        }

        return ValueTask.CompletedTask;
    }
}
