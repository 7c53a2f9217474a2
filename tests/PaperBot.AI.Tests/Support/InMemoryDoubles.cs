using System.Collections.Concurrent;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;

namespace PaperBot.AI.Tests.Support;

/// <summary>Small in-memory record store for unit tests of memory and budgets.</summary>
public sealed class InMemoryRecordStore<T> : IRecordStore<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);

    public int Puts { get; private set; }

    public T? Get(string key) => _items.TryGetValue(key, out var v) ? v : null;

    public void Put(string key, T value)
    {
        Puts++;
        _items[key] = value;
    }

    public bool TryInsert(string key, T value) => _items.TryAdd(key, value);

    public bool Delete(string key) => _items.TryRemove(key, out _);

    public IReadOnlyList<KeyValuePair<string, T>> All() => _items.ToList();
}

/// <summary>In-memory paper store for unit tests (the sample-corpus tests use the real LiteDB store).</summary>
public sealed class InMemoryPaperStore(IEnumerable<Paper> papers) : IPaperStore
{
    private readonly Dictionary<string, Paper> _papers = papers.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);

    public long CurrentRevision => _papers.Count;

    public string StoreId => "memory";

    public UpsertResult Upsert(IEnumerable<Paper> papers)
    {
        var added = 0;
        foreach (var p in papers)
        {
            added += _papers.TryAdd(p.Id, p) ? 1 : 0;
        }

        return new UpsertResult(added, 0, 0);
    }

    public Paper? Get(string id) => _papers.GetValueOrDefault(id);

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids) => ids.Select(Get).OfType<Paper>().ToList();

    public int Count() => _papers.Count;

    public IEnumerable<Paper> All() => _papers.Values.OrderBy(p => p.Id, StringComparer.Ordinal);

    public IEnumerable<Paper> ChangedSince(long revision) => All();

    public IReadOnlyList<string> DeletedSince(long revision) => [];

    public bool Delete(string id) => _papers.Remove(id);

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top) =>
        _papers.Values.Where(p => (p.FeaturedOn ?? p.Published) is { } d && d >= from && d <= to)
            .OrderByDescending(p => p.Upvotes ?? 0).Take(top).ToList();
}

/// <summary>Term-overlap search double (OR semantics, like BM25 without the weighting).</summary>
public sealed class TermOverlapSearch(IPaperStore store) : ISearchService
{
    public IReadOnlyList<SearchHit> Search(SearchQuery query)
    {
        var q = Words(query.Text).ToHashSet();
        return store.All()
            .Where(p => query.MinUpvotes is null || (p.Upvotes ?? 0) >= query.MinUpvotes)
            .Select(p => (p, s: Words(p.Title + " " + p.Abstract).Count(q.Contains)))
            .Where(x => x.s > 0)
            .OrderByDescending(x => x.s)
            .Take(query.Top)
            .Select(x => new SearchHit(x.p, x.s, ""))
            .ToList();
    }

    /// <summary>Lower-cased words of three letters or more, unstemmed: a deliberately plain matcher.</summary>
    private static IEnumerable<string> Words(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text.ToLowerInvariant(), @"[a-z0-9][a-z0-9\-]{2,}").Select(m => m.Value).Where(w => !Stop.Contains(w)).Distinct();

    private static readonly HashSet<string> Stop = ["the", "and", "for", "with", "how", "what", "does", "are", "from", "that", "this", "can", "its"];

    public IReadOnlyList<SearchHit> Related(string id, int top = 5) =>
        store.Get(id) is { } p ? Search(new SearchQuery(p.Title) { Top = top + 1 }).Where(h => h.Paper.Id != id).Take(top).ToList() : [];
}
