using System.Text.RegularExpressions;

namespace PaperBot.AI.Memory;

/// <summary>
/// Resolves follow-up references ("compare the first two", "summarize that one", "the second paper", "[3]", "both",
/// "them") against the papers cited in the previous turn. Returns the referenced ids, in the order mentioned.
/// </summary>
public static partial class ReferenceResolver
{
    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["first"] = 1, ["1st"] = 1, ["second"] = 2, ["2nd"] = 2, ["third"] = 3, ["3rd"] = 3, ["fourth"] = 4, ["4th"] = 4,
        ["fifth"] = 5, ["5th"] = 5, ["sixth"] = 6, ["6th"] = 6, ["seventh"] = 7, ["7th"] = 7, ["eighth"] = 8, ["8th"] = 8,
    };

    private static readonly Dictionary<string, int> Counts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["2"] = 2, ["3"] = 3, ["4"] = 4, ["5"] = 5,
    };

    [GeneratedRegex(@"\b(?:the\s+)?(first|top)\s+(two|three|four|five|[2-5])\b", RegexOptions.IgnoreCase)]
    private static partial Regex FirstN();

    [GeneratedRegex(@"\b(?:the\s+)?last\s+(two|three|four|five|[2-5])\b", RegexOptions.IgnoreCase)]
    private static partial Regex LastN();

    [GeneratedRegex(@"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|eighth|8th|last)\b(?:\s+(?:one|paper|result|two))?", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"(?:\[(\d{1,2})\]|#(\d{1,2})\b|\b(?:paper|number|no\.?|result|reference|ref)\s*(\d{1,2})\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Numbered();

    [GeneratedRegex(@"\b(both|all of them|them|those|these|all three|all two)\b", RegexOptions.IgnoreCase)]
    private static partial Regex All();

    [GeneratedRegex(@"\b(that one|this one|that paper|this paper|the paper|it|that|this)\b(?!\s+(?:year|week|month|time|way|area|field|topic|kind|sort|type|problem|question)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Single();

    /// <summary>
    /// True when the only reference in <paramref name="text"/> is a pronoun ("it", "this", "that one"): such a question
    /// refers back only if it brings no new topic, which the caller decides.
    /// </summary>
    public static bool IsPronounOnly(string text) =>
        !FirstN().IsMatch(text) && !LastN().IsMatch(text) && !Ordinal().IsMatch(text) && !Numbered().IsMatch(text) && !All().IsMatch(text) && Single().IsMatch(text);

    /// <summary>The text without its reference words (what is left is the question's own topic).</summary>
    public static string WithoutReferences(string text) =>
        Single().Replace(All().Replace(Numbered().Replace(Ordinal().Replace(LastN().Replace(FirstN().Replace(text, " "), " "), " "), " "), " "), " ");

    public static IReadOnlyList<string> Resolve(string text, IReadOnlyList<string> previous)
    {
        if (previous.Count == 0)
        {
            return [];
        }

        var picked = new List<string>();
        void Add(int number)
        {
            if (number >= 1 && number <= previous.Count && !picked.Contains(previous[number - 1]))
            {
                picked.Add(previous[number - 1]);
            }
        }

        var m = FirstN().Match(text);
        if (m.Success)
        {
            for (var i = 1; i <= Counts[m.Groups[2].Value]; i++)
            {
                Add(i);
            }

            return picked;
        }

        m = LastN().Match(text);
        if (m.Success)
        {
            var n = Counts[m.Groups[1].Value];
            for (var i = Math.Max(1, previous.Count - n + 1); i <= previous.Count; i++)
            {
                Add(i);
            }

            return picked;
        }

        foreach (Match o in Ordinal().Matches(text))
        {
            var word = o.Groups[1].Value;
            Add(word.Equals("last", StringComparison.OrdinalIgnoreCase) ? previous.Count : Ordinals[word]);
        }

        foreach (Match nm in Numbered().Matches(text))
        {
            var g = nm.Groups[1].Success ? nm.Groups[1] : nm.Groups[2].Success ? nm.Groups[2] : nm.Groups[3];
            Add(int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (picked.Count > 0)
        {
            return picked;
        }

        if (All().IsMatch(text))
        {
            var all = All().Match(text).Value.Equals("both", StringComparison.OrdinalIgnoreCase) ? previous.Take(2) : previous;
            return all.ToList();
        }

        if (Single().IsMatch(text))
        {
            return [previous[0]];
        }

        return [];
    }
}
