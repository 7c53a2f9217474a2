using PaperBot.Discord.Builders;

namespace PaperBot.Bot.Commands;

/// <summary>What a command answers: the first message answers the interaction (or edits @original), the rest are follow-ups.</summary>
public sealed record CommandReply(IReadOnlyList<MessageBuilder> Messages)
{
    public static CommandReply Of(MessageBuilder message) => new([message]);

    public static CommandReply Ephemeral(string text) => Of(new MessageBuilder(text).AsEphemeral());
}

/// <summary>A failure to show the user as is (short, no stack trace), as an ephemeral message.</summary>
public sealed class CommandException(string userMessage) : Exception(userMessage);
