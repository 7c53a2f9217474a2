using PaperBot.Bot.Commands;
using PaperBot.Bot.Paging;

namespace PaperBot.Bot.Interactions;

/// <summary>/search Prev/Next buttons: the whole state is in the custom_id, so this works after a restart.</summary>
public sealed class SearchPagerHandler(SearchPageRenderer renderer) : IButtonHandler
{
    public string Prefix => SearchPageState.Prefix + "|";

    public ComponentResponse Response => ComponentResponse.UpdateMessage;

    public bool Costly => false;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, string customId, CancellationToken cancellationToken)
    {
        if (!SearchPageState.TryDecode(customId, out var state))
        {
            throw new CommandException("This button is from an older PaperBot version. Run `/search` again.");
        }

        return CommandReply.Of(await renderer.RenderAsync(state, cancellationToken));
    }
}
