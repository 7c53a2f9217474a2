using System.Globalization;
using System.Text.RegularExpressions;
using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Parsing;

/// <summary>
/// Parses text copied from a Hugging Face papers page: header noise ("Get trending papers…", "Subscribe", "Daily Papers",
/// "byAK and the research community"), the page's date ("Dec 8"), then per paper a title line, an abstract paragraph and
/// an optional metadata block — "• 6 authors" or an organisation ("kyutai Kyutai": handle then name), "·", and a date with
/// or without a year, optionally followed by the upvote count ("Oct 14 4"). Blocks are separated by blank lines; the
/// metadata may also be on one line ("• 6 authors · Dec 29, 2020 12").
/// <para>
/// Year-less dates: Hugging Face omits the year for dates in the current year, so the page's year is one more than the
/// latest explicit year on the page (without any, the latest year that does not put the page date after today). A
/// year-less date that would fall after the page date belongs to the year before. These papers have no arXiv id, so they
/// get title ids and are folded into arXiv records of the same title by the store.
/// </para>
/// </summary>
public static partial class HfPageTextParser
{
    public const string SourceTag = "hf-page";

    private static readonly HashSet<string> HeaderNoise = new(StringComparer.OrdinalIgnoreCase)
    {
        "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers", "byAK and the research community",
    };

