namespace PaperBot.Core.Search;

/// <summary>Upkeep of the search index derived from the paper store (ingest, `reindex`, `stats`).</summary>
public interface ISearchIndexMaintenance
{
    /// <summary>Brings the index up to date with the store now (incrementally from the change feed when it can).</summary>
    void Synchronize();

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
