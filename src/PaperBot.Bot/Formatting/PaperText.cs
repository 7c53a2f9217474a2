using System.Globalization;
using System.Text;
using PaperBot.Core.Papers;

namespace PaperBot.Bot.Formatting;

/// <summary>Plain-text pieces of a paper for embeds and messages (Markdown-safe, length-bounded).</summary>
public static class PaperText
{
    /// <summary>"[arXiv](…) · [PDF](…) · [HF](…) · [Code](…)" with the links the paper has (arXiv/PDF derived from the arXiv id).</summary>
    public static string Links(Paper p)
    {
        var links = new List<string>();
        var arxiv = p.ArxivUrl ?? (p.ArxivId is { Length: > 0 } a ? $"https://arxiv.org/abs/{a}" : null);
        var pdf = p.PdfUrl ?? (p.ArxivId is { Length: > 0 } b ? $"https://arxiv.org/pdf/{b}" : null);
        var hf = p.HfUrl ?? (p.ArxivId is { Length: > 0 } c ? $"https://huggingface.co/papers/{c}" : null);
        Add(links, "arXiv", arxiv);
        Add(links, "PDF", pdf);
        Add(links, "HF", hf);
        Add(links, p.GithubStars is { } stars ? $"Code ★{stars.ToString("N0", CultureInfo.InvariantCulture)}" : "Code", p.GithubUrl);
        Add(links, "Project", p.ProjectPage);
        return links.Count == 0 ? "no links known" : string.Join(" · ", links);
    }

    /// <summary>The best single link for a title (arXiv, else HF, else code).</summary>
    public static string? MainUrl(Paper p) =>
        p.ArxivUrl ?? (p.ArxivId is { Length: > 0 } a ? $"https://arxiv.org/abs/{a}" : null) ?? p.HfUrl ?? p.GithubUrl ?? p.ProjectPage;

    /// <summary>"A, B, C et al. (12 authors)" bounded to <paramref name="max"/> chars.</summary>
    public static string Authors(Paper p, int max = 200)
    {
        if (p.Authors.Count == 0)
        {
            return p.AuthorCount is { } n ? $"{n} authors" : "authors not listed";
        }

        var shown = string.Join(", ", p.Authors.Take(5));
        var total = Math.Max(p.Authors.Count, p.AuthorCount ?? 0);
        if (total > 5)
        {
            shown += $" et al. ({total} authors)";
        }

        return Truncate(shown, max);
    }

    /// <summary>"📅 2026-11-20 · ▲ 123 · Org" — the facts a list line shows.</summary>
    public static string Facts(Paper p)
    {
        var parts = new List<string>();
        if ((p.FeaturedOn ?? p.Published) is { } d)
        {
            parts.Add(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (p.Upvotes is { } u)
        {
            parts.Add($"▲ {u.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!string.IsNullOrWhiteSpace(p.Organization))
        {
            parts.Add(p.Organization!);
        }

        parts.Add($"`{p.Id}`");
        return string.Join(" · ", parts);
    }

    /// <summary>Cuts at a word boundary and adds "…" when longer than <paramref name="max"/>.</summary>
    public static string Truncate(string? text, int max)
    {
        if (string.IsNullOrEmpty(text) || text.Length <= max)
        {
            return text ?? "";
        }

        var cut = text.LastIndexOf(' ', Math.Max(0, max - 1));
        if (cut < max / 2)
        {
            cut = max - 1;
        }

        return text[..cut].TrimEnd() + "…";
    }

    /// <summary>Collapses whitespace and line breaks, so an abstract reads as one paragraph.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    private static void Add(List<string> links, string label, string? url)
    {
        if (!string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http")
        {
            links.Add($"[{label}]({url})");
        }
    }
}
