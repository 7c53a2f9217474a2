using LiteDB;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>
/// <see cref="IPaperStore"/> on LiteDB. Upserts are merged with <see cref="PaperMerger"/> (never duplicated or downgraded),
/// batched in transactions with one bulk lookup of existing ids per batch. Every changed paper gets the next value of a
/// store-level revision counter persisted in the DB; deletions leave tombstones so indexes can catch up incrementally.
/// <para>
/// Title matching: a paper without an arXiv id gets a title id ("t:…"). When the same normalised title is seen with an
/// arXiv id, the two are the same paper: the arXiv id wins. A title-id paper arriving after the arXiv-id paper is merged
/// into it; an arXiv-id paper arriving after the title-id paper takes it over (the title id is tombstoned and
/// <see cref="Get"/> still resolves it). Two papers that both have (different) arXiv ids are never merged by title.
/// </para>
/// </summary>
public sealed class LiteDbPaperStore : IPaperStore
{
    internal const string PapersCollection = "papers";
    internal const string TombstonesCollection = "tombstones";
    internal const string TitlesCollection = "titles";
    private const string TitleIds = "ids";
    private const string RevisionKey = "revision";
    private const string StoreIdKey = "storeId";
    private const int BatchSize = 2000;
    private const int PageSize = 1000;

    private readonly LiteDbContext _context;
    private readonly object _initLock = new();
    private volatile bool _initialized;
    private long _revision;
    private string _storeId = "";

    public LiteDbPaperStore(LiteDbContext context)
    {
        _context = context;
    }

    public string DatabasePath => _context.DatabasePath;

    public long CurrentRevision
    {
        get
        {
            EnsureInitialized();
            return Interlocked.Read(ref _revision);
        }
    }

    public string StoreId
    {
        get
        {
            EnsureInitialized();
            return _storeId;
        }
    }

    private LiteDatabase Db => _context.Database;

    private ILiteCollection<BsonDocument> Papers => Db.GetCollection(PapersCollection);

    private ILiteCollection<BsonDocument> Tombstones => Db.GetCollection(TombstonesCollection);

    private ILiteCollection<BsonDocument> Titles => Db.GetCollection(TitlesCollection);

    private ILiteCollection<BsonDocument> Meta => Db.GetCollection(LiteDbContext.MetaCollection);

    public UpsertResult Upsert(IEnumerable<Paper> papers)
    {
        ArgumentNullException.ThrowIfNull(papers);
        EnsureInitialized();
        var total = default(UpsertResult);
        foreach (var chunk in papers.Chunk(BatchSize))
        {
            total += _context.Guard(() => UpsertBatch(chunk));
        }

        if (total.Added + total.Updated > 0)
        {
            _context.Guard(_context.SyncToDisk);
        }

        return total;
    }

    private UpsertResult UpsertBatch(Paper[] batch)
    {
        var incoming = new List<(Paper Paper, string? TitleKey)>(batch.Length);
        foreach (var raw in batch)
        {
            var p = PaperMerger.Normalize(PaperMerger.Clone(raw));
            if (p.Title.Length == 0 && PaperId.IsTitleId(p.Id))
            {
                throw new ArgumentException($"paper '{p.Id}' has neither a title nor an arXiv id", nameof(batch));
            }

            incoming.Add((p, p.Title.Length > 0 ? PaperId.FromTitle(p.Title) : null));
        }

        lock (_context.WriteLock)
        {
            // One transaction for the lookups and the writes: LiteDB otherwise opens (and closes) an implicit
            // transaction per FindById, which was a third of a bulk insert's time.
            var db = Db;
            db.BeginTrans();
            try
            {
                var result = UpsertBatchInTransaction(incoming);
                db.Commit();
                Interlocked.Exchange(ref _revision, result.Revision);
                return result.Result;
            }
            catch
            {
                db.Rollback();
                throw;
            }
        }
    }

