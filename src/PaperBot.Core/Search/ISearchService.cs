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

public sealed record SearchHit(Paper Paper, float Score, string Snippet);

/// <summary>Retrieval over the paper store (BM25 via Lucene; hybrid when embeddings are configured).</summary>
public interface ISearchService
{
    IReadOnlyList<SearchHit> Search(SearchQuery query);

    /// <summary>"More like this" for a stored paper. Empty when the id is unknown.</summary>
    IReadOnlyList<SearchHit> Related(string id, int top = 5);
}
