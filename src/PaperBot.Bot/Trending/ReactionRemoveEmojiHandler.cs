using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Trending;

/// <summary>MESSAGE_REACTION_REMOVE_EMOJI: all reactions with one emoji were removed; the counted ones are cancelled.</summary>
public sealed class ReactionRemoveEmojiHandler(ServerSignals signals) : IGatewayEventHandler<MessageReactionRemoveEmojiEvent>
{
    public ValueTask HandleAsync(MessageReactionRemoveEmojiEvent e, CancellationToken cancellationToken)
    {
        if (e.GuildId is not null)
        {
            signals.ReactionsCleared(e.MessageId, e.Emoji.Key);
        }

        return ValueTask.CompletedTask;
    }
}
