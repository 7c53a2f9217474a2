using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Polls;

/// <summary>MESSAGE_POLL_VOTE_ADD (GUILD_MESSAGE_POLLS intent): the live count of a tracked poll goes up.</summary>
public sealed class PollVoteAddHandler(PaperPolls polls) : IGatewayEventHandler<MessagePollVoteAddEvent>
{
    public ValueTask HandleAsync(MessagePollVoteAddEvent e, CancellationToken cancellationToken)
    {
        polls.Voted(e.MessageId, e.AnswerId, +1);
        return ValueTask.CompletedTask;
    }
}
