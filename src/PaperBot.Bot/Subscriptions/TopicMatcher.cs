using PaperBot.Core.Papers;

namespace PaperBot.Bot.Subscriptions;

/// <summary>Whole-word, case-insensitive matching of topics/keywords against a paper's title, abstract, keywords and categories.</summary>
public static class TopicMatcher
{
    public static bool Matches(Paper paper, IReadOnlyCollection<string> topics) =>
        topics.Count == 0 || topics.Any(t => Matches(paper, t));

    public static bool Matches(Paper paper, string topic)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            return false;
        }

        return ContainsWord(paper.Title, topic) ||
               ContainsWord(paper.Abstract, topic) ||
               paper.Keywords.Any(k => ContainsWord(k, topic)) ||
               paper.Categories.Any(c => string.Equals(c, topic, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when <paramref name="phrase"/> occurs in <paramref name="text"/> not inside a longer word.</summary>
    public static bool ContainsWord(string? text, string phrase)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var start = 0;
        while (true)
        {
            var i = text.IndexOf(phrase, start, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                return false;
            }

            var before = i == 0 || !char.IsLetterOrDigit(text[i - 1]);
            var end = i + phrase.Length;
            // allow a plural "s" after the phrase ("transformer" matches "transformers")
            var after = end >= text.Length || !char.IsLetterOrDigit(text[end]) ||
                        (text[end] is 's' or 'S' && (end + 1 >= text.Length || !char.IsLetterOrDigit(text[end + 1])));
            if (before && after)
            {
                return true;
            }

            start = i + 1;
        }
    }
}
