using System.Text.RegularExpressions;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Builders;

/// <summary>
/// Splits long text into pieces that fit Discord's limits. Breaks at paragraph, then line, then sentence, then word
/// boundaries; never inside a word, a markdown link, a URL or inline code. A ``` code fence that has to be split is closed at
/// the end of one piece and reopened (with its language) at the start of the next, so every piece renders correctly.
/// </summary>
public static partial class DiscordTextSplitter
{
    private const string FenceClose = "\n```";

    /// <summary>Splits <paramref name="text"/> into pieces of at most <paramref name="maxLength"/> characters (default: message content limit).</summary>
    public static IReadOnlyList<string> Split(string text, int maxLength = DiscordLimits.MessageContent)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (maxLength < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), "maxLength must be at least 16.");
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text.Length == 0)
        {
            return [];
        }

        var fence = FenceMap(text);
        var forbidden = ProtectedSpans(text, fence);
        var pieces = new List<string>();
        var pos = 0;
        string prefix = "";
        while (pos < text.Length)
        {
            var budget = maxLength - prefix.Length;
            if (text.Length - pos <= budget)
            {
                var last = prefix + text[pos..].TrimEnd();
                if (last.Trim().Length > 0 && last != prefix)
                {
                    pieces.Add(last);
                }

                break;
            }

            var cut = FindCut(text, pos, budget, fence, forbidden);
            var inside = InsideFence(fence, cut);
            var body = text[pos..cut].TrimEnd();
            var piece = prefix + body + (inside ? FenceClose : "");
            if (body.Length > 0)
            {
                pieces.Add(piece);
            }

            pos = cut;
            if (inside)
            {
                prefix = FenceLine(text, fence[cut]) + "\n";
                if (pos < text.Length && text[pos] == '\n')
                {
                    pos++;
                }
            }
            else
            {
                prefix = "";
                while (pos < text.Length && char.IsWhiteSpace(text[pos]))
                {
                    pos++;
                }
            }
        }

        return pieces;
    }

    /// <summary>Splits long text into embeds (description up to <paramref name="maxDescription"/>) packed into as few messages as
    /// the 10-embed and 6000-character limits allow. <paramref name="title"/> goes on the first embed.</summary>
    public static IReadOnlyList<MessageBuilder> SplitToEmbedMessages(string text, string? title = null, int? color = null, int maxDescription = DiscordLimits.EmbedDescription)
    {
        EmbedBuilder.Check(title, DiscordLimits.EmbedTitle, "embed title");
        var budgetFirst = Math.Min(maxDescription, DiscordLimits.EmbedTotalCharacters - (title?.Length ?? 0));
        var parts = Split(text, Math.Min(budgetFirst, maxDescription));
        var messages = new List<MessageBuilder>();
        MessageBuilder? current = null;
        var currentTotal = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var embed = new EmbedBuilder { Description = parts[i], Title = i == 0 ? title : null, Color = color };
            if (current is null || current.Embeds.Count >= DiscordLimits.EmbedsPerMessage || currentTotal + embed.TotalLength > DiscordLimits.EmbedTotalCharacters)
            {
                current = new MessageBuilder();
                currentTotal = 0;
                messages.Add(current);
            }

            current.AddEmbed(embed);
            currentTotal += embed.TotalLength;
        }

        return messages;
    }

    private static int FindCut(string text, int pos, int budget, int[] fence, bool[] forbidden)
    {
        var maxEnd = Math.Min(text.Length, pos + budget);
        var minGood = pos + (budget / 3);

        bool Fits(int c) => c > pos && c - pos + (InsideFence(fence, c) ? FenceClose.Length : 0) <= budget && !forbidden[c];

        // priority 0: paragraph break; 1: line break; 2: sentence end; 3: any whitespace.
        for (var priority = 0; priority < 4; priority++)
        {
            for (var c = maxEnd; c > pos; c--)
            {
                if (priority < 3 && c < minGood)
                {
                    break;
                }

                if (IsCandidate(text, c, priority, fence) && Fits(c))
                {
                    return c;
                }
            }
        }

        // A single "word" longer than the budget: hard cut, but not inside a protected span or a surrogate pair if avoidable.
        var hard = maxEnd - (InsideFence(fence, maxEnd) ? FenceClose.Length : 0);
        var h = hard;
        while (h > pos + 1 && (forbidden[h] || char.IsLowSurrogate(text[h])))
        {
            h--;
        }

        if (h > pos + 1)
        {
            return h;
        }

        return char.IsLowSurrogate(text[hard]) ? hard - 1 : hard;
    }

    private static bool IsCandidate(string text, int c, int priority, int[] fence)
    {
        if (c >= text.Length)
        {
            return false;
        }

        var ch = text[c];
        var inFence = InsideFence(fence, c);
        switch (priority)
        {
            case 0:
                return !inFence && ch == '\n' && c + 1 < text.Length && text[c + 1] == '\n';
            case 1:
                return ch == '\n';
            case 2:
                return !inFence && (ch == ' ' || ch == '\n') && c > 0 && text[c - 1] is '.' or '!' or '?' or ':' or ';' or '。';
            default:
                return char.IsWhiteSpace(ch);
        }
    }

    /// <summary>fence[i] = start index of the opening ``` line of the code block that character i belongs to, or -1.</summary>
    private static int[] FenceMap(string text)
    {
        var map = new int[text.Length + 1];
        Array.Fill(map, -1);
        var open = -1;
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var isFence = text.AsSpan(lineStart, lineEnd - lineStart).TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (isFence && open < 0)
            {
                open = lineStart;
                Mark(map, lineStart, lineEnd, open);
            }
            else if (isFence)
            {
                Mark(map, lineStart, lineEnd, open);
                open = -1;
            }
            else if (open >= 0)
            {
                Mark(map, lineStart, lineEnd, open);
            }

            lineStart = lineEnd + 1;
        }

        return map;

        static void Mark(int[] map, int from, int to, int value)
        {
            // include the newline that ends the line so that a cut right after it counts as inside
            for (var i = from; i <= to && i < map.Length; i++)
            {
                map[i] = value;
            }
        }
    }

    private static bool InsideFence(int[] fence, int c)
        => c > 0 && c < fence.Length - 1 && fence[c] >= 0 && fence[c - 1] == fence[c] && !IsClosingLineEnd(fence, c);

    private static bool IsClosingLineEnd(int[] fence, int c) => c + 1 < fence.Length && fence[c + 1] != fence[c];

    private static string FenceLine(string text, int start)
    {
        var end = text.IndexOf('\n', start);
        return (end < 0 ? text[start..] : text[start..end]).Trim();
    }

    /// <summary>forbidden[c] is true when a cut before character c would break a link, URL or inline code span.</summary>
    private static bool[] ProtectedSpans(string text, int[] fence)
    {
        var forbidden = new bool[text.Length + 1];
        foreach (var regex in new[] { MarkdownLink(), BareUrl(), InlineCode() })
        {
            foreach (Match m in regex.Matches(text))
            {
                if (regex == InlineCode() && fence[m.Index] >= 0)
                {
                    continue;
                }

                for (var i = m.Index + 1; i < m.Index + m.Length; i++)
                {
                    forbidden[i] = true;
                }
            }
        }

        return forbidden;
    }

    [GeneratedRegex(@"\[[^\]\n]*\]\(\s*<?[^)\s]+>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<?(?:https?|discord)://[^\s<>]+>?")]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"`[^`\n]+`")]
    private static partial Regex InlineCode();
}
