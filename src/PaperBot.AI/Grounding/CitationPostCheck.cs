using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PaperBot.AI.Offline;
using PaperBot.AI.Plugins;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Grounding;

/// <summary>
/// The grounding post-check of model output. Only papers retrieved in the turn may be cited or linked:
/// <list type="bullet">
/// <item>citations in any form the models use ([2], [1, 3], [1-3], [1–3], [Ref. 4], [refs 1, 2], [Paper 2], [^1],
/// 【1】, [id:2401.01234], [2401.01234]) map to retrieved papers, are renumbered [1], [2], … in order of first use,
/// and every one that is not retrieved is removed and reported;</item>
/// <item>masked links and bare URLs survive only when they point at a retrieved paper (its HF, arXiv, PDF, code or
/// project page); otherwise the link is dropped (the link text stays) and reported;</item>
/// <item>paper names the model quotes or emphasises that match no retrieved title are reported as unverified.</item>
/// </list>
/// </summary>
public static partial class CitationPostCheck
{
    [GeneratedRegex(@"(?<!!)\[(?<text>[^\[\]\n]{1,300})\]\((?<url>[^)\s]{1,2000})(?:\s+""[^""]*"")?\)", RegexOptions.CultureInvariant)]
    private static partial Regex MaskedLink();

    [GeneratedRegex(@"<?(?<url>https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'""])>?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"\[(?<body>[^\[\]\n]{1,120})\]|【(?<body>[^【】\n]{1,60})】", RegexOptions.CultureInvariant)]
    private static partial Regex Bracket();

    // One citation token: 3 | ref 3 | ref. 3 | refs 3 | reference 3 | paper 3 | source 3 | doc 3 | ^3 | #3 | 1-3 | 1–3 | id:… | arXiv:… | t:…
    [GeneratedRegex(@"^(?:(?:refs?|references?|papers?|sources?|docs?|citations?)\.?\s*|\^|#)?(?<n>\d{1,3})(?:\s*[-–—]\s*(?<to>\d{1,3}))?$|^(?:id\s*:\s*|arxiv\s*:\s*)?(?<id>\d{4}\.\d{4,5})(?:v\d+)?$|^id\s*:\s*(?<any>\S+)$|^(?<t>t:[0-9a-f]{6,})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    // "Quoted Names", “curly quotes”, *italic*, **bold**, _italic_: candidate paper names.
    [GeneratedRegex(@"""(?<n>[^""\n]{8,200})""|“(?<n>[^”\n]{8,200})”|\*\*(?<n>[^*\n]{8,200})\*\*|(?<![*\w])\*(?<n>[^*\n]{8,200})\*(?![*\w])|(?<![_\w])_(?<n>[^_\n]{8,200})_(?![_\w])", RegexOptions.CultureInvariant)]
    private static partial Regex NamedSpan();

    public static GroundedText Apply(string text, Func<int, Paper?> byRef, Func<string, Paper?> byId, IReadOnlyCollection<Paper> retrieved)
    {
        var removedLinks = new List<string>();
        var linkTexts = new List<string>();
        var allowedUrls = retrieved.SelectMany(UrlsOf).Select(NormalizeUrl).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // 1. Masked links: [text](url). A citation-looking text is handled with the citations below.
        var result = MaskedLink().Replace(text, m =>
        {
            var url = m.Groups["url"].Value.Trim('<', '>');
            if (allowedUrls.Contains(NormalizeUrl(url)))
            {
                return m.Value;
            }

            removedLinks.Add(url);
            var linkText = m.Groups["text"].Value;
            var parts = linkText.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 0 && parts.All(t => Token().IsMatch(t)))
            {
                return "[" + linkText + "]"; // a citation with a link: checked as a citation below
            }

            linkTexts.Add(linkText.Trim());
            return linkText;
        });

        // 2. Bare URLs (Discord turns them into links).
        result = BareUrl().Replace(result, m =>
        {
            var url = m.Groups["url"].Value;
            if (allowedUrls.Contains(NormalizeUrl(url)) || IsInsideAllowedMaskedLink(result, m.Index))
            {
                return m.Value;
            }

            removedLinks.Add(url);
            return "(link removed)";
        });

        // 3. Citations.
        var citations = new CitationSet();
        var removed = new List<string>();
        result = Bracket().Replace(result, m =>
        {
            var body = m.Groups["body"].Value;
            var tokens = body.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(SplitAnd)
                .ToList();
            if (tokens.Count == 0 || !tokens.All(t => Token().IsMatch(t)))
            {
                return m.Value; // not a citation (e.g. link text, a bracketed remark)
            }

            var sb = new StringBuilder();
            foreach (var t in tokens)
            {
                var tm = Token().Match(t);
                var papers = new List<(string Token, Paper? Paper)>();
                if (tm.Groups["n"].Success)
                {
                    var from = int.Parse(tm.Groups["n"].Value, CultureInfo.InvariantCulture);
                    var to = tm.Groups["to"].Success ? int.Parse(tm.Groups["to"].Value, CultureInfo.InvariantCulture) : from;
                    if (to < from || to - from > 20)
                    {
                        removed.Add(t);
                        continue;
                    }

                    for (var n = from; n <= to; n++)
                    {
                        papers.Add((from == to ? t : n.ToString(CultureInfo.InvariantCulture), byRef(n)));
                    }
                }
                else
                {
                    var id = tm.Groups["id"].Success ? tm.Groups["id"].Value : tm.Groups["any"].Success ? tm.Groups["any"].Value : tm.Groups["t"].Value;
                    papers.Add((t, byId(id)));
                }

                foreach (var (token, paper) in papers)
                {
                    if (paper is null)
                    {
                        removed.Add(token);
                        continue;
                    }

                    var marker = $"[{citations.NumberOf(paper)}]";
                    if (!sb.ToString().Contains(marker, StringComparison.Ordinal))
                    {
                        sb.Append(marker);
                    }
                }
            }

            return sb.ToString();
        });

        // 4. Paper names that match no retrieved paper.
        var titles = retrieved.Select(p => TextAnalysis.Terms(p.Title).ToHashSet()).ToList();
        var unverified = NamedSpan().Matches(result)
            .Select(m => m.Groups["n"].Value.Trim())
            .Concat(linkTexts)
            .Where(LooksLikePaperName)
            .Where(n => !titles.Any(t => Matches(t, n)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        result = SpaceBeforePunctuation().Replace(result, "$1");
        result = DoubleSpaces().Replace(result, " ");
        return new GroundedText(result.Trim(), citations.Citations, removed, removedLinks, unverified);
    }

    public static GroundedText Apply(string text, RetrievalLog log) => Apply(text, log.ByRef, log.ById, log.Papers);

    /// <summary>For prompts that numbered the papers themselves ([1]..[N] = <paramref name="papers"/>).</summary>
    public static GroundedText Apply(string text, IReadOnlyList<Paper> papers) =>
        Apply(text, n => n >= 1 && n <= papers.Count ? papers[n - 1] : null, id => papers.FirstOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase)), papers);

    /// <summary>Every link that identifies the paper.</summary>
    public static IEnumerable<string> UrlsOf(Paper p)
    {
        yield return PaperLinks.Url(p);
        foreach (var u in new[] { p.HfUrl, p.ArxivUrl, p.PdfUrl, p.GithubUrl, p.ProjectPage })
        {
            if (!string.IsNullOrWhiteSpace(u))
            {
                yield return u;
            }
        }

        if (!string.IsNullOrWhiteSpace(p.ArxivId))
        {
            yield return "https://arxiv.org/abs/" + p.ArxivId;
            yield return "https://arxiv.org/pdf/" + p.ArxivId;
            yield return "https://huggingface.co/papers/" + p.ArxivId;
        }
    }

    private static IEnumerable<string> SplitAnd(string token) =>
        token.Split([" and ", " & "], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool IsInsideAllowedMaskedLink(string text, int index) =>
        index >= 2 && text[index - 1] == '(' && text[index - 2] == ']';

    /// <summary>Scheme, "www.", trailing slash, arXiv version and ".pdf" do not make a different paper.</summary>
    private static string NormalizeUrl(string url)
    {
        var u = url.Trim().Trim('<', '>');
        u = Scheme().Replace(u, "");
        u = u.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? u[4..] : u;
        u = u.TrimEnd('/');
        if (u.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            u = u[..^4];
        }

        return ArxivVersion().Replace(u, "$1");
    }

    /// <summary>At least three words, mostly capitalised or with a colon: a title rather than an emphasised phrase.</summary>
    private static bool LooksLikePaperName(string span)
    {
        var words = span.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3 || words.Length > 30)
        {
            return false;
        }

        var capitalised = words.Count(w => char.IsUpper(w[0]) || char.IsDigit(w[0]));
        return capitalised * 2 > words.Length || (span.Contains(':') && capitalised >= 1 && char.IsUpper(words[0][0]));
    }

    /// <summary>Most of the name is in the title and it covers much of the title: a short or partial form of it.</summary>
    private static bool Matches(HashSet<string> titleTerms, string name)
    {
        var terms = TextAnalysis.Terms(name).Distinct().ToList();
        if (terms.Count == 0)
        {
            return true;
        }

        var hit = terms.Count(titleTerms.Contains);
        return hit >= 0.7 * terms.Count && hit * 2 >= Math.Min(titleTerms.Count, 4);
    }

    [GeneratedRegex(@"^https?://", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"(\d{4}\.\d{4,5})v\d+$")]
    private static partial Regex ArxivVersion();

    [GeneratedRegex(@"[ \t]+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"(?<=\S)[ \t]{2,}")]
    private static partial Regex DoubleSpaces();
}

public sealed record GroundedText(string Markdown, IReadOnlyList<Citation> Citations, IReadOnlyList<string> Removed, IReadOnlyList<string> RemovedLinks, IReadOnlyList<string> Unverified)
{
    public GroundedText(string markdown, IReadOnlyList<Citation> citations, IReadOnlyList<string> removed)
        : this(markdown, citations, removed, [], [])
    {
    }

    /// <summary>True when anything was removed or flagged.</summary>
    public bool Changed => Removed.Count > 0 || RemovedLinks.Count > 0 || Unverified.Count > 0;

    public string? RemovedNotice
    {
        get
        {
            var parts = new List<string>();
            if (Removed.Count > 0)
            {
                parts.Add($"Removed {Removed.Count} citation(s) to papers that were not among the retrieved results ({string.Join(", ", Removed.Distinct().Select(r => "[" + r + "]"))}).");
            }

            if (RemovedLinks.Count > 0)
            {
                parts.Add($"Removed {RemovedLinks.Count} link(s) that do not point to a retrieved paper.");
            }

            if (Unverified.Count > 0)
            {
                parts.Add($"Not among the retrieved papers, so unverified: {string.Join("; ", Unverified.Select(u => "\"" + TextAnalysis.Truncate(u, 80) + "\""))}.");
            }

            return parts.Count == 0 ? null : string.Join(' ', parts);
        }
    }
}
