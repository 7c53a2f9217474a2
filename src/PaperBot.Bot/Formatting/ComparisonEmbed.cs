using PaperBot.AI;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Formatting;

/// <summary>
/// Renders a comparison (a Markdown table: aspects × papers) as side-by-side inline embed fields, one column per paper.
/// Discord does not render Markdown tables, so this is how a comparison stays readable.
/// </summary>
public static class ComparisonEmbed
{
    /// <summary>Parses the first Markdown table of <paramref name="markdown"/>: header cells and body rows (separator row skipped).</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)? ParseTable(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).ToList();
        var start = lines.FindIndex(l => l.StartsWith('|'));
        if (start < 0 || start + 1 >= lines.Count || !IsSeparator(lines[start + 1]))
        {
            return null;
        }

        var header = Cells(lines[start]);
        var rows = new List<IReadOnlyList<string>>();
        for (var i = start + 2; i < lines.Count && lines[i].StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            rows.Add(cells);
        }

        return header.Count >= 2 && rows.Count > 0 ? (header, rows) : null;
    }

    /// <summary>Messages for a comparison: an embed with one inline field per paper, plus references/notice as text.</summary>
    public static IReadOnlyList<MessageBuilder> Build(AssistantAnswer answer, string title)
    {
        var table = ParseTable(answer.Markdown);
        if (table is null)
        {
            return AnswerMessages.Build(answer, title);
        }

        var (header, rows) = table.Value;
        var columns = header.Count - 1;
        var embed = new EmbedBuilder().WithTitle(PaperText.Truncate(title, DiscordLimits.EmbedTitle)).WithColor(PaperEmbeds.Color);
        var budget = DiscordLimits.EmbedTotalCharacters - title.Length - 200;
        var perField = Math.Min(DiscordLimits.EmbedFieldValue, budget / Math.Max(1, columns) - DiscordLimits.EmbedFieldName / 4);
        for (var c = 1; c <= columns && c <= DiscordLimits.EmbedFields; c++)
        {
            var name = PaperText.Truncate(header[c].Length == 0 ? $"Paper {c}" : header[c], 60);
            var lines = rows.Select(r => $"**{PaperText.Truncate(r.Count > 0 ? r[0] : "", 40)}:** {(c < r.Count && r[c].Length > 0 ? r[c] : "not stated")}");
            embed.AddField(name, PaperText.Truncate(string.Join("\n", lines), Math.Max(50, perField)), inline: true);
        }

        var rest = AnswerMessages.ToMarkdown(answer with { Markdown = Outside(answer.Markdown) });
        var messages = new List<MessageBuilder> { new MessageBuilder().AddEmbed(embed) };
        if (!string.IsNullOrWhiteSpace(rest))
        {
            var parts = AnswerMessages.Split(rest);
            messages[0].WithContent(parts[0].Content);
            messages.AddRange(parts.Skip(1));
        }

        return messages;
    }

    private static string Outside(string markdown) =>
        string.Join('\n', markdown.Replace("\r\n", "\n").Split('\n').Where(l => !l.TrimStart().StartsWith('|'))).Trim();

    private static bool IsSeparator(string line) =>
        line.StartsWith('|') && line.Trim('|').Split('|').All(c => c.Trim().Length > 0 && c.Trim().All(ch => ch is '-' or ':'));

    private static List<string> Cells(string line)
    {
        var inner = line.Trim();
        if (inner.StartsWith('|'))
        {
            inner = inner[1..];
        }

        if (inner.EndsWith('|'))
        {
            inner = inner[..^1];
        }

        return inner.Split('|').Select(c => PaperText.OneLine(c.Replace("<br>", " ", StringComparison.OrdinalIgnoreCase))).ToList();
    }
}
