namespace PaperBot.Core.Search.Syntax;

/// <summary>
/// A search text split into what people expect search engines to understand:
/// <c>"quoted phrases"</c> (must occur as written), <c>-word</c> / <c>-"phrase"</c> / <c>NOT word</c> (must not occur),
/// <c>title:word</c> / <c>title:"a phrase"</c> (must occur in the title), <c>author:name</c> / <c>author:"first last"</c>
/// (an author or the organisation), <c>prefix*</c> (a word starting with it); everything else is ranked by relevance.
/// Anything the parser cannot honour is searched as plain words and explained in <see cref="Notes"/>, one line each.
/// </summary>
public sealed class ParsedQuery
{
    public const string Help = "Supported: \"exact phrase\", -exclude, title:word, author:name, prefix*.";

    /// <summary>The words ranked by BM25 and the embedding search (operators removed; phrase and title words included).</summary>
    public string RankedText { get; init; } = "";

    /// <summary>Phrases (one word or more) that must occur in the title, abstract or names.</summary>
    public IReadOnlyList<string> Phrases { get; init; } = [];

    /// <summary>Words or phrases that must not occur.</summary>
    public IReadOnlyList<string> Excluded { get; init; } = [];

    /// <summary>Words or phrases that must occur in the title.</summary>
    public IReadOnlyList<string> Title { get; init; } = [];

    /// <summary>Author or organisation names (each must match, like --author).</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Word prefixes (lower-cased, without the *) of which one word must start with each.</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];

    /// <summary>One-line explanations of what was not understood and how it was searched instead.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when the query restricts which papers match (beyond ranking).</summary>
    public bool HasConstraints => Phrases.Count > 0 || Excluded.Count > 0 || Title.Count > 0 || Authors.Count > 0 || Prefixes.Count > 0;

    public bool IsEmpty => RankedText.Length == 0 && !HasConstraints;

    /// <summary>All notes as one line (empty when there is nothing to explain).</summary>
    public string Explanation => Notes.Count == 0 ? "" : string.Join(" ", Notes.Distinct()) + " " + Help;

    public static ParsedQuery Parse(string? text) => QueryParser.Parse(text ?? "");

    private static class QueryParser
    {
        private const int MinPrefixLength = 2;

        private readonly record struct Token(bool Negated, string? Field, string Text, bool Quoted);

        public static ParsedQuery Parse(string text)
        {
            var ranked = new List<string>();
            var phrases = new List<string>();
            var excluded = new List<string>();
            var title = new List<string>();
            var authors = new List<string>();
            var prefixes = new List<string>();
            var notes = new List<string>();
            var negateNext = false;
            var i = 0;
            while (Next(text, ref i, notes) is { } token)
            {
                var (negated, field, raw, quoted) = token;
                if (field is null && !quoted && !negated && raw is "NOT")
                {
                    negateNext = true;
                    continue;
                }

                if (field is null && !quoted && !negated && raw is "AND" or "OR" or "&&" or "||")
                {
                    notes.Add($"'{raw}' is not an operator here: every word counts towards relevance, and a paper need not contain all of them.");
                    continue;
                }

                negated |= negateNext;
                negateNext = false;
                if (field is not null && field is not ("title" or "author" or "authors" or "by"))
                {
                    notes.Add($"'{field}:' is not a search field; searched as words.");
                    ranked.Add(field);
                    field = null;
                }

                if (field is "author" or "authors" or "by")
                {
                    if (negated)
                    {
                        notes.Add("Excluding an author is not supported; that part was ignored.");
                    }
                    else
                    {
                        authors.Add(raw);
                    }

                    continue;
                }

                if (!quoted && raw.Contains('*'))
                {
                    var stem = raw.TrimEnd('*');
                    if (stem.Length >= MinPrefixLength && stem.All(char.IsLetterOrDigit) && !negated && field is null)
                    {
                        prefixes.Add(stem.ToLowerInvariant());
                        ranked.Add(stem);
                        continue;
                    }

                    notes.Add(negated || field is not null
                        ? $"'{raw}': a prefix* cannot be excluded or limited to a field; searched as a word."
                        : $"'{raw}': * works only at the end of a word of at least {MinPrefixLength} letters; searched as a word.");
                    raw = raw.Replace("*", "", StringComparison.Ordinal);
                    if (raw.Length == 0)
                    {
                        continue;
                    }
                }

                if (negated)
                {
                    excluded.Add(raw);
                }
                else if (field == "title")
                {
                    title.Add(raw);
                    ranked.Add(raw);
                }
                else
                {
                    if (quoted)
                    {
                        phrases.Add(raw);
                    }

                    ranked.Add(raw);
                }
            }

            if (negateNext)
            {
                notes.Add("'NOT' at the end has nothing to exclude; it was ignored.");
            }

            return new ParsedQuery
            {
                RankedText = string.Join(' ', ranked.Where(w => w.Length > 0)),
                Phrases = phrases,
                Excluded = excluded,
                Title = title,
                Authors = authors,
                Prefixes = prefixes,
                Notes = notes,
            };
        }

        /// <summary>
        /// The next term: an optional '-', an optional 'field:', then a "quoted run" (an unclosed quote runs to the end)
        /// or a bare word up to the next space. Empty terms are skipped.
        /// </summary>
        private static Token? Next(string text, ref int i, List<string> notes)
        {
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i >= text.Length)
                {
                    return null;
                }

                var negated = false;
                if (text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] != '-')
                {
                    negated = true;
                    i++;
                }

                string? field = null;
                var j = i;
                while (j < text.Length && char.IsAsciiLetter(text[j]))
                {
                    j++;
                }

                if (j > i && j + 1 < text.Length && text[j] == ':' && !char.IsWhiteSpace(text[j + 1]) && text[j + 1] != '/')
                {
                    field = text[i..j].ToLowerInvariant();
                    i = j + 1;
                }

                string value;
                var quoted = false;
                if (IsQuote(text[i]))
                {
                    var start = ++i;
                    while (i < text.Length && !IsQuote(text[i]))
                    {
                        i++;
                    }

                    value = Collapse(text[start..i]);
                    if (i >= text.Length)
                    {
                        notes.Add("A quote was not closed; the phrase runs to the end of the query.");
                    }
                    else
                    {
                        i++;
                    }

                    quoted = true;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && !IsQuote(text[i]))
                    {
                        i++;
                    }

                    value = text[start..i];
                }

                if (value.Length > 0)
                {
                    return new Token(negated, field, value, quoted);
                }
            }
        }

        private static bool IsQuote(char c) => c is '"' or '\u201C' or '\u201D';

        private static string Collapse(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
