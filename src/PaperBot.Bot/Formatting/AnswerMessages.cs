using System.Text;
using PaperBot.AI;
using PaperBot.AI.Offline;
using PaperBot.Discord.Builders;

namespace PaperBot.Bot.Formatting;

/// <summary>
/// Turns an assistant answer (Markdown + citations + notice) into valid Discord messages (split at ≤ 2000 chars).
/// Titles and notices are Markdown-escaped (the answer text is escaped by the assistant), so nothing from a paper can
/// format, link or ping.
/// </summary>
public static class AnswerMessages
{
    public const string NothingFoundTip = "-# Try other keywords, `/search`, or `/trending` for what is new.";

    /// <summary>
    /// Any answer as messages: a comparison (an answer with a Markdown table, which Discord does not render) as an
    /// embed with fields per paper and aspect; a "nothing found" answer as its text alone (no references, a tip);
    /// otherwise the text with its references.
    /// </summary>
    public static IReadOnlyList<MessageBuilder> BuildAny(AssistantAnswer answer, string? heading = null)
    {
        if (answer.NothingFound)
        {
            var text = new StringBuilder();
            if (!string.IsNullOrWhiteSpace(heading))
            {
                text.Append("**").Append(MarkdownText.Escape(heading)).Append("**\n");
            }

            text.Append(answer.Markdown.Trim());
            if (!string.IsNullOrWhiteSpace(answer.Notice))
            {
                text.Append("\n\n-# ").Append(MarkdownText.Escape(PaperText.OneLine(answer.Notice)));
            }

            text.Append('\n').Append(NothingFoundTip);
            return Split(text.ToString());
        }

        return ComparisonEmbed.ParseTable(answer.Markdown) is not null
            ? ComparisonEmbed.Build(answer, heading is null ? $"Comparison of {answer.Citations.Count} papers" : PaperText.OneLine(heading))
            : Build(answer, heading);
    }

    public static string ToMarkdown(AssistantAnswer answer, string? heading = null)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(heading))
        {
            sb.Append("**").Append(MarkdownText.Escape(heading)).Append("**\n");
        }

        sb.Append(answer.Markdown.Trim());
        if (answer.Citations.Count > 0)
        {
            sb.Append("\n\n**References**");
            foreach (var c in answer.Citations.OrderBy(c => c.Number))
            {
                // <url> suppresses the link preview, so a long reference list does not flood the channel
                sb.Append('\n').Append('[').Append(c.Number).Append("] ")
                  .Append(MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(c.Title), 150)))
                  .Append(" — <").Append(c.Url).Append('>');
            }
        }

        if (!string.IsNullOrWhiteSpace(answer.Notice))
        {
            sb.Append("\n\n-# ").Append(MarkdownText.Escape(PaperText.OneLine(answer.Notice)));
        }

        return sb.ToString();
    }

    /// <summary>The answer as one or more messages, each within Discord's limits and with no pings.</summary>
    public static IReadOnlyList<MessageBuilder> Build(AssistantAnswer answer, string? heading = null) => Split(ToMarkdown(answer, heading));

    public static IReadOnlyList<MessageBuilder> Split(string markdown)
    {
        var parts = DiscordTextSplitter.Split(markdown);
        if (parts.Count == 0)
        {
            parts = ["(no answer)"];
        }

        return parts.Select(p => new MessageBuilder(p)).ToList();
    }
}
