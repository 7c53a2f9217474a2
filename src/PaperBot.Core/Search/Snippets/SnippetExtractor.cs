using System.Text;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using PaperBot.Core.Search.Indexing;

namespace PaperBot.Core.Search.Snippets;

/// <summary>
/// Picks the passage that best explains a hit: the sentence (or, for a long sentence, the window) with the most
/// distinct analysed query terms, then the most matches, then the earliest; matched words are wrapped in **bold**.
/// Terms are compared after the same analysis as the index (so "transformers" matches a query for "transformer").
/// </summary>
public sealed partial class SnippetExtractor(Analyzer analyzer, int maxChars = 260)
{
    private readonly int _maxChars = Math.Max(40, maxChars);

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{N}(\[""'])", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>
    /// The snippet for one paper: the best abstract passage; if the abstract has no query term, the title or names
    /// that matched (marked); else the opening of the abstract.
    /// </summary>
    public string Extract(IReadOnlySet<string> queryTerms, string abstractText, params string[] fallbacks)
    {
        var text = Whitespace().Replace(abstractText ?? "", " ").Trim();
        if (queryTerms.Count > 0)
        {
            var best = BestPassage(text, queryTerms);
            if (best is not null)
            {
                return best;
            }

            foreach (var f in fallbacks)
            {
                var other = BestPassage(Whitespace().Replace(f ?? "", " ").Trim(), queryTerms);
                if (other is not null)
                {
                    return other;
                }
            }
        }

        return Truncate(SentenceBreak().Split(text).FirstOrDefault() ?? "", 0);
    }

    /// <summary>The best marked passage of <paramref name="text"/>, or null when no query term occurs in it.</summary>
    public string? BestPassage(string text, IReadOnlySet<string> queryTerms)
    {
        if (text.Length == 0 || queryTerms.Count == 0)
        {
            return null;
        }

        var matches = Matches(text, queryTerms);
        if (matches.Count == 0)
        {
            return null;
        }

        // Candidate spans: sentences; long sentences are cut into windows that start at a match.
        var spans = new List<(int Start, int End)>();
        var pos = 0;
        foreach (var sentence in SentenceBreak().Split(text))
        {
            var start = text.IndexOf(sentence, pos, StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }

            var end = start + sentence.Length;
            pos = end;
            if (sentence.Length <= _maxChars)
            {
                spans.Add((start, end));
            }
            else
            {
                foreach (var m in matches.Where(m => m.Start >= start && m.End <= end))
                {
                    var wStart = Math.Max(start, WordStartBefore(text, m.Start - (_maxChars / 5), start));
                    spans.Add((wStart, Math.Min(end, wStart + _maxChars)));
                }
            }
        }

        var best = spans
            .Select(s =>
            {
                var inSpan = matches.Where(m => m.Start >= s.Start && m.End <= s.End).ToList();
                return (Span: s, Distinct: inSpan.Select(m => m.Term).Distinct().Count(), Total: inSpan.Count);
            })
            .Where(x => x.Total > 0)
            .OrderByDescending(x => x.Distinct)
            .ThenByDescending(x => x.Total)
            .ThenBy(x => x.Span.Start)
            .FirstOrDefault();
        if (best.Total == 0)
        {
            return null;
        }

        var (spanStart, spanEnd) = best.Span;
        if (spanEnd - spanStart > _maxChars)
        {
            spanEnd = WordEndBefore(text, spanStart + _maxChars, spanStart);
        }

        var sb = new StringBuilder();
        if (spanStart > 0)
        {
            sb.Append("… ");
        }

        var cursor = spanStart;
        foreach (var m in matches.Where(m => m.Start >= spanStart && m.End <= spanEnd))
        {
            sb.Append(text, cursor, m.Start - cursor).Append("**").Append(text, m.Start, m.End - m.Start).Append("**");
            cursor = m.End;
        }

        sb.Append(text, cursor, spanEnd - cursor);
        if (spanEnd < text.Length && !IsSentenceEnd(text, spanEnd))
        {
            sb.Append(" …");
        }

        return sb.ToString().Trim();
    }

    private List<(int Start, int End, string Term)> Matches(string text, IReadOnlySet<string> queryTerms)
    {
        var list = new List<(int, int, string)>();
        using var ts = analyzer.GetTokenStream(PaperFields.Text, text);
        var term = ts.AddAttribute<ICharTermAttribute>();
        var offset = ts.AddAttribute<IOffsetAttribute>();
        ts.Reset();
        while (ts.IncrementToken())
        {
            var t = term.ToString();
            if (queryTerms.Contains(t) && offset.EndOffset <= text.Length && offset.StartOffset < offset.EndOffset)
            {
                list.Add((offset.StartOffset, offset.EndOffset, t));
            }
        }

        ts.End();
        return list;
    }

    private string Truncate(string s, int start)
    {
        if (s.Length - start <= _maxChars)
        {
            return s[start..];
        }

        var end = WordEndBefore(s, start + _maxChars, start);
        return s[start..end].TrimEnd() + " …";
    }

    private static bool IsSentenceEnd(string text, int end) => end > 0 && text[end - 1] is '.' or '!' or '?';

    private static int WordStartBefore(string text, int index, int floor)
    {
        if (index <= floor)
        {
            return floor;
        }

        while (index > floor && !char.IsWhiteSpace(text[index - 1]))
        {
            index--;
        }

        return index;
    }

    private static int WordEndBefore(string text, int index, int floor)
    {
        if (index >= text.Length)
        {
            return text.Length;
        }

        var i = index;
        while (i > floor && !char.IsWhiteSpace(text[i]))
        {
            i--;
        }

        return i > floor ? i : index;
    }
}
