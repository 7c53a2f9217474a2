using System.Text;
using System.Text.RegularExpressions;
using PaperBot.AI.Plugins;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Grounding;

/// <summary>
/// Maps the model's citations ([ref], [id:2401.01234], [2401.01234], "[1, 3]") to the papers really retrieved during
/// the turn, renumbers them [1], [2], … in order of first use, and removes (and reports) every citation that is not
/// among the retrieved papers — the rule is no invented papers.
/// </summary>
public static partial class CitationPostCheck
{
    [GeneratedRegex(@"\[(?<body>[^\[\]\n]{1,120})\](?:\((?<link>[^)\s]*)\))?", RegexOptions.CultureInvariant)]
    private static partial Regex Bracket();

    [GeneratedRegex(@"^(?:ref\s*)?(?<n>\d{1,3})$|^(?:id\s*:\s*|arxiv\s*:\s*)?(?<id>\d{4}\.\d{4,5})(?:v\d+)?$|^id\s*:\s*(?<any>\S+)$|^(?<t>t:[0-9a-f]{6,})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    public static GroundedText Apply(string text, Func<int, Paper?> byRef, Func<string, Paper?> byId)
    {
        var citations = new CitationSet();
        var removed = new List<string>();
        var result = Bracket().Replace(text, m =>
        {
            var tokens = m.Groups["body"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0 || !tokens.All(t => Token().IsMatch(t)))
            {
                return m.Value; // not a citation (e.g. a markdown link text)
            }

            var sb = new StringBuilder();
            foreach (var t in tokens)
            {
                var tm = Token().Match(t);
                Paper? paper;
                if (tm.Groups["n"].Success)
                {
                    paper = byRef(int.Parse(tm.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    var id = tm.Groups["id"].Success ? tm.Groups["id"].Value : tm.Groups["any"].Success ? tm.Groups["any"].Value : tm.Groups["t"].Value;
                    paper = byId(id);
                }

                if (paper is null)
                {
                    removed.Add(t);
                    continue;
                }

                var n = citations.NumberOf(paper);
                var marker = $"[{n}]";
                if (!sb.ToString().Contains(marker, StringComparison.Ordinal))
                {
                    sb.Append(marker);
                }
            }

            return sb.ToString();
        });

        // Tidy spaces left before punctuation by removed citations.
        result = Regex.Replace(result, @"[ \t]+([.,;:!?])", "$1");
        result = Regex.Replace(result, @"(?<=\S)[ \t]{2,}", " ");
        return new GroundedText(result.Trim(), citations.Citations, removed);
    }

    public static GroundedText Apply(string text, RetrievalLog log) => Apply(text, log.ByRef, log.ById);

    /// <summary>For prompts that numbered the papers themselves ([1]..[N] = <paramref name="papers"/>).</summary>
    public static GroundedText Apply(string text, IReadOnlyList<Paper> papers) =>
        Apply(text, n => n >= 1 && n <= papers.Count ? papers[n - 1] : null, id => papers.FirstOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase)));
}

public sealed record GroundedText(string Markdown, IReadOnlyList<Citation> Citations, IReadOnlyList<string> Removed)
{
    public string? RemovedNotice => Removed.Count == 0
        ? null
        : $"Removed {Removed.Count} citation(s) to papers that were not among the retrieved results ({string.Join(", ", Removed.Distinct().Select(r => "[" + r + "]"))}).";
}
