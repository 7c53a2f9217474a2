using PaperBot.Bot.Formatting;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/related id: papers similar to a stored one.</summary>
public sealed class RelatedCommand(IPaperStore store, ISearchService search, PaperSuggestions suggestions) : IAutocompleteCommand
{
    public ApplicationCommand Definition { get; } = Command("related", "Papers related to a paper", PaperId());

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var paper = PaperCommand.Require(store, context.RequireString("id"));
        var hits = search.Related(paper.Id, 5);
        var title = $"Related to: {PaperText.Truncate(PaperText.OneLine(paper.Title), 200)}";
        var message = hits.Count == 0
            ? new MessageBuilder($"I found no papers related to **{PaperText.Truncate(PaperText.OneLine(paper.Title), 200)}** yet.")
            : new MessageBuilder().AddEmbed(PaperEmbeds.List(title, hits));
        return Task.FromResult(CommandReply.Of(message));
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken) =>
        Task.FromResult(suggestions.Suggest(focused.GetString()));
}
