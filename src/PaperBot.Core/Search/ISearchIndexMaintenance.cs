using PaperBot.Core.Papers;

namespace PaperBot.Core.Search;

/// <summary>Upkeep of the search index derived from the paper store (ingest, `reindex`, `stats`).</summary>
public interface ISearchIndexMaintenance
{
    /// <summary>Brings the index up to date with the store now (incrementally from the change feed when it can).</summary>
    void Synchronize();

    /// <summary>
    /// Indexes the changes of one store write as they are made (ingest), without reading them back from the store.
    /// They become visible and durable (committed with their revision) at the next <see cref="Synchronize"/> or search.
    /// Changes that do not follow on from what the index holds make it catch up from the store instead. The default
    /// does nothing: the index catches up from the change feed at the next <see cref="Synchronize"/>.
    /// </summary>
    void Apply(PaperChanges changes)
    {
    }

    /// <summary>Throws the index away and builds it again from the store.</summary>
    SearchIndexInfo Rebuild();

    /// <summary>Where the index is and which store revision it reflects (without bringing it up to date).</summary>
    SearchIndexInfo Describe();
}

/// <summary>The state of a search index: <see cref="IndexedRevision"/> equal to <see cref="StoreRevision"/> means current.</summary>
public sealed record SearchIndexInfo(string Location, bool InMemory, long IndexedRevision, long StoreRevision, int Documents)
{
    public bool IsCurrent => IndexedRevision == StoreRevision;
}
