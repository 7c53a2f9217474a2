using PaperBot.Core.Papers;

namespace PaperBot.Core.Search.Synthetic;

/// <summary>
/// A read-only <see cref="IPaperStore"/> view of the first N papers of a <see cref="SyntheticCorpus"/>: papers are
/// regenerated from their id on demand, so nothing is held in memory. Used by `bench search --store none` to measure
/// the index and query path alone (no database cost). Writes are rejected.
/// </summary>
public sealed class SyntheticPaperStore(SyntheticCorpus corpus, int count) : IPaperStore
{
    private const string Prefix = "syn.";

    public long CurrentRevision => count;

    public string StoreId { get; } = $"synthetic-{count}";

    public UpsertResult Upsert(IEnumerable<Paper> papers) =>
        throw new InvalidOperationException("the synthetic benchmark store is read-only");

    public bool Delete(string id) =>
        throw new InvalidOperationException("the synthetic benchmark store is read-only");

    public Paper? Get(string id) =>
        id.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(id.AsSpan(Prefix.Length), out var i) && i >= 0 && i < count
            ? WithRevision(corpus.Paper(i), i)
            : null;

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids) => ids.Select(Get).OfType<Paper>().ToList();

    public int Count() => count;

    public IEnumerable<Paper> All() => Enumerable.Range(0, count).Select(i => WithRevision(corpus.Paper(i), i));

    public IEnumerable<Paper> ChangedSince(long revision) =>
        Enumerable.Range((int)Math.Clamp(revision, 0, count), count - (int)Math.Clamp(revision, 0, count)).Select(i => WithRevision(corpus.Paper(i), i));

    public IReadOnlyList<string> DeletedSince(long revision) => [];

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top) =>
        All().Where(p => (p.FeaturedOn ?? p.Published) is { } d && d >= from && d <= to)
            .OrderByDescending(p => p.Upvotes ?? 0)
            .ThenByDescending(p => p.FeaturedOn ?? p.Published)
            .Take(top)
            .ToList();

    private static Paper WithRevision(Paper p, int index)
    {
        p.Revision = index + 1;
        return p;
    }
}
