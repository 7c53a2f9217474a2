using PaperBot.Bot.Commands;
using PaperBot.Bot.Interactions;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Handlers;

/// <summary>READY: registers the slash commands (bulk overwrite) once per process, off the gateway loop.</summary>
public sealed class ReadyHandler(CommandRegistrar registrar, BotWork work) : IGatewayEventHandler<ReadyEvent>
{
    public ValueTask HandleAsync(ReadyEvent gatewayEvent, CancellationToken cancellationToken)
    {
        if (registrar.TryBegin())
        {
            work.Run("command registration", registrar.RegisterAsync);
        }

        return ValueTask.CompletedTask;
    }
}
