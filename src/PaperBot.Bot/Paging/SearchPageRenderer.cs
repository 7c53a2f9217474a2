using Microsoft.Extensions.Options;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Options;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Syntax;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Paging;

/// <summary>
/// Renders one /search page (embed + Prev/Next buttons whose custom_ids carry the whole state). The search is the
/// product's hybrid search (BM25 + embeddings when vectors exist); a date or upvote sort orders only hits above the
/// relevance floor, and query syntax that is not understood is explained in one line.
/// </summary>
public sealed class SearchPageRenderer(ISearchService search, IOptions<BotOptions> options)
{
    /// <summary>Deepest page reachable with the buttons (keeps searches cheap).</summary>
    public const int MaxPage = 19;

    public async Task<MessageBuilder> RenderAsync(SearchPageState state, CancellationToken cancellationToken = default)
    {
        var size = options.Value.SearchPageSize;
        var page = Math.Clamp(state.Page, 0, MaxPage);
        var query = new SearchQuery(state.Query)
        {
            Top = (page + 1) * size + 1,
            From = state.From,
            To = state.To,
            MinUpvotes = state.MinUpvotes,
            Sort = state.Sort,
        };
        var hits = await search.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        var note = ParsedQuery.Parse(state.Query).Explanation;
        var pageHits = hits.Skip(page * size).Take(size).ToList();
        var hasMore = hits.Count > (page + 1) * size && page < MaxPage;
        var message = new MessageBuilder();
        if (pageHits.Count == 0)
        {
            message.WithContent(page == 0
                ? $"No papers match **{CommandText(state.Query)}**{Filters(state)}. Try other words or fewer filters."
                : $"No more results for **{CommandText(state.Query)}**.");
        }
        else
        {
            var first = page * size + 1;
            var embed = PaperEmbeds.List($"Search: {state.Query}", pageHits, first)
                .WithFooter($"Page {page + 1} · results {first}–{first + pageHits.Count - 1}{Filters(state)}");
            message.AddEmbed(embed);
        }

        if (note.Length > 0 && page == 0)
        {
            message.WithContent((message.Content is { Length: > 0 } c ? c + "\n" : "") + "-# " + CommandText(note));
        }

        message.ClearComponents = true;
        if (page > 0 || hasMore)
        {
            message.AddActionRow(row => row
                .AddButton((state with { Page = Math.Max(0, page - 1) }).Encode(), "◀ Prev", ButtonStyle.Secondary, disabled: page == 0)
                .AddButton((state with { Page = page + 1 }).Encode(), "Next ▶", ButtonStyle.Primary, disabled: !hasMore));
        }

        return message;
    }

    private static string CommandText(string q) => q.Replace("*", "\\*", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Filters(SearchPageState s)
    {
        var parts = new List<string>();
        if (s.From is { } f)
        {
            parts.Add($"from {f:yyyy-MM-dd}");
        }

        if (s.To is { } t)
        {
            parts.Add($"to {t:yyyy-MM-dd}");
        }

        if (s.MinUpvotes is { } m)
        {
            parts.Add($"≥ {m} upvotes");
        }

        if (s.Sort != SearchSort.Relevance)
        {
            parts.Add($"by {s.Sort.ToString().ToLowerInvariant()}");
        }

        return parts.Count == 0 ? "" : " (" + string.Join(", ", parts) + ")";
    }
}
