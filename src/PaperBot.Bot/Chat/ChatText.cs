using System.Text.RegularExpressions;

namespace PaperBot.Bot.Chat;

/// <summary>Helpers for chat messages: mention detection and stripping.</summary>
public static partial class ChatText
{
    [GeneratedRegex(@"<@!?(\d+)>", RegexOptions.CultureInvariant)]
    private static partial Regex UserMention();

    public static bool Mentions(string content, ulong userId) =>
        UserMention().Matches(content).Any(m => ulong.TryParse(m.Groups[1].ValueSpan, out var id) && id == userId);

    /// <summary>The question without the bot's own mention(s), whitespace collapsed.</summary>
    public static string StripMention(string content, ulong userId)
    {
        var s = UserMention().Replace(content, m => ulong.TryParse(m.Groups[1].ValueSpan, out var id) && id == userId ? " " : m.Value);
        return string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A thread name (≤ 100 chars) from the question.</summary>
    public static string ThreadName(string question)
    {
        var name = Formatting.PaperText.Truncate(question.Replace('\n', ' '), 90);
        return name.Length == 0 ? "PaperBot" : name;
    }
}
