using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Polls;

/// <summary>MESSAGE_POLL_VOTE_REMOVE: the live count of a tracked poll goes down.</summary>
public sealed class PollVoteRemoveHandler(PaperPolls polls) : IGatewayEventHandler<MessagePollVoteRemoveEvent>
{
    public ValueTask HandleAsync(MessagePollVoteRemoveEvent e, CancellationToken cancellationToken)
    {
        polls.Voted(e.MessageId, e.AnswerId, -1);
        return ValueTask.CompletedTask;
    }
}
