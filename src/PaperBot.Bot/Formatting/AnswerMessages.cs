using System.Text;
using PaperBot.AI;
using PaperBot.Discord.Builders;

namespace PaperBot.Bot.Formatting;

/// <summary>Turns an assistant answer (Markdown + citations + notice) into valid Discord messages (split at ≤ 2000 chars).</summary>
public static class AnswerMessages
{
    public static string ToMarkdown(AssistantAnswer answer, string? heading = null)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(heading))
        {
            sb.Append("**").Append(heading).Append("**\n");
        }

        sb.Append(answer.Markdown.Trim());
        if (answer.Citations.Count > 0)
        {
            sb.Append("\n\n**References**");
            foreach (var c in answer.Citations.OrderBy(c => c.Number))
            {
                // <url> suppresses the link preview, so a long reference list does not flood the channel
                sb.Append('\n').Append('[').Append(c.Number).Append("] ")
                  .Append(PaperText.Truncate(PaperText.OneLine(c.Title), 150))
                  .Append(" — <").Append(c.Url).Append('>');
            }
        }

        if (!string.IsNullOrWhiteSpace(answer.Notice))
        {
            sb.Append("\n\n-# ").Append(PaperText.OneLine(answer.Notice));
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
