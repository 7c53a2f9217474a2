using PaperBot.Core.Papers;

namespace PaperBot.Core.Search.Evaluation;

/// <summary>A read-only, in-memory <see cref="IPaperStore"/> over a fixed list of papers (evaluation runs).</summary>
public sealed class FixedPaperStore : IPaperStore
{
    private readonly Dictionary<string, Paper> _papers;
    private readonly List<Paper> _order;

    public FixedPaperStore(IEnumerable<Paper> papers)
    {
        _order = [];
        _papers = new Dictionary<string, Paper>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in papers)
        {
            if (_papers.TryAdd(p.Id, p))
            {
                p.Revision = _order.Count + 1;
                _order.Add(p);
            }
        }
    }

    public long CurrentRevision => _order.Count;

    public string StoreId { get; } = "fixed-" + Guid.NewGuid().ToString("N");

    public UpsertResult Upsert(IEnumerable<Paper> papers) => throw new InvalidOperationException("the evaluation store is read-only");

    public bool Delete(string id) => throw new InvalidOperationException("the evaluation store is read-only");

    public Paper? Get(string id) => _papers.GetValueOrDefault(id);

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids) => ids.Select(Get).OfType<Paper>().ToList();

    public int Count() => _order.Count;

    public IEnumerable<Paper> All() => _order;

    public IEnumerable<Paper> ChangedSince(long revision) => _order.Skip((int)Math.Clamp(revision, 0, _order.Count));

    public IReadOnlyList<string> DeletedSince(long revision) => [];

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top) => [];
}
