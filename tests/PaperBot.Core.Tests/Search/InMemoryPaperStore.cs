using PaperBot.Core.Papers;

namespace PaperBot.Core.Tests.Search;

/// <summary>
/// A minimal in-memory <see cref="IPaperStore"/> with revisions and tombstones (replace-upsert, no merging), so the
/// search service's synchronisation can be tested without the LiteDB store.
/// </summary>
internal sealed class InMemoryPaperStore : IPaperStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Paper> _papers = new(StringComparer.Ordinal);
    private readonly List<(string Id, long Revision)> _tombstones = [];
    private long _revision;

    public string StoreId { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>When true, <see cref="DeletedSince"/> reports nothing (simulates an index that missed a deletion).</summary>
    public bool ForgetTombstones { get; set; }

    public long CurrentRevision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public UpsertResult Upsert(IEnumerable<Paper> papers)
    {
        var added = 0;
        var updated = 0;
        lock (_gate)
        {
            foreach (var p in papers)
            {
                var copy = PaperMerger.Clone(p);
                copy.Revision = ++_revision;
                if (_papers.ContainsKey(p.Id))
                {
                    updated++;
                }
                else
                {
                    added++;
                }

                _papers[p.Id] = copy;
            }
        }

        return new UpsertResult(added, updated, 0);
    }

    public Paper? Get(string id)
    {
        lock (_gate)
        {
            return _papers.TryGetValue(id, out var p) ? PaperMerger.Clone(p) : null;
        }
    }

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids)
    {
        lock (_gate)
        {
            return ids.Where(_papers.ContainsKey).Select(id => PaperMerger.Clone(_papers[id])).ToList();
        }
    }

    public int Count()
    {
        lock (_gate)
        {
            return _papers.Count;
        }
    }

    public IEnumerable<Paper> All()
    {
        lock (_gate)
        {
            return _papers.Values.Select(PaperMerger.Clone).ToList();
        }
    }

    public IEnumerable<Paper> ChangedSince(long revision)
    {
        lock (_gate)
        {
            return _papers.Values.Where(p => p.Revision > revision).OrderBy(p => p.Revision).Select(PaperMerger.Clone).ToList();
        }
    }

    public IReadOnlyList<string> DeletedSince(long revision)
    {
        lock (_gate)
        {
            return ForgetTombstones ? [] : _tombstones.Where(t => t.Revision > revision).Select(t => t.Id).ToList();
        }
    }

    public bool Delete(string id)
    {
        lock (_gate)
        {
            if (!_papers.Remove(id))
            {
                return false;
            }

            _tombstones.Add((id, ++_revision));
            return true;
        }
    }

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top)
    {
        lock (_gate)
        {
            return _papers.Values
                .Where(p => (p.FeaturedOn ?? p.Published) is { } d && d >= from && d <= to)
                .OrderByDescending(p => p.Upvotes ?? 0)
                .ThenByDescending(p => p.FeaturedOn ?? p.Published)
                .Take(top)
                .Select(PaperMerger.Clone)
                .ToList();
        }
    }
}
