using PaperBot.Core.Search;

namespace PaperBot.AI.Plugins;

/// <summary>Async retrieval used by the AI plugins: lexical (BM25) or hybrid (BM25 + embeddings, fused by RRF).</summary>
public interface IPaperRetriever
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken);
}

/// <summary>Lexical only: the Core search service as is.</summary>
public sealed class LexicalRetriever(ISearchService search) : IPaperRetriever
{
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(search.Search(query));
}
