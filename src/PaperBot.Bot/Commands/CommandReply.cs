using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Commands;

/// <summary>What a command answers: the first message answers the interaction (or edits @original), the rest are follow-ups.</summary>
public sealed record CommandReply(IReadOnlyList<MessageBuilder> Messages)
{
    /// <summary>Called with the first message once Discord has created it (e.g. to remember its id for reactions).</summary>
    public Action<Message>? Sent { get; init; }

    public static CommandReply Of(MessageBuilder message) => new([message]);

    public static CommandReply Ephemeral(string text) => Of(new MessageBuilder(text).AsEphemeral());
}

/// <summary>A failure to show the user as is (short, no stack trace), as an ephemeral message.</summary>
public sealed class CommandException(string userMessage) : Exception(userMessage);