    private (UpsertResult Result, long Revision) UpsertBatchInTransaction(List<(Paper Paper, string? TitleKey)> incoming)
    {
        var papers = Papers;

        // Primary-key seeks only (LiteDB's IN / secondary-index queries were far slower for misses):
        // papers by id, then the title-key → ids map in the "titles" collection.
        var titles = Titles;
        var known = new Dictionary<string, Paper>(StringComparer.Ordinal);
        var keyOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var byTitle = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var dirtyTitles = new HashSet<string>(StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);

        void Remember(Paper p, string? key)
        {
            if (known.TryAdd(p.Id, p))
            {
                keyOf[p.Id] = key;
            }
        }

        void RememberStored(BsonDocument doc)
        {
            var p = PaperDocument.FromDocument(doc);
            stored.Add(p.Id);
            Remember(p, doc.TryGetValue(PaperDocument.TitleKey, out var k) && k.IsString ? k.AsString : null);
        }

        void AddTitle(string? key, string id)
        {
            if (key is not null && byTitle.TryGetValue(key, out var ids) && !ids.Contains(id))
            {
                ids.Add(id);
                dirtyTitles.Add(key);
            }
        }

        void RemoveTitle(string? key, string id)
        {
            if (key is not null && byTitle.TryGetValue(key, out var ids) && ids.Remove(id))
            {
                dirtyTitles.Add(key);
            }
        }

        foreach (var id in incoming.Select(x => x.Paper.Id).Distinct(StringComparer.Ordinal))
        {
            if (papers.FindById(id) is { } doc)
            {
                RememberStored(doc);
            }
        }

        foreach (var key in incoming.Select(x => x.TitleKey).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var ids = new List<string>();
            byTitle[key] = ids;
            if (titles.FindById(key) is { } t && t.TryGetValue(TitleIds, out var arr) && arr.IsArray)
            {
                foreach (var mate in arr.AsArray.Where(v => v.IsString).Select(v => v.AsString))
                {
                    if (!known.ContainsKey(mate) && papers.FindById(mate) is { } doc)
                    {
                        RememberStored(doc);
                    }

                    if (known.ContainsKey(mate))
                    {
                        ids.Add(mate);
                    }
                }
            }
        }

        var changed = new List<string>();
        var changedSet = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<string>();
        var removed = new List<(string Id, string Into)>();
        int nAdded = 0, nUpdated = 0, nUnchanged = 0;

        void MarkChanged(string id)
        {
            if (changedSet.Add(id))
            {
                changed.Add(id);
            }
        }

        foreach (var (p, titleKey) in incoming)
        {
            var titleMates = titleKey is not null && byTitle.TryGetValue(titleKey, out var ids) ? ids : null;
            if (known.TryGetValue(p.Id, out var existing))
            {
                var isTitleId = PaperId.IsTitleId(p.Id);
                if (isTitleId && titleMates?.FirstOrDefault(id => !PaperId.IsTitleId(id)) is { } arxivMate && arxivMate != p.Id)
                {
                    // Stale title-id paper while an arXiv one exists: fold into the arXiv paper.
                    existing = known[arxivMate];
                }

                if (PaperMerger.Merge(existing, p))
                {
                    MarkChanged(existing.Id);
                    nUpdated++;
                }
                else
                {
                    nUnchanged++;
                }

                continue;
            }

            if (titleMates is { Count: > 0 })
            {
                if (PaperId.IsTitleId(p.Id))
                {
                    // A title-only sighting of a paper we know by arXiv id (or by the same title id).
                    var mateId = titleMates.FirstOrDefault(id => !PaperId.IsTitleId(id)) ?? titleMates[0];
                    var mate = known[mateId];
                    if (PaperMerger.Merge(mate, p))
                    {
                        MarkChanged(mate.Id);
                        nUpdated++;
                    }
                    else
                    {
                        nUnchanged++;
                    }

                    continue;
                }

                if (titleMates.FirstOrDefault(PaperId.IsTitleId) is { } titleId)
                {
                    // The arXiv id of a paper so far known only by title: take it over.
                    var old = known[titleId];
                    var promoted = PaperMerger.Clone(old);
                    promoted.Id = p.Id;
                    PaperMerger.Merge(promoted, p);
                    known.Remove(titleId);
                    RemoveTitle(titleKey, titleId);
                    changedSet.Remove(titleId);
                    changed.Remove(titleId);
                    if (stored.Remove(titleId))
                    {
                        removed.Add((titleId, p.Id));
                    }

                    Remember(promoted, titleKey);
                    AddTitle(titleKey, promoted.Id);
                    MarkChanged(promoted.Id);
                    nUpdated++;
                    continue;
                }
            }

            Remember(p, titleKey);
            AddTitle(titleKey, p.Id);
            MarkChanged(p.Id);
            added.Add(p.Id);
            nAdded++;
        }

        if (changed.Count == 0 && removed.Count == 0 && dirtyTitles.Count == 0)
        {
            return (new UpsertResult(nAdded, nUpdated, nUnchanged), Interlocked.Read(ref _revision));
        }

        var rev = Interlocked.Read(ref _revision);
        var tombstones = Tombstones;
        foreach (var (id, into) in removed)
        {
            papers.Delete(id);
            tombstones.Upsert(new BsonDocument { ["_id"] = id, [PaperDocument.Revision] = ++rev, ["MergedInto"] = into });
        }

        var inserts = new List<BsonDocument>(changed.Count);
        var updates = new List<BsonDocument>();
        foreach (var id in changed)
        {
            var p = known[id];
            p.Revision = ++rev;
            var doc = PaperDocument.ToDocument(p, keyOf[id]);
            (stored.Contains(id) ? updates : inserts).Add(doc);
        }

        if (updates.Count > 0)
        {
            papers.Update(updates);
        }

        if (inserts.Count > 0)
        {
            papers.InsertBulk(inserts, inserts.Count);
        }
        if (added.Count > 0 && tombstones.LongCount() > 0)
        {
            tombstones.DeleteMany(Query.In("_id", added.Select(a => new BsonValue(a))));
        }

        foreach (var key in dirtyTitles)
        {
            WriteTitle(titles, key, byTitle[key]);
        }

        Meta.Upsert(new BsonDocument { ["_id"] = RevisionKey, ["value"] = rev });
        return (new UpsertResult(nAdded, nUpdated, nUnchanged), rev);
    }

