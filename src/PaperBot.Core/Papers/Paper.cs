namespace PaperBot.Core.Papers;

/// <summary>
/// A research paper as PaperBot knows it. Every source (HF page text, HF API, arXiv Atom, JSONL) maps into this shape;
/// fields a source does not carry stay null/empty and are filled by later merges (see <see cref="PaperMerger"/>).
/// </summary>
public sealed class Paper
{
    /// <summary>Stable id: the arXiv id without version (e.g. "2608.16590") when known, else "t:" + a hash of the normalised title.</summary>
    public string Id { get; set; } = "";

    public string? ArxivId { get; set; }

    public string Title { get; set; } = "";

    public string Abstract { get; set; } = "";

    /// <summary>Author names when the source lists them (in order).</summary>
    public List<string> Authors { get; set; } = [];

    /// <summary>Number of authors; may be known without the names (HF page text says "• 12 authors").</summary>
    public int? AuthorCount { get; set; }

    public string? Organization { get; set; }

    /// <summary>When the paper was published (arXiv v1 date).</summary>
    public DateOnly? Published { get; set; }

    /// <summary>The day it was featured on Hugging Face Daily Papers.</summary>
    public DateOnly? FeaturedOn { get; set; }

    public int? Upvotes { get; set; }

    public string? ArxivUrl { get; set; }

    public string? PdfUrl { get; set; }

    public string? HfUrl { get; set; }

    public string? GithubUrl { get; set; }

    public int? GithubStars { get; set; }

    public string? ProjectPage { get; set; }

    public List<string> Keywords { get; set; } = [];

    public string? AiSummary { get; set; }

    /// <summary>arXiv categories, e.g. "cs.CL".</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>Where this paper was seen: "hf-page", "hf-api", "arxiv", "jsonl", …</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>Store revision of the last change (assigned by the store, monotonically increasing). Used to keep indexes fresh.</summary>
    public long Revision { get; set; }
}
