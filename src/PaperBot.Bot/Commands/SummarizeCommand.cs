using PaperBot.AI;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/summarize id [style]: a cited summary (tldr, eli5 or technical). Deferred: it may call the LLM.</summary>
public sealed class SummarizeCommand(IPaperStore store, IPaperAssistant assistant, PaperSuggestions suggestions, IPaperSignals signals) : IAutocompleteCommand
{
    public ApplicationCommand Definition { get; } = Command("summarize", "Summarize a paper",
        PaperId(),
        String("style", "tldr (default), eli5 or technical").Choices("tldr", "eli5", "technical"));

    public ResponseMode Mode => ResponseMode.Deferred;

    public bool Costly => true;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var paper = PaperCommand.Require(store, context.RequireString("id"));
        var style = ParseStyle(context.GetString("style"));
        signals.Summarized(context.GuildId, paper.Id);
        var answer = await assistant.SummarizeAsync([paper.Id], style, new RequestContext(context.UserKey, context.GuildKey), cancellationToken);
        return new CommandReply(AnswerMessages.Build(answer, $"{StyleName(style)}: {PaperText.Truncate(PaperText.OneLine(paper.Title), 200)}"));
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken) =>
        Task.FromResult(suggestions.Suggest(focused.GetString()));

    public static SummaryStyle ParseStyle(string? s) => s?.ToLowerInvariant() switch
    {
        null or "tldr" => SummaryStyle.Tldr,
        "eli5" => SummaryStyle.Eli5,
        "technical" => SummaryStyle.Technical,
        var other => throw new CommandException($"Unknown style `{CommandContext.Sanitize(other)}`: use tldr, eli5 or technical."),
    };

    public static string StyleName(SummaryStyle s) => s switch
    {
        SummaryStyle.Eli5 => "ELI5",
        SummaryStyle.Technical => "Technical summary",
        _ => "TL;DR",
    };
}
