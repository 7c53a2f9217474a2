using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Trending;

/// <summary>
/// MESSAGE_REACTION_ADD (GUILD_MESSAGE_REACTIONS intent): a member's reaction on the bot's daily post (1️⃣ … 🔟 for the
/// numbered paper) or on a /paper message (any emoji) counts for that paper. The bot's own reactions (the seeded numbers)
/// and other bots' are ignored. Handled in order on the gateway loop: one small database write.
/// </summary>
public sealed class ReactionAddHandler(ServerSignals signals, GatewayClient gateway) : IGatewayEventHandler<MessageReactionAddEvent>
{
    public ValueTask HandleAsync(MessageReactionAddEvent e, CancellationToken cancellationToken)
    {
        var self = gateway.CurrentUser?.Id ?? 0;
        if (e.GuildId is not null && e.UserId != self && e.Member?.User?.Bot != true && (e.MessageAuthorId is null || e.MessageAuthorId == self))
        {
            signals.ReactionAdded(e.MessageId, e.Emoji.Key);
        }

        return ValueTask.CompletedTask;
    }
}
