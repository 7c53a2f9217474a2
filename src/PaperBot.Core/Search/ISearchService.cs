using PaperBot.Core.Papers;

namespace PaperBot.Core.Search;

public enum SearchSort
{
    Relevance,
    Date,
    Upvotes,
}

public sealed record SearchQuery(string Text)
{
    public int Top { get; init; } = 10;

    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public int? MinUpvotes { get; init; }

    /// <summary>Matches an author name or the organisation (case-insensitive).</summary>
    public string? AuthorOrOrganization { get; init; }

    public SearchSort Sort { get; init; } = SearchSort.Relevance;
}

public sealed record SearchHit(Paper Paper, float Score, string Snippet)
{
    /// <summary>
    /// Calibrated relevance of this hit to the query, 0..1 (comparable across queries, unlike <see cref="Score"/>),
    /// or null when the retriever cannot tell. The answer layer uses it to say "nothing relevant".
    /// </summary>
    public double? Relevance { get; init; }
}

/// <summary>Retrieval over the paper store (BM25 via Lucene; hybrid when embeddings are configured).</summary>
public interface ISearchService
{
    IReadOnlyList<SearchHit> Search(SearchQuery query);

    /// <summary>"More like this" for a stored paper. Empty when the id is unknown.</summary>
    IReadOnlyList<SearchHit> Related(string id, int top = 5);
}
