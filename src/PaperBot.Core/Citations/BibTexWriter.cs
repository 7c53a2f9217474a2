using System.Globalization;
using System.Text;

namespace PaperBot.Core.Citations;

/// <summary>
/// BibTeX entries. An arXiv paper is <c>@misc</c> with <c>eprint</c>, <c>archivePrefix = {arXiv}</c> and <c>primaryClass</c>
/// (the form arXiv and biblatex document), authors as "Family, Given" joined by "and", year and month. A paper without an
/// arXiv id is <c>@misc</c> with what its record has: title, authors, year, url, organization and a note. Field values are
/// brace-delimited with LaTeX's special characters escaped, words with inner capitals ("LoRA", "GPT-4") wrapped in braces
/// so styles keep their case, and text kept as UTF-8 (biber/biblatex and bibtexu read it). Keys are
/// family-name + year + first title word ("vaswani2017attention"), made unique with a, b, … suffixes.
/// </summary>
public static class BibTexWriter
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly HashSet<string> SkipWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "on", "of", "for", "in", "to", "towards", "toward", "and", "with", "from", "by", "at", "is", "are", "do", "does", "can", "how", "what", "why", "when",
    };

    public static string Write(IEnumerable<CitationFacts> papers)
    {
        var sb = new StringBuilder();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in papers)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            var fields = new List<(string Name, string Value)> { ("title", "{" + Title(f.Title) + "}") };
            if (f.Authors.Count > 0)
            {
                fields.Add(("author", "{" + string.Join(" and ", f.Authors.Select(Author)) + "}"));
            }

            if (f.Year is { } year)
            {
                fields.Add(("year", "{" + year.ToString(CultureInfo.InvariantCulture) + "}"));
                fields.Add(("month", Months[f.Date!.Value.Month - 1])); // a macro, as BibTeX styles expect
            }

            if (f.ArxivId is { } arxiv)
            {
                fields.Add(("eprint", "{" + arxiv + "}"));
                fields.Add(("archivePrefix", "{arXiv}"));
                if (f.PrimaryClass is { } primary)
                {
                    fields.Add(("primaryClass", "{" + primary + "}"));
                }
            }

            if (f.Url is { } url)
            {
                fields.Add(("url", "{" + url + "}"));
            }

            if (f.ArxivId is null && !string.IsNullOrWhiteSpace(f.Paper.Organization))
            {
                fields.Add(("organization", "{" + Escape(CitationFacts.OneLine(f.Paper.Organization)) + "}"));
            }

            if (Note(f) is { } note)
            {
                fields.Add(("note", "{" + Escape(note) + "}"));
            }

            var width = fields.Max(x => x.Name.Length);
            sb.Append("@misc{").Append(UniqueKey(f, keys)).Append(",\n");
            for (var i = 0; i < fields.Count; i++)
            {
                sb.Append("  ").Append(fields[i].Name.PadRight(width)).Append(" = ").Append(fields[i].Value).Append(i < fields.Count - 1 ? ",\n" : "\n");
            }

            sb.Append("}\n");
        }

        return sb.ToString();
    }

    /// <summary>What the record knows that has no field of its own: the HF feature day, an author count without names.</summary>
    private static string? Note(CitationFacts f)
    {
        var parts = new List<string>();
        if (f.Authors.Count == 0 && f.AuthorCount is > 0 and var n)
        {
            parts.Add(n == 1 ? "1 author (name not recorded)" : $"{n} authors (names not recorded)");
        }

        if (f.ArxivId is null && f.Paper.FeaturedOn is { } featured)
        {
            parts.Add("Featured on Hugging Face Daily Papers on " + featured.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Author(PersonName name)
    {
        if (name.IsOrganization || name.Given.Length == 0)
        {
            // one unit: BibTeX must not split "Qwen Team" or "DeepSeek-AI" into given and family names
            return "{" + Escape(name.Display) + "}";
        }

        var family = Escape(name.Family);
        if (name.Family.Contains(' ') && !name.Family.Split(' ')[0].All(char.IsLower))
        {
            family = "{" + family + "}"; // a multi-word family name without a particle ("Garcia Marquez")
        }

        var given = Escape(name.Given);
        return name.Suffix.Length == 0 ? $"{family}, {given}" : $"{family}, {Escape(name.Suffix)}, {given}";
    }

    /// <summary>The title escaped, with words whose capitals must survive a style's case change in braces.</summary>
    public static string Title(string title)
    {
        var words = title.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w =>
        {
            if (!KeepsCase(w))
            {
                return Escape(w);
            }

            // brace the word without its surrounding punctuation: "{SpeechT5}:" rather than "{SpeechT5:}"
            var start = 0;
            var end = w.Length;
            while (start < end && !char.IsLetterOrDigit(w[start]))
            {
                start++;
            }

            while (end > start && !char.IsLetterOrDigit(w[end - 1]))
            {
                end--;
            }

            return Escape(w[..start]) + "{" + Escape(w[start..end]) + "}" + Escape(w[end..]);
        }));
    }

    /// <summary>"LoRA", "GPT-4", "BERT", "iPhone", "3D": a part (between hyphens) with a capital after its first character, or
    /// with capitals and digits. "Vision-Language" keeps its case anyway.</summary>
    private static bool KeepsCase(string word) => word.Split('-', '/').Any(part =>
    {
        var letters = part.Where(char.IsLetterOrDigit).ToArray();
        return letters.Skip(1).Any(char.IsUpper) || (letters.Any(char.IsDigit) && letters.Any(char.IsUpper));
    });

    /// <summary>Escapes LaTeX's special characters; the result has balanced braces.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in CitationFacts.OneLine(text))
        {
            switch (ch)
            {
                case '\\': sb.Append(@"\textbackslash{}"); break;
                // BibTeX counts every brace, backslash or not: "\{" would unbalance the field, so literal braces are commands
                case '{': sb.Append(@"\textbraceleft{}"); break;
                case '}': sb.Append(@"\textbraceright{}"); break;
                case '&': sb.Append(@"\&"); break;
                case '%': sb.Append(@"\%"); break;
                case '$': sb.Append(@"\$"); break;
                case '#': sb.Append(@"\#"); break;
                case '_': sb.Append(@"\_"); break;
                case '~': sb.Append(@"\textasciitilde{}"); break;
                case '^': sb.Append(@"\textasciicircum{}"); break;
                default:
                    if (!char.IsControl(ch))
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private static string UniqueKey(CitationFacts f, HashSet<string> used)
    {
        var family = f.Authors.Count > 0 ? CitationFacts.AsciiKey(f.Authors[0].Family.Split(' ')[^1]) : "";
        var word = f.Title.Split([' ', '-', ':', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Select(CitationFacts.AsciiKey).FirstOrDefault(w => w.Length > 1 && !SkipWords.Contains(w)) ?? "";
        var year = f.Year?.ToString(CultureInfo.InvariantCulture) ?? "";
        var key = family + year + word;
        if (family.Length == 0 || key.Length < 4)
        {
            key = f.ArxivId is { } a ? "arxiv" + CitationFacts.AsciiKey(a) : "paper" + year + (word.Length > 0 ? word : CitationFacts.AsciiKey(f.Paper.Id));
        }

        var unique = key;
        for (var i = 0; !used.Add(unique); i++)
        {
            unique = key + Suffix(i);
        }

        return unique;
    }

    /// <summary>a, b, …, z, aa, ab, …</summary>
    private static string Suffix(int i) => i < 26 ? ((char)('a' + i)).ToString() : Suffix((i / 26) - 1) + (char)('a' + (i % 26));
}
