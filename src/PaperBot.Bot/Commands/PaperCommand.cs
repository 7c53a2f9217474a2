using PaperBot.Bot.Formatting;
using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/paper id: details with arXiv/PDF/HF/code links; the id autocompletes titles.</summary>
public sealed class PaperCommand(IPaperStore store, PaperSuggestions suggestions, IPaperSignals signals) : IAutocompleteCommand
{
    public ApplicationCommand Definition { get; } = Command("paper", "Show a paper's details and links", PaperId());

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var paper = Require(store, context.RequireString("id"));
        signals.Viewed(context.GuildId, paper.Id);
        return Task.FromResult(CommandReply.Of(new MessageBuilder().AddEmbed(PaperEmbeds.Details(paper))) with
        {
            // reactions on this message count for the paper in this server's trending
            Sent = m => signals.RememberMessage(context.GuildId, m.ChannelId, m.Id, PaperMessageKind.Paper, [paper.Id]),
        });
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken) =>
        Task.FromResult(suggestions.Suggest(focused.GetString()));

    /// <summary>The stored paper for a user-typed id, or a friendly error.</summary>
    public static Paper Require(IPaperStore store, string id) =>
        store.Get(PaperIdList.Clean(id))
        ?? throw new CommandException($"No paper with id `{CommandContext.Sanitize(id)}` in the database. Try `/search`, or pick a suggestion while typing the id.");
}
