using System.Text;

namespace PaperBot.AI.Offline;

/// <summary>
/// Escapes untrusted text (titles, abstract sentences, ids) for Discord-flavoured Markdown: nothing in it can bold,
/// strike, quote, spoiler, form a heading or list, or build a masked link, and "@everyone" cannot ping (allowed_mentions
/// already prevents that; the zero-width space also stops it from looking like one).
/// </summary>
public static class MarkdownText
{
    private const string Special = "\\*_~`|[]()<>#";

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 8);
        var lineStart = true;
        foreach (var c in text)
        {
            if (c is '\n' or '\r')
            {
                sb.Append(c);
                lineStart = true;
                continue;
            }

            if (Special.Contains(c) || (lineStart && c is '-' or '+' or '>'))
            {
                sb.Append('\\');
            }

            sb.Append(c);
            if (c == '@')
            {
                sb.Append('\u200B');
            }

            lineStart = lineStart && char.IsWhiteSpace(c);
        }

        return sb.ToString();
    }

    /// <summary>What a reader sees of escaped Markdown: backslash escapes and zero-width spaces removed.</summary>
    public static string Unescape(string markdown)
    {
        var sb = new StringBuilder(markdown.Length);
        for (var i = 0; i < markdown.Length; i++)
        {
            var c = markdown[i];
            if (c == '\\' && i + 1 < markdown.Length && (Special.Contains(markdown[i + 1]) || markdown[i + 1] is '-' or '+' or '>'))
            {
                sb.Append(markdown[++i]);
                continue;
            }

            if (c != '\u200B')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
