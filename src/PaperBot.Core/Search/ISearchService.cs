using PaperBot.Core.Papers;

namespace PaperBot.Core.Search;

public enum SearchSort
{
    Relevance,
    Date,
    Upvotes,
}

/// <summary>Which retrievers rank a query.</summary>
public enum SearchMode
{
    /// <summary>Hybrid when the embedding index has vectors for the configured model, else lexical.</summary>
    Auto,

    /// <summary>BM25 only.</summary>
    Lexical,

    /// <summary>Embedding similarity only (falls back to lexical when no vectors exist).</summary>
    Semantic,

    /// <summary>BM25 and embedding similarity, fused (falls back to lexical when no vectors exist).</summary>
    Hybrid,
}

/// <summary>
/// A search. <see cref="Text"/> may use the query syntax of <see cref="Syntax.ParsedQuery"/> ("phrases", -words,
/// title:, author:, prefix*). Filters and every sort apply to the fused list; a date or upvote sort keeps only hits
/// at or above the relevance floor (Search:RelevanceFloor).
/// </summary>
public sealed record SearchQuery(string Text)
{
    public SearchMode Mode { get; init; } = SearchMode.Auto;

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
    /// or null when the retriever cannot tell (a query of filters only). The answer layer uses it to say "nothing
    /// relevant": below <see cref="Ranking.RelevanceModel.NothingRelevantBelow"/> a hit is not about the question.
    /// </summary>
    public double? Relevance { get; init; }
}

/// <summary>Retrieval over the paper store (BM25 via Lucene; hybrid when embeddings are configured).</summary>
public interface ISearchService
{
    IReadOnlyList<SearchHit> Search(SearchQuery query);

    /// <summary>As <see cref="Search"/>; use this where the query may be embedded by a remote service.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Search(query));

    /// <summary>The mode a query asking for <paramref name="requested"/> runs in (lexical when no vectors exist).</summary>
    SearchMode ResolveMode(SearchMode requested) => SearchMode.Lexical;

    /// <summary>"More like this" for a stored paper. Empty when the id is unknown.</summary>
    IReadOnlyList<SearchHit> Related(string id, int top = 5);
}
