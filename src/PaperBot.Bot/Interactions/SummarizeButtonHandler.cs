using PaperBot.AI;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;

namespace PaperBot.Bot.Interactions;

/// <summary>The digest's "Summarize n" buttons (custom_id "sum|paperId"): a TL;DR only the clicker sees.</summary>
public sealed class SummarizeButtonHandler(IPaperStore store, IPaperAssistant assistant, IPaperSignals signals) : IButtonHandler
{
    public const string IdPrefix = "sum|";

    public string Prefix => IdPrefix;

    public ComponentResponse Response => ComponentResponse.DeferredEphemeral;

    public bool Costly => true;

    public static string CustomIdFor(string paperId) => IdPrefix + paperId;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, string customId, CancellationToken cancellationToken)
    {
        var paper = PaperCommand.Require(store, customId[IdPrefix.Length..]);
        signals.Summarized(context.GuildId, paper.Id);
        var answer = await assistant.SummarizeAsync([paper.Id], SummaryStyle.Tldr, new RequestContext(context.UserKey, context.GuildKey), cancellationToken);
        return new CommandReply(AnswerMessages.Build(answer, "TL;DR: " + PaperText.Truncate(PaperText.OneLine(paper.Title), 200)));
    }
}
