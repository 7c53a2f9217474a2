using PaperBot.AI;
using PaperBot.Bot.Formatting;
using PaperBot.Core.Papers;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/compare ids: 2–5 papers side by side (one inline embed field per paper). Deferred: it may call the LLM.</summary>
public sealed class CompareCommand(IPaperStore store, IPaperAssistant assistant, PaperSuggestions suggestions) : IAutocompleteCommand
{
    public ApplicationCommand Definition { get; } = Command("compare", "Compare 2–5 papers side by side",
        String("ids", "2–5 paper ids separated by commas — start typing a title", required: true, autocomplete: true, maxLength: 100));

    public ResponseMode Mode => ResponseMode.Deferred;

    public bool Costly => true;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var ids = PaperIdList.Parse(context.RequireString("ids"));
        if (ids.Count is < 2 or > 5)
        {
            throw new CommandException($"Give 2 to 5 paper ids separated by commas (got {ids.Count}).");
        }

        var papers = ids.Select(id => PaperCommand.Require(store, id)).ToList();
        var answer = await assistant.CompareAsync(papers.Select(p => p.Id).ToList(), null, new RequestContext(context.UserKey, context.GuildKey), cancellationToken);
        return new CommandReply(ComparisonEmbed.Build(answer, $"Comparison of {papers.Count} papers"));
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken) =>
        Task.FromResult(suggestions.Suggest(focused.GetString(), multiple: true));
}
