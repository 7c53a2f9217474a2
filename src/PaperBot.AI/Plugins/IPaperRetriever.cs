using PaperBot.Core.Search;

namespace PaperBot.AI.Plugins;

/// <summary>Async retrieval used by the AI plugins.</summary>
public interface IPaperRetriever
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken);
}

/// <summary>The Core search service: hybrid (BM25 + embeddings) when vectors exist, else BM25; hits carry Relevance.</summary>
public sealed class SearchServiceRetriever(ISearchService search) : IPaperRetriever
{
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        search.SearchAsync(query, cancellationToken);
}
