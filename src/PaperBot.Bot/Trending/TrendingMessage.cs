using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Formatting;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Trending;

/// <summary>The /trending embed: a numbered list with upvotes and, in server scope, the server's counts per paper.</summary>
public sealed class TrendingMessage(IOptions<TrendingOptions> options)
{
    public MessageBuilder Build(IReadOnlyList<RankedPaper> ranked, TrendingScope scope, string span, string? notice)
    {
        var o = options.Value;
        var serverActive = ranked.Any(r => r.ServerPoints > 0);
        var lines = new List<string>();
        for (var i = 0; i < ranked.Count; i++)
        {
            var r = ranked[i];
            var p = r.Paper;
            var name = PaperBot.AI.Offline.MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(p.Title), 180));
            var url = PaperText.MainUrl(p);
            var head = url is null ? $"**{i + 1}. {name}**" : $"**{i + 1}. [{name}]({url})**";
            var facts = PaperText.Facts(p);
            if (scope == TrendingScope.Server && Summary(r.Server) is { } counts)
            {
                facts += " · " + counts;
            }

            lines.Add($"{head}\n{facts}\n{PaperBot.AI.Offline.MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(p.Abstract), 200))}");
        }

        var title = scope == TrendingScope.Server ? $"Trending in this server: {span}" : $"Trending papers of {span}";
        var footer = scope == TrendingScope.Server
            ? string.Create(CultureInfo.InvariantCulture, $"Blend: {o.GlobalWeight:0.##} × HF upvotes + {o.ServerWeight:0.##} × this server's reactions, views, summaries and questions (last {o.LookBackDays} days, half-life {o.HalfLifeDays:0.#} d) · scope:global for upvotes only")
            : "Ranked by Hugging Face upvotes · scope:server blends in this server's activity";
        var notes = new List<string>();
        if (notice is not null)
        {
            notes.Add(notice);
        }

        if (scope == TrendingScope.Server && !serverActive)
        {
            notes.Add("No activity in this server yet, so this is the upvote order. React to the daily post (1️⃣ 2️⃣ …) or to a /paper message, or use /summarize and /ask, to shape it.");
        }

        var message = new MessageBuilder().AddEmbed(new EmbedBuilder()
            .WithTitle(PaperText.Truncate(title, DiscordLimits.EmbedTitle))
            .WithColor(PaperEmbeds.Color)
            .WithDescription(PaperText.Truncate(string.Join("\n\n", lines), DiscordLimits.EmbedDescription))
            .WithFooter(footer));
        if (notes.Count > 0)
        {
            message.WithContent(string.Join("\n", notes));
        }

        return message;
    }

    /// <summary>"5 reactions · 2 views · 1 summary · 3 questions", or null when the server has none for the paper.</summary>
    public static string? Summary(SignalCounts c)
    {
        var parts = new List<string>();
        Add(parts, c.Reactions, "reaction", "reactions");
        Add(parts, c.Views, "view", "views");
        Add(parts, c.Summaries, "summary", "summaries");
        Add(parts, c.Asks, "question", "questions");
        return parts.Count == 0 ? null : "💬 " + string.Join(" · ", parts);

        static void Add(List<string> parts, int n, string one, string many)
        {
            if (n > 0)
            {
                parts.Add(n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many));
            }
        }
    }
}
