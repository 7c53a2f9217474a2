using PaperBot.Core.Papers;

namespace PaperBot.Core.Citations;

/// <summary>Citations of stored papers in one of the <see cref="CitationFormat"/>s (shared by `/cite` and `paperbot cite`).</summary>
public static class CitationWriter
{
    public static string Write(IEnumerable<Paper> papers, CitationFormat format)
    {
        var facts = papers.Select(CitationFacts.From).ToList();
        return format switch
        {
            CitationFormat.Markdown => MarkdownCitationWriter.Write(facts),
            CitationFormat.Ris => RisWriter.Write(facts),
            _ => BibTexWriter.Write(facts),
        };
    }
}
