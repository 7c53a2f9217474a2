namespace PaperBot.Core.Citations;

/// <summary>The citation formats PaperBot writes (`/cite`, `paperbot cite`).</summary>
public enum CitationFormat
{
    BibTex,
    Markdown,
    Ris,
}

/// <summary>Names, file extensions and media types of the <see cref="CitationFormat"/>s.</summary>
public static class CitationFormats
{
    /// <summary>The names users type: bibtex, markdown, ris.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bibtex", "markdown", "ris"];

    /// <summary>bibtex/bib, markdown/md, ris; case-insensitive. False for anything else.</summary>
    public static bool TryParse(string? text, out CitationFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "bibtex" or "bib":
                format = CitationFormat.BibTex;
                return true;
            case "markdown" or "md":
                format = CitationFormat.Markdown;
                return true;
            case "ris":
                format = CitationFormat.Ris;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string Name(this CitationFormat format) => format switch
    {
        CitationFormat.Markdown => "markdown",
        CitationFormat.Ris => "ris",
        _ => "bibtex",
    };

    /// <summary>File name extension with the dot: ".bib", ".md", ".ris".</summary>
    public static string FileExtension(this CitationFormat format) => format switch
    {
        CitationFormat.Markdown => ".md",
        CitationFormat.Ris => ".ris",
        _ => ".bib",
    };

    /// <summary>Media type of a file in this format (UTF-8 text).</summary>
    public static string MediaType(this CitationFormat format) => format switch
    {
        CitationFormat.Markdown => "text/markdown; charset=utf-8",
        CitationFormat.Ris => "application/x-research-info-systems; charset=utf-8",
        _ => "application/x-bibtex; charset=utf-8",
    };

    /// <summary>The language tag of a Markdown code fence showing this format.</summary>
    public static string FenceLanguage(this CitationFormat format) => format switch
    {
        CitationFormat.Markdown => "md",
        CitationFormat.Ris => "",
        _ => "bibtex",
    };
}
