using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Formatting;

/// <summary>Embeds for papers: one paper in detail, or a numbered list.</summary>
public static class PaperEmbeds
{
    public const int Color = 0xFFD21E; // Hugging Face yellow

    public static EmbedBuilder Details(Paper p)
    {
        var e = new EmbedBuilder()
            .WithTitle(PaperText.Truncate(PaperText.OneLine(p.Title), DiscordLimits.EmbedTitle))
            .WithUrl(PaperText.MainUrl(p))
            .WithColor(Color)
            .WithDescription(PaperBot.AI.Offline.MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(p.Abstract), 1500)))
            .WithFooter($"id {p.Id}");
        e.AddField("Authors", PaperText.Authors(p, DiscordLimits.EmbedFieldValue));
        if (p.Published is { } pub)
        {
            e.AddField("Published", pub.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), inline: true);
        }

        if (p.FeaturedOn is { } f)
        {
            e.AddField("Featured on HF", f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), inline: true);
        }

        if (p.Upvotes is { } u)
        {
            e.AddField("Upvotes", $"▲ {u}", inline: true);
        }

        if (!string.IsNullOrWhiteSpace(p.Organization))
        {
            e.AddField("Organization", PaperText.Truncate(p.Organization, 200), inline: true);
        }

        if (p.Keywords.Count > 0)
        {
            e.AddField("Keywords", PaperText.Truncate(string.Join(", ", p.Keywords), 300));
        }

        e.AddField("Links", PaperText.Truncate(PaperText.Links(p), DiscordLimits.EmbedFieldValue));
        return e;
    }

    /// <summary>A numbered list: "**n. [title](url)**", facts, and a snippet or the abstract's start.</summary>
    public static EmbedBuilder List(string title, IEnumerable<SearchHit> hits, int firstNumber = 1, int snippetLength = 220)
    {
        var lines = new List<string>();
        var n = firstNumber;
        foreach (var hit in hits)
        {
            var p = hit.Paper;
            var name = PaperBot.AI.Offline.MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(p.Title), 180));
            var url = PaperText.MainUrl(p);
            var head = url is null ? $"**{n}. {name}**" : $"**{n}. [{name}]({url})**";
            var snippet = string.IsNullOrWhiteSpace(hit.Snippet)
                ? PaperBot.AI.Offline.MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(p.Abstract), snippetLength))
                : EscapeSnippet(PaperText.Truncate(PaperText.OneLine(hit.Snippet), snippetLength));
            lines.Add($"{head}\n{PaperText.Facts(p)}\n{snippet}");
            n++;
        }

        return new EmbedBuilder()
            .WithTitle(PaperText.Truncate(title, DiscordLimits.EmbedTitle))
            .WithColor(Color)
            .WithDescription(PaperText.Truncate(string.Join("\n\n", lines), DiscordLimits.EmbedDescription));
    }

    /// <summary>A search snippet is abstract text with the matched words in **bold**: escape the text, keep the bold.</summary>
    public static string EscapeSnippet(string snippet) =>
        string.Join("**", snippet.Split("**").Select(PaperBot.AI.Offline.MarkdownText.Escape));

    public static IEnumerable<SearchHit> AsHits(IEnumerable<Paper> papers) => papers.Select(p => new SearchHit(p, 0, ""));
}