    public Paper? Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        EnsureInitialized();
        return _context.Guard(() =>
        {
            var doc = Papers.FindById(id);
            if (doc is null && Tombstones.FindById(id) is { } t && t.TryGetValue("MergedInto", out var into) && into.IsString)
            {
                doc = Papers.FindById(into.AsString);
            }

            return doc is null ? null : PaperDocument.FromDocument(doc);
        });
    }

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        EnsureInitialized();
        var wanted = ids.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        // One primary-key seek per id: LiteDB's IN query costs ~13 times as much per id (search-phases --lookups),
        // and this is the hydration of every search's hits.
        var found = _context.Guard(() =>
        {
            var papers = Papers;
            var map = new Dictionary<string, Paper>(wanted.Count, StringComparer.Ordinal);
            foreach (var id in wanted)
            {
                if (papers.FindById(id) is { } doc)
                {
                    var p = PaperDocument.FromDocument(doc);
                    map.TryAdd(p.Id, p);
                }
            }

            return map;
        });
        var result = new List<Paper>(wanted.Count);
        foreach (var id in wanted)
        {
            if (found.TryGetValue(id, out var p) || (Get(id) is { } merged && found.TryAdd(merged.Id, p = merged)))
            {
                result.Add(p);
            }
        }

        return result;
    }

    public int Count()
    {
        EnsureInitialized();
        return _context.Guard(() => Papers.Count());
    }

    public IEnumerable<Paper> All()
    {
        EnsureInitialized();
        // Paged by id so no LiteDB cursor stays open while the caller works (LiteDB transactions are per thread).
        BsonValue last = BsonValue.MinValue;
        while (true)
        {
            var from = last;
            var page = _context.Guard(() => Papers.Find(Query.GT("_id", from), 0, PageSize).ToList());
            foreach (var d in page)
            {
                yield return PaperDocument.FromDocument(d);
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            last = page[^1]["_id"];
        }
    }

    public IEnumerable<Paper> ChangedSince(long revision)
    {
        EnsureInitialized();
        var last = revision;
        while (true)
        {
            var from = last;
            var page = _context.Guard(() => Papers.Query()
                .Where(Query.GT(PaperDocument.Revision, from))
                .OrderBy(PaperDocument.Revision)
                .Limit(PageSize)
                .ToList());
            foreach (var d in page)
            {
                yield return PaperDocument.FromDocument(d);
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            last = page[^1][PaperDocument.Revision].AsInt64;
        }
    }

    public IReadOnlyList<string> DeletedSince(long revision)
    {
        EnsureInitialized();
        return _context.Guard(() => Tombstones.Query()
            .Where(Query.GT(PaperDocument.Revision, revision))
            .OrderBy(PaperDocument.Revision)
            .ToEnumerable()
            .Select(d => d["_id"].AsString)
            .ToList());
    }

    public bool Delete(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        EnsureInitialized();
        lock (_context.WriteLock)
        {
            var deleted = _context.Guard(() => DeleteLocked(id));
            if (deleted)
            {
                _context.Guard(_context.SyncToDisk);
            }

            return deleted;
        }
    }

    private bool DeleteLocked(string id)
    {
        var db = Db;
        db.BeginTrans();
        try
        {
            var doc = Papers.FindById(id);
            if (doc is null || !Papers.Delete(id))
            {
                db.Rollback();
                return false;
            }

            if (doc.TryGetValue(PaperDocument.TitleKey, out var key) && key.IsString && Titles.FindById(key.AsString) is { } t)
            {
                WriteTitle(Titles, key.AsString, [.. t[TitleIds].AsArray.Where(v => v.IsString && v.AsString != id).Select(v => v.AsString)]);
            }

            var rev = Interlocked.Read(ref _revision) + 1;
            Tombstones.Upsert(new BsonDocument { ["_id"] = id, [PaperDocument.Revision] = rev });
            Meta.Upsert(new BsonDocument { ["_id"] = RevisionKey, ["value"] = rev });
            db.Commit();
            Interlocked.Exchange(ref _revision, rev);
            return true;
        }
        catch
        {
            db.Rollback();
            throw;
        }
    }

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top)
    {
        EnsureInitialized();
        if (top <= 0 || to < from)
        {
            return [];
        }

        var lo = PaperDocument.Date(from);
        var hi = PaperDocument.Date(to);
        var found = _context.Guard(() =>
            Papers.Find(Query.Between(PaperDocument.FeaturedOn, lo, hi))
                .Concat(Papers.Find(Query.And(Query.Between(PaperDocument.Published, lo, hi), Query.EQ(PaperDocument.FeaturedOn, BsonValue.Null))))
                .ToList());
        return found
            .Select(PaperDocument.FromDocument)
            .OrderByDescending(p => p.Upvotes ?? 0)
            .ThenByDescending(p => p.FeaturedOn ?? p.Published)
            .ThenByDescending(p => p.Published)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    private void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        lock (_initLock)
        {
            if (_initialized)
            {
                return;
            }

            lock (_context.WriteLock)
            {
                _context.Guard(Initialize);
            }

            _initialized = true;
        }
    }

    private void Initialize()
    {
        var papers = Papers;
        papers.EnsureIndex(PaperDocument.Published);
        papers.EnsureIndex(PaperDocument.FeaturedOn);
        papers.EnsureIndex(PaperDocument.Upvotes);
        papers.EnsureIndex(PaperDocument.Revision);
        Tombstones.EnsureIndex(PaperDocument.Revision);

        if (Titles.LongCount() == 0 && papers.LongCount() > 0)
        {
            RebuildTitles();
        }

        var meta = Meta;
        var rev = meta.FindById(RevisionKey);
        _revision = rev is not null && rev["value"].IsNumber ? rev["value"].AsInt64 : 0;
        var sid = meta.FindById(StoreIdKey);
        if (sid is null || !sid["value"].IsString)
        {
            _storeId = Guid.NewGuid().ToString("N");
            meta.Upsert(new BsonDocument { ["_id"] = StoreIdKey, ["value"] = _storeId });
        }
        else
        {
            _storeId = sid["value"].AsString;
        }
    }

    private static void WriteTitle(ILiteCollection<BsonDocument> titles, string key, List<string> ids)
    {
        if (ids.Count == 0)
        {
            titles.Delete(key);
        }
        else
        {
            titles.Upsert(new BsonDocument { ["_id"] = key, [TitleIds] = new BsonArray(ids.Select(i => new BsonValue(i))) });
        }
    }

    /// <summary>Rebuilds the title-key map from the papers (databases written before it existed).</summary>
    private void RebuildTitles()
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var doc in Papers.Query().Select("{ _id, TitleKey }").ToEnumerable())
        {
            if (doc.TryGetValue(PaperDocument.TitleKey, out var k) && k.IsString)
            {
                if (!map.TryGetValue(k.AsString, out var ids))
                {
                    map[k.AsString] = ids = [];
                }

                ids.Add(doc["_id"].AsString);
            }
        }

        var titles = Titles;
        foreach (var (key, ids) in map)
        {
            WriteTitle(titles, key, ids);
        }
    }
}
