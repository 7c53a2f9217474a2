using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaperBot.Core.Papers;

namespace PaperBot.Core.Citations;

/// <summary>A person's (or organisation's) name split for citations: "Ludwig van Beethoven" → given "Ludwig", family "van Beethoven".</summary>
public sealed record PersonName(string Given, string Family, string Suffix, bool IsOrganization)
{
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal) { "van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "dos", "das", "le", "la", "ter", "ten", "zu", "bin", "al" };
    private static readonly HashSet<string> Suffixes = new(StringComparer.OrdinalIgnoreCase) { "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV" };
    private static readonly HashSet<string> OrganizationWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "team", "lab", "labs", "inc", "inc.", "ltd", "ltd.", "consortium", "collaboration", "group", "university", "institute", "corporation", "foundation", "project",
    };

    /// <summary>The name as written: "Ludwig van Beethoven Jr." (an organisation as is).</summary>
    public string Display => IsOrganization || Given.Length == 0 ? Join(Family, Suffix) : Join(Given + " " + Family, Suffix);

    /// <summary>"van Beethoven, Ludwig" (RIS, reference managers); an organisation or a single name as is.</summary>
    public string Inverted => IsOrganization || Given.Length == 0
        ? Display
        : Suffix.Length == 0 ? $"{Family}, {Given}" : $"{Family}, {Given}, {Suffix}";

    /// <summary>Splits a name as a source lists it: "Given Family", or "Family, Given" when it has a comma.</summary>
    public static PersonName Parse(string raw)
    {
        var name = Regex.Replace(raw ?? "", @"\s+", " ").Trim();
        var words = name.Split(' ');
        if (words.Length > 1 && words.Any(w => OrganizationWords.Contains(w.TrimEnd(',')) || w.EndsWith("-AI", StringComparison.Ordinal)))
        {
            return new PersonName("", name, "", true);
        }

        var comma = name.IndexOf(',');
        if (comma > 0)
        {
            var family = name[..comma].Trim();
            var rest = name[(comma + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return rest.Length switch
            {
                0 => new PersonName("", family, "", false),
                1 => new PersonName(rest[0], family, "", false),
                _ => new PersonName(rest[1], family, rest[0], false),
            };
        }

        var suffix = "";
        if (words.Length > 2 && Suffixes.Contains(words[^1]))
        {
            suffix = words[^1];
            words = words[..^1];
        }

        if (words.Length == 1)
        {
            return new PersonName("", words[0], suffix, false);
        }

        // the family name is the last word plus any lower-case particles right before it ("van der Waals")
        var start = words.Length - 1;
        while (start > 1 && Particles.Contains(words[start - 1]))
        {
            start--;
        }

        return new PersonName(string.Join(' ', words[..start]), string.Join(' ', words[start..]), suffix, false);
    }

    private static string Join(string a, string b) => b.Length == 0 ? a : a + " " + b;
}

/// <summary>What a citation can say about a paper, taken from the stored record (never invented).</summary>
public sealed record CitationFacts(
    Paper Paper,
    string Title,
    IReadOnlyList<PersonName> Authors,
    int? AuthorCount,
    DateOnly? Date,
    string? ArxivId,
    string? PrimaryClass,
    string? Url,
    string? PdfUrl)
{
    /// <summary>The arXiv category pattern: "cs.CL", "hep-th", "math.AG", "q-bio.NC", "stat.ML".</summary>
    private static readonly Regex Category = new(@"^[a-z]+(-[a-z]+)?(\.[A-Za-z]{2,})?$", RegexOptions.CultureInvariant);

    public bool IsArxiv => ArxivId is not null;

    public int? Year => Date?.Year;

    public static CitationFacts From(Paper p)
    {
        var arxiv = PaperId.NormalizeArxivId(p.ArxivId) ?? (PaperId.IsTitleId(p.Id) ? null : PaperId.NormalizeArxivId(p.Id));
        string? primary = p.Categories.Select(c => c.Trim()).FirstOrDefault(c => Category.IsMatch(c));
        if (primary is null && arxiv is not null && arxiv.Contains('/'))
        {
            primary = arxiv[..arxiv.IndexOf('/')]; // old-style ids name their archive: hep-th/9901001
        }

        var url = SafeUrl(arxiv is null ? null : $"https://arxiv.org/abs/{arxiv}") ?? SafeUrl(p.ArxivUrl) ?? SafeUrl(p.HfUrl) ?? SafeUrl(p.ProjectPage) ?? SafeUrl(p.GithubUrl);
        var pdf = SafeUrl(p.PdfUrl) ?? SafeUrl(arxiv is null ? null : $"https://arxiv.org/pdf/{arxiv}");
        var authors = p.Authors.Where(a => !string.IsNullOrWhiteSpace(a)).Select(PersonName.Parse).ToList();
        return new CitationFacts(p, OneLine(p.Title), authors, p.AuthorCount ?? (authors.Count > 0 ? authors.Count : null),
            p.Published ?? p.FeaturedOn, arxiv, primary, url, pdf);
    }

    /// <summary>Collapses whitespace and line breaks.</summary>
    public static string OneLine(string? text) => Regex.Replace(text ?? "", @"\s+", " ").Trim();

    /// <summary>An absolute http(s) URL without characters that would break a citation field (braces, quotes, spaces); else null.</summary>
    public static string? SafeUrl(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
        && url.Trim().IndexOfAny(['{', '}', '"', ' ', '\\', '<', '>', '\n', '\r', '\t']) < 0
            ? url.Trim()
            : null;

    /// <summary>ASCII letters and digits of a text, lower-cased, diacritics removed ("Müller" → "muller").</summary>
    public static string AsciiKey(string text)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (ch is 'ß')
            {
                sb.Append("ss");
            }
        }

        return sb.ToString();
    }
}
