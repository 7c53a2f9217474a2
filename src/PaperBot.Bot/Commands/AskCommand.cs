using System.Globalization;
using PaperBot.AI;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Trending;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/ask question: a grounded, cited answer. Deferred: it may call the LLM. Memory per user and channel.</summary>
public sealed class AskCommand(IPaperAssistant assistant, IPaperSignals signals) : ISlashCommand
{
    public ApplicationCommand Definition { get; } = Command("ask", "Ask a question about the papers",
        String("question", "Your question", required: true, maxLength: 1000));

    public ResponseMode Mode => ResponseMode.Deferred;

    public bool Costly => true;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var question = context.RequireString("question");
        var answer = await assistant.AskAsync(new AskRequest
        {
            ConversationKey = string.Create(CultureInfo.InvariantCulture, $"ask:{context.ChannelId}:{context.UserId}"),
            UserId = context.UserKey,
            GuildId = context.GuildKey,
            Question = question,
        }, cancellationToken);
        signals.Asked(context.GuildId, answer.Citations.Select(c => c.PaperId));
        return new CommandReply(AnswerMessages.BuildAny(answer, "Q: " + PaperText.Truncate(PaperText.OneLine(question), 200)));
    }
}
