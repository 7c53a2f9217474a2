namespace PaperBot.Core.Papers;

/// <summary>The source of truth for papers. Implemented by PaperBot.Storage (LiteDB).</summary>
public interface IPaperStore
{
    /// <summary>Idempotent merge-upsert: a paper seen again is merged (never duplicated or downgraded).</summary>
    UpsertResult Upsert(IEnumerable<Paper> papers);

    Paper? Get(string id);

    IReadOnlyList<Paper> GetMany(IEnumerable<string> ids);

    int Count();

    /// <summary>All papers, streamed in id order.</summary>
    IEnumerable<Paper> All();

    /// <summary>Papers changed after <paramref name="revision"/> (exclusive), ascending by revision.</summary>
    IEnumerable<Paper> ChangedSince(long revision);

    /// <summary>Ids deleted after <paramref name="revision"/> (exclusive).</summary>
    IReadOnlyList<string> DeletedSince(long revision);

    /// <summary>The store's current revision: bumps on every change, so an index can tell it is stale.</summary>
    long CurrentRevision { get; }

    /// <summary>Identifies this database (changes if the DB file is replaced), so an index built for another DB is never reused.</summary>
    string StoreId { get; }

    bool Delete(string id);

    /// <summary>Papers featured (or, failing that, published) in [from, to], by upvotes desc then date desc.</summary>
    IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top);
}

public readonly record struct UpsertResult(int Added, int Updated, int Unchanged)
{
    public int Total => Added + Updated + Unchanged;

    public static UpsertResult operator +(UpsertResult a, UpsertResult b) =>
        new(a.Added + b.Added, a.Updated + b.Updated, a.Unchanged + b.Unchanged);
}
