using PaperBot.Bot.Formatting;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Commands;

/// <summary>
/// Autocomplete for paper ids: suggests matching titles as the user types (exact id first, then search hits, then
/// title-substring matches on small databases). For multi-id options the text after the last comma is completed (a title can contain spaces).
/// </summary>
public sealed class PaperSuggestions(IPaperStore store, ISearchService search, TimeProvider time)
{
    /// <summary>Databases up to this size also get a substring scan over titles (partial words).</summary>
    public const int TitleScanLimit = 20_000;

    public IReadOnlyList<ApplicationCommandOptionChoice> Suggest(string? typed, bool multiple = false)
    {
        typed ??= "";
        var prefix = "";
        if (multiple)
        {
            var cut = typed.LastIndexOf(',');
            if (cut >= 0)
            {
                var earlier = PaperIdList.Parse(typed[..cut]);
                prefix = earlier.Count == 0 ? "" : string.Join(", ", earlier) + ", ";
                typed = typed[(cut + 1)..];
            }
        }

        var papers = Find(typed.Trim(), 25);
        var choices = new List<ApplicationCommandOptionChoice>();
        foreach (var p in papers)
        {
            var value = prefix + p.Id;
            if (value.Length > DiscordLimits.ChoiceStringValue)
            {
                continue;
            }

            var name = PaperText.Truncate(PaperText.OneLine($"{p.Title} ({p.Id})"), DiscordLimits.ChoiceName);
            choices.Add(ApplicationCommandOptionChoice.String(name, value));
        }

        return choices;
    }

    private List<Paper> Find(string typed, int max)
    {
        var result = new List<Paper>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(Paper p)
        {
            if (result.Count < max && seen.Add(p.Id))
            {
                result.Add(p);
            }
        }

        if (typed.Length == 0)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            foreach (var p in store.Trending(today.AddDays(-30), today, max))
            {
                Add(p);
            }

            return result;
        }

        if (store.Get(PaperIdList.Clean(typed)) is { } exact)
        {
            Add(exact);
        }

        if (typed.Length >= 2)
        {
            try
            {
                foreach (var hit in search.Search(new SearchQuery(typed) { Top = max }))
                {
                    Add(hit.Paper);
                }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
            {
                // half-typed text is not always a valid query; the title scan below still helps
            }
        }

        if (result.Count < max && store.Count() <= TitleScanLimit)
        {
            foreach (var p in store.All())
            {
                if (p.Title.Contains(typed, StringComparison.OrdinalIgnoreCase) || p.Id.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                {
                    Add(p);
                    if (result.Count >= max)
                    {
                        break;
                    }
                }
            }
        }

        return result;
    }
}
