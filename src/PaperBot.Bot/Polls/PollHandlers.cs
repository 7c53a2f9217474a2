using PaperBot.Bot.Interactions;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Polls;

/// <summary>MESSAGE_UPDATE: a tracked poll whose results are finalized is announced (off the gateway loop).</summary>
public sealed class PollResultsHandler(PaperPolls polls, BotWork work) : IGatewayEventHandler<MessageUpdateEvent>
{
    public ValueTask HandleAsync(MessageUpdateEvent e, CancellationToken cancellationToken)
    {
        if (e.Poll?.Results is { IsFinalized: true } results && polls.Get(e.Id) is { Announced: false })
        {
            work.Run("poll result", ct => polls.OnResultsAsync(e.Id, results, ct));
        }

        return ValueTask.CompletedTask;
    }
}
