using System.Globalization;
using System.Text;

namespace PaperBot.Core.Citations;

/// <summary>
/// A numbered Markdown reference list: "1. A. Author, B. Author (2017). **Title**. arXiv:1706.03762 [cs.CL]. &lt;url&gt;".
/// Titles and names are escaped, so paper text cannot format or create links; links are angle-bracket autolinks.
/// </summary>
public static class MarkdownCitationWriter
{
    /// <summary>More authors than this are shortened to the first three and "et al.".</summary>
    public const int MaxAuthors = 6;

    public static string Write(IEnumerable<CitationFacts> papers)
    {
        var sb = new StringBuilder();
        var n = 0;
        foreach (var f in papers)
        {
            n++;
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(". ");
            var authors = Authors(f);
            if (authors.Length > 0)
            {
                sb.Append(authors).Append(' ');
            }

            if (f.Year is { } year)
            {
                sb.Append('(').Append(year.ToString(CultureInfo.InvariantCulture)).Append("). ");
            }

            sb.Append("**").Append(Escape(f.Title)).Append("**.");
            if (f.ArxivId is { } arxiv)
            {
                sb.Append(" arXiv:").Append(Escape(arxiv));
                if (f.PrimaryClass is { } c)
                {
                    sb.Append(" \\[").Append(Escape(c)).Append("\\]");
                }

                sb.Append('.');
            }
            else if (f.Paper.FeaturedOn is { } featured)
            {
                sb.Append(" Hugging Face Daily Papers, ").Append(featured.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('.');
            }

            if (f.Url is { } url)
            {
                sb.Append(" <").Append(url).Append('>');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Authors(CitationFacts f)
    {
        if (f.Authors.Count == 0)
        {
            return f.AuthorCount is > 0 and var c ? (c == 1 ? "1 author" : $"{c} authors") : "";
        }

        var names = f.Authors.Count > MaxAuthors ? f.Authors.Take(3).Select(a => a.Display).Append("et al.") : f.Authors.Select(a => a.Display);
        return Escape(string.Join(", ", names));
    }

    /// <summary>Backslash-escapes Markdown (and Discord) formatting and link characters. (Discord sends never ping: every
    /// message carries allowed_mentions.)</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in CitationFacts.OneLine(text))
        {
            if (ch is '\\' or '*' or '_' or '`' or '~' or '|' or '>' or '<' or '[' or ']' or '(' or ')')
            {
                sb.Append('\\');
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }
}
