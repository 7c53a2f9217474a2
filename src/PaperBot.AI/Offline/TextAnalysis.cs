using System.Text;
using System.Text.RegularExpressions;

namespace PaperBot.AI.Offline;

/// <summary>Small, dependency-free text helpers for the extractive backend: terms, sentences, truncation.</summary>
public static partial class TextAnalysis
{
    private static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "from", "at", "as", "is", "are", "was",
        "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "we", "our", "you", "your", "i", "me",
        "my", "they", "their", "them", "he", "she", "his", "her", "what", "which", "who", "whom", "how", "why", "when",
        "where", "do", "does", "did", "can", "could", "should", "would", "will", "may", "might", "about", "any", "some",
        "there", "here", "than", "then", "so", "such", "not", "no", "yes", "but", "if", "into", "over", "under", "also",
        "more", "most", "other", "all", "each", "both", "only", "own", "same", "too", "very", "just", "has", "have", "had",
        "tell", "show", "give", "find", "papers", "paper", "work", "works", "please", "know", "explain", "anything",
        "something", "latest", "recent", "new", "us", "via", "using", "use", "used", "based", "between",
        // Chat phrasing, not topic: "has anyone seen a way to…", "I remember someone…", "is there a paper on…"
        "vs", "versus", "anyone", "someone", "anybody", "somebody", "seen", "heard", "remember", "recall", "thing",
        "things", "stuff", "lot", "lots", "way", "ways", "get", "gets", "got", "getting", "really", "actually",
        "basically", "pretty", "kind", "sort", "guys", "folks", "want", "wants", "wanted", "don", "doesn", "isn",
        "aren", "trying", "try", "tried", "able", "good", "nice", "cool", "hey", "hi", "thanks", "question",
        "wondering", "curious", "idea", "ideas", "people", "much", "many", "whether", "still", "even", "yet",
    };

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();

    // A sentence ends at . ! ? followed by whitespace and an upper-case letter, digit or quote; abbreviations are protected below.
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{N}""'(\[])", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();

    private static readonly string[] Abbreviations = ["e.g.", "i.e.", "et al.", "etc.", "vs.", "Fig.", "Eq.", "cf.", "approx.", "resp."];

    /// <summary>Lower-cased, stemmed content terms (stop words dropped); a hyphenated word gives its parts.</summary>
    public static List<string> Terms(string text)
    {
        var result = new List<string>();
        foreach (Match m in WordRegex().Matches(text))
        {
            var w = m.Value.ToLowerInvariant().Trim('-');
            if (w.Contains('-'))
            {
                foreach (var part in w.Split('-', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (part.Length >= 2 && !Stop.Contains(part))
                    {
                        result.Add(Stem(part));
                    }
                }

                continue;
            }

            if (w.Length < 2 || Stop.Contains(w))
            {
                continue;
            }

            result.Add(Stem(w));
        }

        return result;
    }

    /// <summary>The question's content words (unstemmed, stop words dropped) as a keyword query for the search engine.</summary>
    public static string QueryText(string question)
    {
        var words = new List<string>();
        foreach (Match m in WordRegex().Matches(question))
        {
            var w = m.Value.Trim('-');
            if (w.Length >= 2 && !Stop.Contains(w.ToLowerInvariant()) && !words.Contains(w, StringComparer.OrdinalIgnoreCase))
            {
                words.Add(w);
            }
        }

        return string.Join(' ', words);
    }

    [ThreadStatic]
    private static Lucene.Net.Tartarus.Snowball.Ext.PorterStemmer? _porter;

    /// <summary>
    /// Porter's stemmer (Lucene's Snowball implementation, the one the search index uses too), so that
    /// "representation"/"represent" and "training"/"trained"/"train" meet. Hyphenated words are stemmed per part.
    /// </summary>
    public static string Stem(string w)
    {
        if (w.Contains('-'))
        {
            return string.Join('-', w.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(Stem));
        }

        if (w.Length < 4 || !w.All(char.IsLetter))
        {
            return w;
        }

        var stemmer = _porter ??= new Lucene.Net.Tartarus.Snowball.Ext.PorterStemmer();
        stemmer.SetCurrent(w);
        stemmer.Stem();
        return stemmer.Current;
    }

    /// <summary>
    /// The version of <see cref="Sentences"/>: bump it when the split changes, so stored sentence vectors
    /// (<see cref="Embeddings.PaperSentenceVectorsRecord"/>) are embedded again by the next backfill.
    /// </summary>
    public const int SentenceSplitVersion = 1;

    /// <summary>Splits an abstract into sentences (keeps abbreviations such as "e.g." and "et al." inside).</summary>
    public static List<string> Sentences(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var t = Regex.Replace(text, @"\s+", " ").Trim();
        for (var i = 0; i < Abbreviations.Length; i++)
        {
            t = t.Replace(Abbreviations[i], Abbreviations[i].Replace('.', '\u2024'), StringComparison.Ordinal);
        }

        return SentenceBoundary().Split(t)
            .Select(s => s.Replace('\u2024', '.').Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }

    public static string Truncate(string s, int max)
    {
        if (s.Length <= max)
        {
            return s;
        }

        var cut = s.LastIndexOf(' ', Math.Max(0, max - 1), Math.Min(max, s.Length));
        return (cut > max / 2 ? s[..cut] : s[..(max - 1)]).TrimEnd(',', ';', ':', ' ') + "…";
    }

    /// <summary>Escapes a value for a markdown table cell.</summary>
    public static string Cell(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c == '|')
            {
                sb.Append("\\|");
            }
            else if (c is '\n' or '\r')
            {
                sb.Append(' ');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
