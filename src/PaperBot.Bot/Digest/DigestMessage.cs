using System.Globalization;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Interactions;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Digest;

/// <summary>The digest post: one line per paper (title, upvotes, TL;DR) and a Summarize button per paper.</summary>
public static class DigestMessage
{
    public const string FetchFailedNotice = "⚠️ I couldn't fetch today's papers from Hugging Face, so this digest is built from papers already in my database.";

    public static MessageBuilder Build(DateOnly date, IReadOnlyList<Paper> papers, IReadOnlyList<string> lines, bool fromDatabase, bool catchUp, string? scheduledTime, string? notice)
    {
        var entries = new List<string>();
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i];
            var title = PaperText.Truncate(PaperText.OneLine(p.Title), 150);
            var url = PaperText.MainUrl(p);
            var head = url is null ? $"**{i + 1}. {title}**" : $"**{i + 1}. [{title}]({url})**";
            var votes = p.Upvotes is { } u ? $" · ▲ {u.ToString(CultureInfo.InvariantCulture)}" : "";
            var line = i < lines.Count ? PaperText.Truncate(PaperText.OneLine(lines[i]), 300) : "";
            entries.Add($"{head}{votes}\n{line}".TrimEnd());
        }

        var notes = new List<string>();
        if (fromDatabase)
        {
            notes.Add(FetchFailedNotice);
        }

        if (catchUp)
        {
            notes.Add($"(Posted late: I was offline at {scheduledTime}.)");
        }

        if (!string.IsNullOrWhiteSpace(notice))
        {
            notes.Add(PaperText.Truncate(PaperText.OneLine(notice), 300));
        }

        var message = new MessageBuilder();
        if (notes.Count > 0)
        {
            message.WithContent(string.Join("\n", notes));
        }

        var dateText = date.ToString("dddd, yyyy-MM-dd", CultureInfo.InvariantCulture);
        var embed = new EmbedBuilder()
            .WithTitle($"📈 Trending papers — {dateText}")
            .WithColor(PaperEmbeds.Color)
            .WithDescription(entries.Count == 0
                ? "No papers matched this server's topics today."
                : PaperText.Truncate(string.Join("\n\n", entries), DiscordLimits.EmbedDescription))
            .WithFooter(papers.Count == 0
                ? "/settings changes time, channel and topics"
                : $"Click a button for a TL;DR only you can see · react with a paper's number (1️⃣–{NumberEmojiText(papers.Count)}) to vote it up in this server's /trending · /settings changes time, channel and topics");
        message.AddEmbed(embed);

        for (var row = 0; row * DiscordLimits.ComponentsPerActionRow < papers.Count && row < 2; row++)
        {
            var r = new ActionRowBuilder();
            foreach (var (p, i) in papers.Select((p, i) => (p, i)).Skip(row * DiscordLimits.ComponentsPerActionRow).Take(DiscordLimits.ComponentsPerActionRow))
            {
                var id = SummarizeButtonHandler.CustomIdFor(p.Id);
                if (id.Length <= DiscordLimits.CustomId)
                {
                    r.AddButton(id, $"Summarize {i + 1}", ButtonStyle.Secondary);
                }
            }

            if (r.Components.Count > 0)
            {
                message.AddActionRow(r);
            }
        }

        return message;
    }

    private static string NumberEmojiText(int count) => Trending.ServerSignals.NumberEmoji[Math.Clamp(count, 1, Trending.ServerSignals.NumberEmoji.Count) - 1];
}
