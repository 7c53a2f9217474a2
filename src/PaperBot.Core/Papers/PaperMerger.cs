namespace PaperBot.Core.Papers;

/// <summary>
/// Merges what a source says about a paper into what is already known, never downgrading:
/// upvotes/stars take the max, the longer abstract wins, null fields are filled, lists are unioned,
/// and author names replace a bare author count. Merging the same data twice reports no change.
/// </summary>
public static class PaperMerger
{
    /// <summary>
    /// Cleans a paper coming from a source: trims text, normalises the arXiv id, assigns the deterministic id when empty,
    /// drops empty list entries and keeps <see cref="Paper.AuthorCount"/> equal to the number of names when names are known.
    /// </summary>
    public static Paper Normalize(Paper p)
    {
        ArgumentNullException.ThrowIfNull(p);
        // JSON input may carry explicit nulls for lists and text.
        p.Title ??= "";
        p.Authors ??= [];
        p.Keywords ??= [];
        p.Categories ??= [];
        p.Sources ??= [];
        p.Title = CollapseSpaces(StripNul(p.Title));
        p.Abstract = StripNul(p.Abstract ?? "").Trim();
        p.ArxivId = PaperId.NormalizeArxivId(p.ArxivId);
        if (string.IsNullOrWhiteSpace(p.Id))
        {
            p.Id = PaperId.For(p);
        }

        p.Authors = [.. p.Authors.Select(a => CollapseSpaces(StripNul(a ?? ""))).Where(a => a.Length > 0)];
        p.Keywords = Distinct(p.Keywords.Select(k => CollapseSpaces(StripNul(k ?? ""))), StringComparer.OrdinalIgnoreCase);
        p.Categories = Distinct(p.Categories.Select(k => CollapseSpaces(StripNul(k ?? ""))), StringComparer.OrdinalIgnoreCase);
        p.Sources = Distinct(p.Sources.Select(k => CollapseSpaces(StripNul(k ?? ""))), StringComparer.OrdinalIgnoreCase);
        if (p.Authors.Count > 0)
        {
            p.AuthorCount = p.Authors.Count;
        }

        p.Organization = NullIfBlank(p.Organization);
        p.AiSummary = NullIfBlank(p.AiSummary);
        p.ArxivUrl = NullIfBlank(p.ArxivUrl);
        p.PdfUrl = NullIfBlank(p.PdfUrl);
        p.HfUrl = NullIfBlank(p.HfUrl);
        p.GithubUrl = NullIfBlank(p.GithubUrl);
        p.ProjectPage = NullIfBlank(p.ProjectPage);
        return p;
    }

    /// <summary>
    /// Merges <paramref name="incoming"/> into <paramref name="target"/> (mutated in place; its id is kept).
    /// Returns true when <paramref name="target"/> changed.
    /// </summary>
    public static bool Merge(Paper target, Paper incoming)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(incoming);
        var changed = false;

        if (string.IsNullOrWhiteSpace(target.Title) && !string.IsNullOrWhiteSpace(incoming.Title))
        {
            target.Title = incoming.Title;
            changed = true;
        }

        if ((incoming.Abstract?.Length ?? 0) > (target.Abstract?.Length ?? 0))
        {
            target.Abstract = incoming.Abstract!;
            changed = true;
        }

        changed |= Fill(target.ArxivId, incoming.ArxivId, v => target.ArxivId = v);
        changed |= Fill(target.Organization, incoming.Organization, v => target.Organization = v);
        changed |= Fill(target.ArxivUrl, incoming.ArxivUrl, v => target.ArxivUrl = v);
        changed |= Fill(target.PdfUrl, incoming.PdfUrl, v => target.PdfUrl = v);
        changed |= Fill(target.HfUrl, incoming.HfUrl, v => target.HfUrl = v);
        changed |= Fill(target.GithubUrl, incoming.GithubUrl, v => target.GithubUrl = v);
        changed |= Fill(target.ProjectPage, incoming.ProjectPage, v => target.ProjectPage = v);
        changed |= Fill(target.AiSummary, incoming.AiSummary, v => target.AiSummary = v);

        if (target.Published is null && incoming.Published is not null)
        {
            target.Published = incoming.Published;
            changed = true;
        }

        if (target.FeaturedOn is null && incoming.FeaturedOn is not null)
        {
            target.FeaturedOn = incoming.FeaturedOn;
            changed = true;
        }

        changed |= Max(target.Upvotes, incoming.Upvotes, v => target.Upvotes = v);
        changed |= Max(target.GithubStars, incoming.GithubStars, v => target.GithubStars = v);

        // Names beat a bare count; a longer name list beats a shorter one (some sources truncate).
        if (incoming.Authors.Count > target.Authors.Count)
        {
            target.Authors = [.. incoming.Authors];
            changed = true;
        }

        if (target.Authors.Count > 0)
        {
            if (target.AuthorCount != target.Authors.Count)
            {
                target.AuthorCount = target.Authors.Count;
                changed = true;
            }
        }
        else
        {
            changed |= Max(target.AuthorCount, incoming.AuthorCount, v => target.AuthorCount = v);
        }

