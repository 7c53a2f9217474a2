using PaperBot.Bot.Chat;
using PaperBot.Bot.Interactions;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Handlers;

/// <summary>MESSAGE_CREATE: questions in mentions, DMs and the bot's threads go to <see cref="ChatHandler"/> off the gateway loop.</summary>
public sealed class MessageCreateHandler(ChatHandler chat, BotWork work) : IGatewayEventHandler<MessageCreateEvent>
{
    public ValueTask HandleAsync(MessageCreateEvent gatewayEvent, CancellationToken cancellationToken)
    {
        if (chat.ShouldAnswer(gatewayEvent))
        {
            work.Run("chat message", ct => chat.HandleAsync(gatewayEvent, ct));
        }

        return ValueTask.CompletedTask;
    }
}
