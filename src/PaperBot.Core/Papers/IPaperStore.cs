namespace PaperBot.Core.Papers;

/// <summary>
/// The source of truth for papers. Implemented by PaperBot.Storage (LiteDB); other providers implement the same contract.
/// <para>
/// Change feed: every change gets the next value of a store-wide <see cref="CurrentRevision"/>. A changed paper carries
/// it in <see cref="Paper.Revision"/> (<see cref="ChangedSince"/>), a removed one leaves a tombstone
/// (<see cref="DeletedSince"/>). A derived index (Lucene, embeddings) records the revision it reflects and catches up
/// from the feed; <see cref="StoreId"/> tells it apart from an index built for another database.
/// </para>
/// </summary>
public interface IPaperStore
{
    /// <summary>Idempotent merge-upsert: a paper seen again is merged (never duplicated or downgraded).</summary>
    UpsertResult Upsert(IEnumerable<Paper> papers);

    /// <summary>
    /// Upsert with an explicit merge rule: <see cref="MergeMode.Merge"/> never downgrades (as <see cref="Upsert(IEnumerable{Paper})"/>);
    /// <see cref="MergeMode.Replace"/> lets every field the incoming record carries win (corrections).
    /// </summary>
    UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode) =>
        mode == MergeMode.Merge ? Upsert(papers) : throw new NotSupportedException($"{GetType().Name} does not support {mode} upserts");

    /// <summary>
    /// Upsert that also reports what it committed: <paramref name="committed"/> is called once per transaction, in
    /// revision order, after the changes are durable (for an index fed as the papers are stored, see
    /// <see cref="Search.ISearchIndexMaintenance.Apply"/>). A store that cannot report its changes never calls it; an
    /// index then catches up from the change feed (<see cref="ChangedSince"/>) as usual.
    /// </summary>
    UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode, Action<PaperChanges> committed) => Upsert(papers, mode);

    Paper? Get(string id);

    IReadOnlyList<Paper> GetMany(IEnumerable<string> ids);

    /// <summary>Number of papers. O(1) in the stores PaperBot ships (kept as a counter, not counted).</summary>
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

    /// <summary>The newest day any paper was featured (or, lacking a featured day, published) on; null for an empty store.</summary>
    DateOnly? NewestTrendingDate() => All().Select(p => p.FeaturedOn ?? p.Published).Max();

    /// <summary>Counts and date ranges (the `stats` verb). The stores PaperBot ships answer from counters and indexes.</summary>
    StoreStats Stats()
    {
        var bySource = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        long count = 0;
        DateOnly? oldest = null, newest = null, oldestFeatured = null, newestFeatured = null;
        foreach (var p in All())
        {
            count++;
            foreach (var s in p.Sources)
            {
                bySource[s] = bySource.GetValueOrDefault(s) + 1;
            }

            oldest = Min(oldest, p.Published);
            newest = Max(newest, p.Published);
            oldestFeatured = Min(oldestFeatured, p.FeaturedOn);
            newestFeatured = Max(newestFeatured, p.FeaturedOn);
        }

        return new StoreStats(count, bySource, oldest, newest, oldestFeatured, newestFeatured, CurrentRevision, StoreId);

        static DateOnly? Min(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;
        static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a > b ? a : b;
    }
}

/// <summary>
/// The changes of one committed write: the store went from <see cref="FromRevision"/> to <see cref="ToRevision"/>
/// (nothing else wrote in between). <see cref="Added"/> are ids the store did not hold, <see cref="Updated"/> ids it
/// held (both as now stored, with their revisions), <see cref="Removed"/> ids folded into another paper.
/// </summary>
public sealed record PaperChanges(long FromRevision, long ToRevision, IReadOnlyList<Paper> Added, IReadOnlyList<Paper> Updated, IReadOnlyList<string> Removed);

/// <summary>How an upsert combines an incoming record with the stored paper.</summary>
public enum MergeMode
{
    /// <summary>Never downgrade: max upvotes and stars, the longer abstract, empty fields filled, lists unioned.</summary>
    Merge,

    /// <summary>Corrections: every field the incoming record carries replaces the stored one; fields it lacks are kept.</summary>
    Replace,
}

/// <summary>What the store holds: counts by source and the date ranges.</summary>
public sealed record StoreStats(
    long Papers,
    IReadOnlyDictionary<string, long> BySource,
    DateOnly? OldestPublished,
    DateOnly? NewestPublished,
    DateOnly? OldestFeatured,
    DateOnly? NewestFeatured,
    long Revision,
    string StoreId);

public readonly record struct UpsertResult(int Added, int Updated, int Unchanged)
{
    public int Total => Added + Updated + Unchanged;

    public static UpsertResult operator +(UpsertResult a, UpsertResult b) =>
        new(a.Added + b.Added, a.Updated + b.Updated, a.Unchanged + b.Unchanged);
}
