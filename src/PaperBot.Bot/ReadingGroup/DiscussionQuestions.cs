using System.Text.RegularExpressions;
using PaperBot.AI.Offline;
using PaperBot.Bot.Formatting;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>
/// Three discussion questions drawn from the abstract, deterministically (no LLM): the sentence that states the method,
/// the one that states the results, and the one that names the data, setting or a limitation, each quoted (escaped,
/// bounded) under a question about it. When the abstract lacks such a sentence, the next unused sentence is quoted.
/// </summary>
public static partial class DiscussionQuestions
{
    public const int QuoteLength = 220;

    private static readonly string[] MethodCues = ["we propose", "we introduce", "we present", "we develop", "this paper", "our method", "our approach", "we design", "framework"];
    private static readonly string[] ResultCues = ["outperform", "achiev", "improv", "state-of-the-art", "results", "we show", "demonstrat", "surpass", "%"];
    private static readonly string[] ContextCues = ["dataset", "benchmark", "limitation", "however", "despite", "challenge", "evaluate", "existing", "remain"];

    public static IReadOnlyList<string> From(string? abstractText)
    {
        var sentences = Sentences(abstractText);
        var used = new HashSet<int>();
        var method = Pick(sentences, MethodCues, used);
        var result = Pick(sentences, ResultCues, used);
        var context = Pick(sentences, ContextCues, used);
        return
        [
            method is null
                ? "What problem does the paper set out to solve, and what is its key idea?"
                : $"The paper says: “{Quote(method)}” What is the key idea here, and what does it assume?",
            result is null
                ? "What evidence supports the claims, and which baselines or ablations would you want to see?"
                : $"“{Quote(result)}” How convincing is this evidence, and which baselines or ablations are missing?",
            context is null
                ? "Where would this approach break down, and how could you use it in your own work?"
                : $"“{Quote(context)}” Where would the approach break down, and how could you use it in your own work?",
        ];
    }

    /// <summary>The abstract's sentences, in order (split after . ! ? followed by a space and a capital or digit).</summary>
    public static IReadOnlyList<string> Sentences(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : SentenceEnd().Split(PaperText.OneLine(text).Trim()).Select(s => s.Trim()).Where(s => s.Length >= 20).ToList();

    private static string? Pick(IReadOnlyList<string> sentences, string[] cues, HashSet<int> used)
    {
        for (var i = 0; i < sentences.Count; i++)
        {
            if (!used.Contains(i) && cues.Any(c => sentences[i].Contains(c, StringComparison.OrdinalIgnoreCase)))
            {
                used.Add(i);
                return sentences[i];
            }
        }

        for (var i = 0; i < sentences.Count; i++)
        {
            if (used.Add(i))
            {
                return sentences[i];
            }
        }

        return null;
    }

    private static string Quote(string sentence) => MarkdownText.Escape(PaperText.Truncate(sentence, QuoteLength));

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9])")]
    private static partial Regex SentenceEnd();
}
