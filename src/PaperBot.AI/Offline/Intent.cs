using System.Text.RegularExpressions;

namespace PaperBot.AI.Offline;

public enum IntentKind
{
    Answer,
    Summarize,
    Compare,
    Trending,
}

/// <summary>What the offline fixed plan does with a question (the LLM decides this itself through tool calls).</summary>
public sealed partial record Intent(IntentKind Kind, SummaryStyle Style, int Days, string Topic, IReadOnlyList<string>? Aspects)
{
    [GeneratedRegex(@"\b(compare|comparison|contrast|versus|vs\.?|differences?\s+between|how\s+do\s+.+\s+differ)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CompareRx();

    [GeneratedRegex(@"\b(summari[sz]e|summary|tl;?dr|eli5|explain|for\s+a\s+beginner|in\s+simple\s+terms|in\s+plain\s+(english|words))\b", RegexOptions.IgnoreCase)]
    private static partial Regex SummarizeRx();

    [GeneratedRegex(@"\b(eli5|beginner|like\s+i'?m\s+(five|5)|simple\s+terms|plain\s+(english|words)|layman|non-?expert|newbie)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Eli5Rx();

    [GeneratedRegex(@"\b(technical|in\s+depth|in-depth|detailed|details|for\s+an\s+expert)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TechnicalRx();

    [GeneratedRegex(@"\b(trending|popular|hot|most\s+upvoted|top\s+papers)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TrendingRx();

    [GeneratedRegex(@"\b(?:on|in\s+terms\s+of|regarding|by)\s+(?<aspects>[\w\s,\-]+?(?:\s+and\s+[\w\-]+(?:\s[\w\-]+)?)?)\s*[?.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex AspectsRx();

    [GeneratedRegex(@"\b(compare|comparison|contrast|versus|vs|summari[sz]e|summary|tl;?dr|eli5|explain|beginner|technical|detailed|trending|popular|the\s+first|the\s+second|the\s+last|first|second|third|two|three|that\s+one|this\s+one|those|these|them|both|please|can\s+you|could\s+you|for\s+a)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CommandWords();

    public static Intent Detect(string question)
    {
        var style = Eli5Rx().IsMatch(question) ? SummaryStyle.Eli5 : TechnicalRx().IsMatch(question) ? SummaryStyle.Technical : SummaryStyle.Tldr;
        var topic = CommandWords().Replace(question, " ");
        if (CompareRx().IsMatch(question))
        {
            IReadOnlyList<string>? aspects = null;
            var m = AspectsRx().Match(question);
            if (m.Success)
            {
                aspects = Regex.Split(m.Groups["aspects"].Value, @"\s*(?:,|\band\b)\s*", RegexOptions.IgnoreCase)
                    .Select(a => a.Trim())
                    .Where(a => a.Length > 1)
                    .Select(a => char.ToUpperInvariant(a[0]) + a[1..])
                    .ToList();
                topic = CommandWords().Replace(question[..m.Index], " ");
            }

            return new Intent(IntentKind.Compare, style, 7, topic, aspects);
        }

        if (SummarizeRx().IsMatch(question))
        {
            return new Intent(IntentKind.Summarize, style, 7, topic, null);
        }

        if (TrendingRx().IsMatch(question))
        {
            var days = Regex.IsMatch(question, @"\btoday\b", RegexOptions.IgnoreCase) ? 1
                : Regex.IsMatch(question, @"\bmonth\b", RegexOptions.IgnoreCase) ? 30 : 7;
            return new Intent(IntentKind.Trending, style, days, topic, null);
        }

        return new Intent(IntentKind.Answer, style, 7, question, null);
    }
}