    [GeneratedRegex(@"^(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?<day>\d{1,2})(?:,\s*(?<year>\d{4}))?(?:\s+(?<up>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^•\s*(?<n>\d+)\s+authors?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorsLine();

    /// <summary>True when <paramref name="text"/> looks like HF page text (used by format detection).</summary>
    public static bool LooksLike(string text)
    {
        var head = text.Length > 4000 ? text[..4000] : text;
        return head.Contains("byAK and the research community", StringComparison.OrdinalIgnoreCase) ||
               head.Contains("Get trending papers in your email inbox", StringComparison.OrdinalIgnoreCase) ||
               (head.Contains("\n·", StringComparison.Ordinal) && AuthorsLineAnywhere().IsMatch(head));
    }

    [GeneratedRegex(@"^\s*•\s*\d+\s+authors?\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorsLineAnywhere();

    public static ParseResult Parse(string text, string source, DateOnly today)
    {
        var result = new ParseResult(IngestFormat.HfPageText);
        var blocks = SplitBlocks(text);
        var i = 0;
        while (i < blocks.Count && blocks[i].Lines.Count == 1 && HeaderNoise.Contains(blocks[i].Lines[0]))
        {
            i++;
        }

        (int Month, int Day)? pageMonthDay = null;
        if (i < blocks.Count && blocks[i].Lines.Count == 1 && DateLine().Match(blocks[i].Lines[0]) is { Success: true } pm && !pm.Groups["year"].Success)
        {
            pageMonthDay = (Month(pm.Groups["mon"].Value), int.Parse(pm.Groups["day"].Value, CultureInfo.InvariantCulture));
            i++;
        }

        var pageDate = ResolvePageDate(pageMonthDay, blocks.Skip(i), today);

        Paper? current = null;
        var currentLine = 0;
        var hasAbstract = false;
        for (; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (IsMetadata(block))
            {
                if (current is null)
                {
                    result.Issues.Add(new IngestIssue(source, $"line {block.Line}", "metadata block without a paper title before it; skipped"));
                    continue;
                }

                if (!ApplyMetadata(current, block, pageDate, out var error))
                {
                    result.Issues.Add(new IngestIssue(source, $"line {block.Line}", $"unrecognised metadata for \"{current.Title}\": {error}; kept the paper without it"));
                }

                continue;
            }

            if (current is null || hasAbstract)
            {
                Flush();
                current = new Paper { Title = string.Join(' ', block.Lines), Sources = [SourceTag] };
                currentLine = block.Line;
                hasAbstract = false;
            }
            else
            {
                current.Abstract = string.Join(' ', block.Lines);
                hasAbstract = true;
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (current is null)
            {
                return;
            }

            if (current.Title.Length > 400)
            {
                result.Issues.Add(new IngestIssue(source, $"line {currentLine}", "expected a title line but found a long paragraph; skipped"));
            }
            else
            {
                result.Papers.Add(current);
            }

            current = null;
        }
    }

    private static DateOnly ResolvePageDate((int Month, int Day)? pageMonthDay, IEnumerable<Block> rest, DateOnly today)
    {
        if (pageMonthDay is not { } md)
        {
            return today;
        }

        var maxYear = 0;
        foreach (var b in rest)
        {
            foreach (var line in b.Lines)
            {
                foreach (var part in line.Split('·', StringSplitOptions.TrimEntries))
                {
                    if (DateLine().Match(part) is { Success: true } m && m.Groups["year"].Success)
                    {
                        maxYear = Math.Max(maxYear, int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        if (maxYear > 0 && SafeDate(maxYear + 1, md.Month, md.Day) is { } inferred && inferred <= today)
        {
            return inferred;
        }

        var candidate = SafeDate(today.Year, md.Month, md.Day) ?? today;
        return candidate > today ? SafeDate(today.Year - 1, md.Month, md.Day) ?? today : candidate;
    }

    private static bool IsMetadata(Block block) =>
        block.Lines.Any(l => l == "·" || l.StartsWith('•') || (l.Contains(" · ", StringComparison.Ordinal) && l.Length < 200));

    private static bool ApplyMetadata(Paper paper, Block block, DateOnly pageDate, out string error)
    {
        // Accept both the multi-line form ("• 6 authors" / "·" / "Dec 29, 2020") and the one-line form.
        var parts = string.Join(" · ", block.Lines)
            .Split('·', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ok = false;
        error = "";
        foreach (var part in parts)
        {
            if (AuthorsLine().Match(part) is { Success: true } am)
            {
                paper.AuthorCount = int.Parse(am.Groups["n"].Value, CultureInfo.InvariantCulture);
                ok = true;
            }
            else if (DateLine().Match(part) is { Success: true } dm)
            {
                var month = Month(dm.Groups["mon"].Value);
                var day = int.Parse(dm.Groups["day"].Value, CultureInfo.InvariantCulture);
                DateOnly? date;
                if (dm.Groups["year"].Success)
                {
                    date = SafeDate(int.Parse(dm.Groups["year"].Value, CultureInfo.InvariantCulture), month, day);
                }
                else
                {
                    date = SafeDate(pageDate.Year, month, day);
                    if (date > pageDate)
                    {
                        date = SafeDate(pageDate.Year - 1, month, day);
                    }
                }

                if (date is null)
                {
                    error = $"invalid date '{part}'";
                    return false;
                }

                paper.Published = date;

                // The page shows the upvote count after the date; no count shown means none.
                paper.Upvotes = dm.Groups["up"].Success ? int.Parse(dm.Groups["up"].Value, CultureInfo.InvariantCulture) : 0;
                ok = true;
            }
            else if (!part.StartsWith('•'))
            {
                // Organisation card: "<handle> <display name>" or just one name.
                var space = part.IndexOf(' ', StringComparison.Ordinal);
                paper.Organization = space > 0 ? part[(space + 1)..].Trim() : part;
                ok = true;
            }
            else
            {
                error = $"cannot read '{part}'";
                return false;
            }
        }

        if (!ok)
        {
            error = "empty metadata";
        }

        return ok;
    }

    private static int Month(string mon) =>
        DateTime.ParseExact(mon[..3], "MMM", CultureInfo.InvariantCulture).Month;

    private static DateOnly? SafeDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;

    private sealed record Block(int Line, List<string> Lines);

    private static List<Block> SplitBlocks(string text)
    {
        var blocks = new List<Block>();
        List<string>? cur = null;
        var lineNo = 0;
        var start = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNo++;
            var line = raw.Trim().Replace('\u00a0', ' ');
            if (line.Length == 0)
            {
                if (cur is not null)
                {
                    blocks.Add(new Block(start, cur));
                    cur = null;
                }

                continue;
            }

            if (cur is null)
            {
                cur = [];
                start = lineNo;
            }

            cur.Add(line);
        }

        if (cur is not null)
        {
            blocks.Add(new Block(start, cur));
        }

        return blocks;
    }
}
