namespace PaperBot.Core.Papers;

/// <summary>
/// Field-size limits a paper must meet to be stored (config section "Storage", keys Max*). A record over a limit is
/// skipped by ingest with its file, position and this reason; the rest of the file goes on. The defaults are far above
/// any real paper (the longest arXiv abstracts are under 2,000 characters) and keep every record well inside the
/// store's own document limits.
/// </summary>
public sealed class PaperLimits
{
    public int MaxTitleChars { get; set; } = 2_000;

    public int MaxAbstractChars { get; set; } = 100_000;

    public int MaxAuthors { get; set; } = 5_000;

    /// <summary>Any other text field (an author name, URL, organisation, AI summary, keyword, category).</summary>
    public int MaxFieldChars { get; set; } = 20_000;

    /// <summary>Entries in each list (keywords, categories, sources).</summary>
    public int MaxListItems { get; set; } = 1_000;

    public static PaperLimits Default { get; } = new();

    /// <summary>Why <paramref name="p"/> cannot be stored, or null when it is within every limit.</summary>
    public string? Check(Paper p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.Title.Length > MaxTitleChars)
        {
            return $"title is {p.Title.Length:N0} characters, over the limit of {MaxTitleChars:N0} (Storage:MaxTitleChars)";
        }

        if (p.Abstract.Length > MaxAbstractChars)
        {
            return $"abstract is {p.Abstract.Length:N0} characters, over the limit of {MaxAbstractChars:N0} (Storage:MaxAbstractChars)";
        }

        if (p.Authors.Count > MaxAuthors)
        {
            return $"{p.Authors.Count:N0} authors, over the limit of {MaxAuthors:N0} (Storage:MaxAuthors)";
        }

        foreach (var (name, list) in new[] { ("keywords", p.Keywords), ("categories", p.Categories), ("sources", p.Sources) })
        {
            if (list.Count > MaxListItems)
            {
                return $"{list.Count:N0} {name}, over the limit of {MaxListItems:N0} (Storage:MaxListItems)";
            }
        }

        foreach (var (name, value) in Fields(p))
        {
            if (value is not null && value.Length > MaxFieldChars)
            {
                return $"{name} is {value.Length:N0} characters, over the limit of {MaxFieldChars:N0} (Storage:MaxFieldChars)";
            }
        }

        return null;
    }

    private static IEnumerable<(string Name, string? Value)> Fields(Paper p)
    {
        yield return ("id", p.Id);
        yield return ("arXiv id", p.ArxivId);
        yield return ("organization", p.Organization);
        yield return ("arXiv URL", p.ArxivUrl);
        yield return ("PDF URL", p.PdfUrl);
        yield return ("HF URL", p.HfUrl);
        yield return ("GitHub URL", p.GithubUrl);
        yield return ("project page", p.ProjectPage);
        yield return ("AI summary", p.AiSummary);
        foreach (var a in p.Authors)
        {
            yield return ("an author name", a);
        }

        foreach (var k in p.Keywords.Concat(p.Categories).Concat(p.Sources))
        {
            yield return ("a keyword, category or source", k);
        }
    }
}
