using System.Text.RegularExpressions;

namespace PaperBot.AI.Offline;

public enum IntentKind
{
    Answer,
    Summarize,
    Overview,
    Compare,
    Trending,
}

/// <summary>What the offline fixed plan does with a question (the LLM decides this itself through tool calls).</summary>
public sealed partial record Intent(IntentKind Kind, SummaryStyle Style, int Days, string Topic, IReadOnlyList<string>? Aspects, IReadOnlyList<string> Sides)
{
    [GeneratedRegex(@"\b(compare[sd]?|comparison|contrast|versus|vs\.?|differ(s|ence|ences)?|distinguish)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CompareRx();

    // Two or more papers referred to: "the two", "both", "each", "the one that ... vs the one that ...".
    [GeneratedRegex(@"\b(two|three|both|each|the\s+one\s+that|the\s+former|the\s+latter|these\s+papers|those\s+papers)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SeveralRx();

    [GeneratedRegex(@"\s+(?:vs\.?|versus|compared\s+(?:to|with)|compare\s+to|differ(?:s)?\s+from|against|or)\s+|\s+and\s+(?=(?:the\s+)?[A-Z])", RegexOptions.IgnoreCase)]
    private static partial Regex SideSplitRx();

    [GeneratedRegex(@"\b(summari[sz]e|summary|tl;?dr|eli5|explain|for\s+a\s+beginner|in\s+simple\s+terms|in\s+plain\s+(english|words)|overview)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SummarizeRx();

    [GeneratedRegex(@"\b(recent\s+(work|papers|research|progress|advances)|work\s+on|papers\s+(on|about)|research\s+on|literature|overview\s+of|survey|state\s+of\s+(research|the\s+field)|what'?s\s+new\s+in)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OverviewRx();

    [GeneratedRegex(@"\b(eli5|beginner|like\s+i'?m\s+(five|5)|simple\s+terms|plain\s+(english|words)|layman|non-?expert|newbie)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Eli5Rx();

    [GeneratedRegex(@"\b(technical|in\s+depth|in-depth|detailed|details|for\s+an\s+expert)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TechnicalRx();

    [GeneratedRegex(@"\b(trending|popular|hot|most\s+upvoted|top\s+papers)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TrendingRx();

    [GeneratedRegex(@"\b(?:on|in\s+terms\s+of|regarding|by)\s+(?<aspects>[\w\s,\-]+?(?:\s+and\s+[\w\-]+(?:\s[\w\-]+)?)?)\s*[?.!]?$", RegexOptions.IgnoreCase)]
    private static partial Regex AspectsRx();

    [GeneratedRegex(@"\b(compare|comparison|contrast|versus|vs|summari[sz]e|summary|tl;?dr|eli5|explain|beginner|technical|detailed|trending|popular|overview|the\s+first|the\s+second|the\s+last|first|second|third|two|three|that\s+one|this\s+one|those|these|them|both|please|can\s+you|could\s+you|for\s+a|recent|work\s+on|papers\s+on)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CommandWords();

    // A specific name: a capitalised or mixed-case token that is not the first word (EVE, SOLO, Kangaroo, PosFormer).
    [GeneratedRegex(@"(?<=\S\s+)(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9\-]*|[A-Z][a-z]{2,}[A-Za-z0-9\-]*)")]
    private static partial Regex NamedToken();

    // "the position-forest approach", "the matching-pursuit encoder one": a definite description of one work.
    [GeneratedRegex(@"\bthe\s+[\w\-]+(?:\s+[\w\-]+){0,3}?\s+(approach|method|paper|one|proposal|technique|trick|framework|work|architecture|system|model)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DefiniteWork();

    [GeneratedRegex(@"^(?:(?:how|what|which|why|who|is|are|do|does|did|can|could|the|a|an|of|in|on|for|and|to|i|we|you)\s+)+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingFunctionWords();

    /// <param name="question">The question.</param>
    /// <param name="papersReferred">Papers the question refers to (from the conversation or by id).</param>
    public static Intent Detect(string question, int papersReferred = 0)
    {
        var style = Eli5Rx().IsMatch(question) ? SummaryStyle.Eli5 : TechnicalRx().IsMatch(question) ? SummaryStyle.Technical : SummaryStyle.Tldr;
        var topic = CommandWords().Replace(question, " ");
        if (CompareRx().IsMatch(question))
        {
            var sides = SidesOf(question);
            // Comparisons only when two or more papers are named or referred to; "how do diffusion models compare to
            // autoregressive models" is a question about a topic, answered from several papers.
            if (papersReferred >= 2 || SeveralRx().IsMatch(question) ||
                (sides.Count >= 2 && sides.All(s => NamedToken().IsMatch(" x " + LeadingFunctionWords().Replace(s, "")) || DefiniteWork().IsMatch(s))))
            {
                IReadOnlyList<string>? aspects = null;
                var m = AspectsRx().Match(question);
                if (m.Success && (papersReferred >= 2 || SeveralRx().IsMatch(question)) && m.Groups["aspects"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 8)
                {
                    aspects = Regex.Split(m.Groups["aspects"].Value, @"\s*(?:,|\band\b)\s*", RegexOptions.IgnoreCase)
                        .Select(a => a.Trim())
                        .Where(a => a.Length > 1)
                        .Select(a => char.ToUpperInvariant(a[0]) + a[1..])
                        .ToList();
                }

                return new Intent(IntentKind.Compare, style, 7, topic, aspects, sides);
            }
        }

        if (SummarizeRx().IsMatch(question))
        {
            var kind = papersReferred == 0 && OverviewRx().IsMatch(question) ? IntentKind.Overview : IntentKind.Summarize;
            return new Intent(kind, style, 7, topic, null, []);
        }

        if (TrendingRx().IsMatch(question))
        {
            var days = Regex.IsMatch(question, @"\btoday\b", RegexOptions.IgnoreCase) ? 1
                : Regex.IsMatch(question, @"\bmonth\b", RegexOptions.IgnoreCase) ? 30 : 7;
            return new Intent(IntentKind.Trending, style, days, topic, null, []);
        }

        return new Intent(papersReferred == 0 && OverviewRx().IsMatch(question) ? IntentKind.Overview : IntentKind.Answer, style, 7, question, null, []);
    }

    /// <summary>The two (or more) things a comparison question names: "A vs B", "A compared to B", "A and B".</summary>
    public static IReadOnlyList<string> SidesOf(string question)
    {
        var body = question;
        var colon = Math.Max(body.LastIndexOf(':'), body.LastIndexOf(" - ", StringComparison.Ordinal));
        var parts = SideSplitRx().Split(body).Select(s => s.Trim(' ', '?', '.', '!', ',', ':')).Where(s => s.Length > 0).ToList();
        if (parts.Count < 2 && colon > 0)
        {
            parts = SideSplitRx().Split(body[..colon]).Select(s => s.Trim(' ', '?', '.', '!', ',', ':')).Where(s => s.Length > 0).ToList();
        }

        return parts.Count >= 2 ? parts : [];
    }
}
