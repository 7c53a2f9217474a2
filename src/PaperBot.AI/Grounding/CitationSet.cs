using PaperBot.Core.Papers;

namespace PaperBot.AI.Grounding;

/// <summary>Numbers cited papers in order of first use: [1], [2], … each mapping to a real paper id with a link.</summary>
public sealed class CitationSet
{
    private readonly List<Citation> _citations = [];
    private readonly Dictionary<string, int> _numbers = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<Citation> Citations => _citations;

    public int NumberOf(Paper paper)
    {
        if (_numbers.TryGetValue(paper.Id, out var n))
        {
            return n;
        }

        n = _citations.Count + 1;
        _numbers[paper.Id] = n;
        _citations.Add(new Citation(n, paper.Id, paper.Title, PaperLinks.Url(paper)));
        return n;
    }
}

public static class PaperLinks
{
    /// <summary>The best public link for a paper: Hugging Face page, else arXiv, else a search-free HF link by id.</summary>
    public static string Url(Paper p)
    {
        if (!string.IsNullOrWhiteSpace(p.HfUrl))
        {
            return p.HfUrl;
        }

        if (!string.IsNullOrWhiteSpace(p.ArxivUrl))
        {
            return p.ArxivUrl;
        }

        if (!string.IsNullOrWhiteSpace(p.ArxivId))
        {
            return "https://arxiv.org/abs/" + p.ArxivId;
        }

        return p.Id.StartsWith("t:", StringComparison.Ordinal)
            ? "https://huggingface.co/papers?q=" + Uri.EscapeDataString(p.Title)
            : "https://huggingface.co/papers/" + p.Id;
    }
}
