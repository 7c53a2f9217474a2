using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.Storage.Sharing;

/// <summary>
/// Search for a process that may or may not own the database: the owner's index answers (one index per database,
/// kept up to date by the owner as papers arrive from any process). See <see cref="DatabaseRouter"/>.
/// </summary>
public sealed class SharedSearchService(DatabaseRouter router) : ISearchService, ISearchIndexMaintenance
{
    public IReadOnlyList<SearchHit> Search(SearchQuery query) =>
        router.Run(() => router.LocalSearch.Search(query), r => r.Call<List<SearchHit>>("search", query));

    public SearchMode ResolveMode(SearchMode requested) =>
        router.Run(() => router.LocalSearch.ResolveMode(requested), r => r.Call<SearchMode>("search.mode", requested));

    public IReadOnlyList<SearchHit> Related(string id, int top = 5) =>
        router.Run(() => router.LocalSearch.Related(id, top), r => r.Call<List<SearchHit>>("related", new RelatedArgs(id, top)));

    public void Synchronize() => router.Run(() =>
    {
        router.LocalIndex.Synchronize();
        return true;
    }, r => r.Call<SearchIndexInfo>("index.sync") is not null);

    /// <summary>Changes this process stored itself go to its own index; a client's reach the owner's index from the owner's store.</summary>
    public void Apply(PaperChanges changes)
    {
        if (router.IsOwner)
        {
            router.LocalIndex.Apply(changes);
        }
    }

    public SearchIndexInfo Rebuild() => router.Run(router.LocalIndex.Rebuild, r => r.Call<SearchIndexInfo>("index.rebuild"));

    public SearchIndexInfo Describe() => router.Run(router.LocalIndex.Describe, r => r.Call<SearchIndexInfo>("index.describe"));
}
