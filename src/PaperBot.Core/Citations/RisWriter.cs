using System.Globalization;
using System.Text;

namespace PaperBot.Core.Citations;

/// <summary>
/// RIS records (the tagged format reference managers import): "TY  - " first, "ER  - " last, one "XX  - value" line per
/// field, CRLF line ends as the specification asks. An arXiv paper is an unpublished work (UNPB) with its arXiv id as
/// accession number (AN), archive (DB) and note; a paper without one is an electronic citation (ELEC) with its URL.
/// </summary>
public static class RisWriter
{
    private const string Eol = "\r\n";

    public static string Write(IEnumerable<CitationFacts> papers)
    {
        var sb = new StringBuilder();
        foreach (var f in papers)
        {
            Line(sb, "TY", f.IsArxiv ? "UNPB" : "ELEC");
            Line(sb, "TI", f.Title);
            foreach (var a in f.Authors)
            {
                Line(sb, "AU", a.Inverted);
            }

            if (f.Date is { } d)
            {
                Line(sb, "PY", d.Year.ToString(CultureInfo.InvariantCulture));
                Line(sb, "DA", d.ToString("yyyy'/'MM'/'dd'/'", CultureInfo.InvariantCulture));
            }

            if (f.ArxivId is { } arxiv)
            {
                Line(sb, "AN", "arXiv:" + arxiv);
                Line(sb, "DB", "arXiv");
                Line(sb, "N1", f.PrimaryClass is { } c ? $"arXiv:{arxiv} [{c}]" : "arXiv:" + arxiv);
            }
            else
            {
                if (!string.IsNullOrWhiteSpace(f.Paper.Organization))
                {
                    Line(sb, "PB", f.Paper.Organization);
                }

                if (f.Paper.FeaturedOn is { } featured)
                {
                    Line(sb, "N1", "Featured on Hugging Face Daily Papers on " + featured.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
            }

            if (f.Authors.Count == 0 && f.AuthorCount is > 0 and var n)
            {
                Line(sb, "N1", n == 1 ? "1 author (name not recorded)" : $"{n} authors (names not recorded)");
            }

            if (f.Url is { } url)
            {
                Line(sb, "UR", url);
            }

            if (f.PdfUrl is { } pdf)
            {
                Line(sb, "L1", pdf);
            }

            foreach (var kw in f.Paper.Categories.Concat(f.Paper.Keywords).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                Line(sb, "KW", kw);
            }

            sb.Append("ER  - ").Append(Eol);
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string tag, string? value)
    {
        var v = CitationFacts.OneLine(value);
        if (v.Length > 0)
        {
            sb.Append(tag).Append("  - ").Append(v).Append(Eol);
        }
    }
}