        changed |= Union(target.Keywords, incoming.Keywords);
        changed |= Union(target.Categories, incoming.Categories);
        changed |= Union(target.Sources, incoming.Sources);
        return changed;
    }

    /// <summary>
    /// Applies a correction: every field <paramref name="incoming"/> carries (non-blank text, non-null number or date,
    /// non-empty list) replaces the one in <paramref name="target"/>, even if it is "smaller"; fields it lacks are kept.
    /// Sources are unioned (where a paper was seen stays known). Returns true when <paramref name="target"/> changed.
    /// </summary>
    public static bool Replace(Paper target, Paper incoming)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(incoming);
        var changed = false;
        void Set<T>(T current, T value, bool present, Action<T> set)
        {
            if (present && !EqualityComparer<T>.Default.Equals(current, value))
            {
                set(value);
                changed = true;
            }
        }

        Set(target.Title, incoming.Title, !string.IsNullOrWhiteSpace(incoming.Title), v => target.Title = v);
        Set(target.Abstract, incoming.Abstract, !string.IsNullOrWhiteSpace(incoming.Abstract), v => target.Abstract = v);
        Set(target.ArxivId, incoming.ArxivId, !string.IsNullOrWhiteSpace(incoming.ArxivId), v => target.ArxivId = v);
        Set(target.Organization, incoming.Organization, !string.IsNullOrWhiteSpace(incoming.Organization), v => target.Organization = v);
        Set(target.ArxivUrl, incoming.ArxivUrl, !string.IsNullOrWhiteSpace(incoming.ArxivUrl), v => target.ArxivUrl = v);
        Set(target.PdfUrl, incoming.PdfUrl, !string.IsNullOrWhiteSpace(incoming.PdfUrl), v => target.PdfUrl = v);
        Set(target.HfUrl, incoming.HfUrl, !string.IsNullOrWhiteSpace(incoming.HfUrl), v => target.HfUrl = v);
        Set(target.GithubUrl, incoming.GithubUrl, !string.IsNullOrWhiteSpace(incoming.GithubUrl), v => target.GithubUrl = v);
        Set(target.ProjectPage, incoming.ProjectPage, !string.IsNullOrWhiteSpace(incoming.ProjectPage), v => target.ProjectPage = v);
        Set(target.AiSummary, incoming.AiSummary, !string.IsNullOrWhiteSpace(incoming.AiSummary), v => target.AiSummary = v);
        Set(target.Published, incoming.Published, incoming.Published is not null, v => target.Published = v);
        Set(target.FeaturedOn, incoming.FeaturedOn, incoming.FeaturedOn is not null, v => target.FeaturedOn = v);
        Set(target.Upvotes, incoming.Upvotes, incoming.Upvotes is not null, v => target.Upvotes = v);
        Set(target.GithubStars, incoming.GithubStars, incoming.GithubStars is not null, v => target.GithubStars = v);
        if (incoming.Authors.Count > 0 && !incoming.Authors.SequenceEqual(target.Authors, StringComparer.Ordinal))
        {
            target.Authors = [.. incoming.Authors];
            changed = true;
        }

        var count = target.Authors.Count > 0 ? target.Authors.Count : incoming.AuthorCount ?? target.AuthorCount;
        Set(target.AuthorCount, count, true, v => target.AuthorCount = v);
        foreach (var (current, value, set) in new (List<string>, List<string>, Action<List<string>>)[]
                 {
                     (target.Keywords, incoming.Keywords, v => target.Keywords = v),
                     (target.Categories, incoming.Categories, v => target.Categories = v),
                 })
        {
            if (value.Count > 0 && !value.SequenceEqual(current, StringComparer.Ordinal))
            {
                set([.. value]);
                changed = true;
            }
        }

        changed |= Union(target.Sources, incoming.Sources);
        return changed;
    }

    /// <summary>A deep copy (lists are copied), so a merge on the copy does not touch the original.</summary>
    public static Paper Clone(Paper p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Paper
        {
            Id = p.Id,
            ArxivId = p.ArxivId,
            Title = p.Title,
            Abstract = p.Abstract,
            Authors = [.. p.Authors],
            AuthorCount = p.AuthorCount,
            Organization = p.Organization,
            Published = p.Published,
            FeaturedOn = p.FeaturedOn,
            Upvotes = p.Upvotes,
            ArxivUrl = p.ArxivUrl,
            PdfUrl = p.PdfUrl,
            HfUrl = p.HfUrl,
            GithubUrl = p.GithubUrl,
            GithubStars = p.GithubStars,
            ProjectPage = p.ProjectPage,
            Keywords = [.. p.Keywords],
            AiSummary = p.AiSummary,
            Categories = [.. p.Categories],
            Sources = [.. p.Sources],
            Revision = p.Revision,
        };
    }

    private static bool Fill(string? current, string? incoming, Action<string> set)
    {
        if (string.IsNullOrWhiteSpace(current) && !string.IsNullOrWhiteSpace(incoming))
        {
            set(incoming);
            return true;
        }

        return false;
    }

    private static bool Max(int? current, int? incoming, Action<int> set)
    {
        if (incoming is { } v && (current is null || v > current))
        {
            set(v);
            return true;
        }

        return false;
    }

    private static bool Union(List<string> target, List<string> incoming)
    {
        var changed = false;
        foreach (var s in incoming)
        {
            if (!string.IsNullOrWhiteSpace(s) && !target.Contains(s, StringComparer.OrdinalIgnoreCase))
            {
                target.Add(s);
                changed = true;
            }
        }

        return changed;
    }

    private static List<string> Distinct(IEnumerable<string> items, StringComparer comparer)
    {
        var seen = new HashSet<string>(comparer);
        var list = new List<string>();
        foreach (var s in items)
        {
            if (s.Length > 0 && seen.Add(s))
            {
                list.Add(s);
            }
        }

        return list;
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : StripNul(s).Trim();

    /// <summary>NUL characters carry no text and databases refuse them in strings.</summary>
    private static string StripNul(string s) => s.Contains('\0', StringComparison.Ordinal) ? s.Replace("\0", "", StringComparison.Ordinal) : s;

    private static string CollapseSpaces(string? s) =>
        string.IsNullOrWhiteSpace(s) ? "" : string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
