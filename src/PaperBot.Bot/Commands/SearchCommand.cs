using PaperBot.Bot.Paging;
using PaperBot.Core.Search;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>
/// /search query [from] [to] [min_upvotes] [sort]: hybrid search (query syntax: "phrase", -word, title:, author:,
/// prefix*), an embed, 5 per page, with stateless Prev/Next buttons.
/// </summary>
public sealed class SearchCommand(SearchPageRenderer renderer) : ISlashCommand
{
    public ApplicationCommand Definition { get; } = Command("search", "Search the paper database",
        String("query", "What to look for; also \"exact phrase\", -exclude, title:word, author:name, prefix*", required: true, maxLength: SearchPageState.MaxQueryLength),
        String("from", "Earliest date, YYYY-MM-DD", maxLength: 10),
        String("to", "Latest date, YYYY-MM-DD", maxLength: 10),
        Integer("min_upvotes", "Only papers with at least this many HF upvotes", 0, 1_000_000),
        String("sort", "Order of results").Choices("relevance", "date", "upvotes"));

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var from = context.GetDate("from");
        var to = context.GetDate("to");
        if (from < SearchPageState.Epoch)
        {
            from = null; // nothing older is indexed; keeps the state encodable
        }

        if (to < SearchPageState.Epoch)
        {
            throw new CommandException($"`to` must be {SearchPageState.Epoch:yyyy-MM-dd} or later.");
        }
        if (from > to)
        {
            throw new CommandException("`from` must not be after `to`.");
        }

        var sort = context.GetString("sort")?.ToLowerInvariant() switch
        {
            null or "relevance" => SearchSort.Relevance,
            "date" => SearchSort.Date,
            "upvotes" => SearchSort.Upvotes,
            var other => throw new CommandException($"Unknown sort `{CommandContext.Sanitize(other)}`: use relevance, date or upvotes."),
        };
        var query = SearchPageState.FitQuery(context.RequireString("query"));
        var state = new SearchPageState(query, 0, sort, from, to, context.GetInt("min_upvotes", 0, 1_000_000));
        return CommandReply.Of(await renderer.RenderAsync(state, cancellationToken));
    }
}
