using LiteDB;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>
/// <see cref="IPaperStore"/> on LiteDB. Upserts are merged with <see cref="PaperMerger"/> (never duplicated or downgraded),
/// batched in transactions with one bulk lookup of existing ids per batch. Every changed paper gets the next value of a
/// store-level revision counter persisted in the DB; deletions leave tombstones so indexes can catch up incrementally.
/// The merge and title-folding rules are <see cref="PaperUpsertPlanner"/>'s (shared with the other providers).
/// </summary>
public sealed class LiteDbPaperStore : IPaperStore
{
    internal const string PapersCollection = "papers";
    internal const string TombstonesCollection = "tombstones";
    internal const string TitlesCollection = "titles";
    private const string TitleIds = "ids";
    private const string RevisionKey = "revision";
    private const string StoreIdKey = "storeId";
    private const string CountsKey = "counts";
    private const string SchemaKey = "schema";

    /// <summary>Schema 2: indexes created, title map complete, paper and per-source counters kept in "meta".</summary>
    private const int SchemaVersion = 2;
    private const int BatchSize = 2000;
    private const int PageSize = 1000;

    private readonly LiteDbContext _context;
    private readonly PaperLimits _limits;
    private readonly object _initLock = new();
    private volatile bool _initialized;
    private long _revision;
    private string _storeId = "";

    /// <summary>Papers and papers per source, kept with every write (so counts are O(1) and nothing scans on open).</summary>
    private long _count;
    private volatile bool _hasTombstones;
    private Dictionary<string, long> _bySource = new(StringComparer.OrdinalIgnoreCase);

    public LiteDbPaperStore(LiteDbContext context, PaperLimits? limits = null)
    {
        _context = context;
        _limits = limits ?? PaperLimits.Default;
    }

    /// <summary>The field-size limits every stored paper meets.</summary>
    public PaperLimits Limits => _limits;

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

    public UpsertResult Upsert(IEnumerable<Paper> papers) => Upsert(papers, MergeMode.Merge);

    public UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode) => Upsert(papers, mode, null);

    public UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode, Action<PaperChanges>? committed)
    {
        ArgumentNullException.ThrowIfNull(papers);
        EnsureInitialized();
        _context.EnsureWritable("store papers");
        var total = default(UpsertResult);
        var changes = committed is null ? null : new List<PaperChanges>();
        foreach (var chunk in papers.Chunk(BatchSize))
        {
            var incoming = PaperUpsertPlanner.Prepare(chunk, _limits);
            // The write lock is taken outside Guard, never inside it: a checkpoint waits for every Guard to end while
            // its writer holds the write lock (see LiteDbContext).
            lock (_context.WriteLock)
            {
                total += _context.Guard(() => UpsertBatch(incoming, mode, changes));
                if (_context.LogIsLarge)
                {
                    _context.Guard(_context.SyncToDisk);
                }
            }
        }

        if (total.Added + total.Updated > 0)
        {
            _context.Guard(_context.SyncToDisk);
        }

        // Reported only once durable: an index fed from here never runs ahead of what a crash would leave stored.
        foreach (var c in changes ?? [])
        {
            committed!(c);
        }

        return total;
    }

    /// <summary>One batch in one transaction; the caller holds <see cref="LiteDbContext.WriteLock"/>.</summary>
    private UpsertResult UpsertBatch(List<(Paper Paper, string? TitleKey)> incoming, MergeMode mode, List<PaperChanges>? changes)
    {
        // One transaction for the lookups and the writes: LiteDB otherwise opens (and closes) an implicit
        // transaction per FindById, which was a third of a bulk insert's time.
        var db = Db;
        db.BeginTrans();
        try
        {
            var from = Interlocked.Read(ref _revision);
            var result = UpsertBatchInTransaction(incoming, mode);
            db.Commit();
            Interlocked.Exchange(ref _revision, result.Revision);
            if (changes is not null && result.Changes is { } planned)
            {
                changes.Add(new PaperChanges(from, result.Revision,
                    [.. planned.Changed.Where(c => !c.Stored).Select(c => c.Paper)],
                    [.. planned.Changed.Where(c => c.Stored).Select(c => c.Paper)],
                    [.. planned.Removed.Select(r => r.Id)]));
            }

            ApplyCounts(result.Counts);
            return result.Result;
        }
        catch
        {
            db.Rollback();
            throw;
        }
    }

    private (UpsertResult Result, long Revision, CountDelta? Counts, UpsertPlan? Changes) UpsertBatchInTransaction(List<(Paper Paper, string? TitleKey)> incoming, MergeMode mode)
    {
        var papers = Papers;
        var titles = Titles;
        var filter = StoredKeyFilter.Of(Db);
        var plan = PaperUpsertPlanner.Plan(incoming, mode, new Lookup(papers, titles, filter));
        if (plan.IsEmpty)
        {
            return (plan.Result, Interlocked.Read(ref _revision), default, null);
        }

        var delta = new CountDelta(new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase));
        var rev = Interlocked.Read(ref _revision);
        var tombstones = Tombstones;
        foreach (var (id, into, oldSources) in plan.Removed)
        {
            delta.Papers--;
            delta.Subtract(oldSources);
            papers.Delete(id);
            tombstones.Upsert(new BsonDocument { ["_id"] = id, [PaperDocument.Revision] = ++rev, ["MergedInto"] = into });
            _hasTombstones = true;
        }

        var inserts = new List<BsonDocument>(plan.Changed.Count);
        var updates = new List<BsonDocument>();
        foreach (var c in plan.Changed)
        {
            var p = c.Paper;
            p.Revision = ++rev;
            var doc = PaperDocument.ToDocument(p, c.TitleKey);
            filter?.Add(p.Id);
            (c.Stored ? updates : inserts).Add(doc);
            if (c.Stored)
            {
                delta.Subtract(c.OldSources);
            }
            else
            {
                delta.Papers++;
            }

            delta.Add(p.Sources);
        }

        if (updates.Count > 0)
        {
            papers.Update(updates);
        }

        if (inserts.Count > 0)
        {
            papers.InsertBulk(inserts, inserts.Count);
        }

        if (plan.Added.Count > 0 && _hasTombstones)
        {
            tombstones.DeleteMany(Query.In("_id", plan.Added.Select(a => new BsonValue(a))));
        }

        var newTitles = new List<BsonDocument>();
        foreach (var (key, ids) in plan.Titles)
        {
            filter?.Add(key);
            if (ids.Count > 0 && !plan.StoredTitles.Contains(key))
            {
                // A key the lookup did not find (most keys of a bulk insert): one insert, no update attempt first.
                newTitles.Add(TitleDocument(key, ids));
            }
            else
            {
                WriteTitle(titles, key, ids);
            }
        }

        if (newTitles.Count > 0)
        {
            titles.InsertBulk(newTitles, newTitles.Count);
        }

        Meta.Upsert(new BsonDocument { ["_id"] = RevisionKey, ["value"] = rev });
        WriteCounts(delta);
        return (plan.Result, rev, delta, plan);
    }

    /// <summary>
    /// Primary-key seeks only (LiteDB's IN / secondary-index queries were far slower for misses), and none for a key the
    /// database's <see cref="StoredKeyFilter"/> has certainly never seen.
    /// </summary>
    private sealed class Lookup(ILiteCollection<BsonDocument> papers, ILiteCollection<BsonDocument> titles, StoredKeyFilter? filter) : IPaperUpsertLookup
    {
        public IReadOnlyDictionary<string, (Paper Paper, string? TitleKey)> FindPapers(IReadOnlyCollection<string> ids)
        {
            var found = new Dictionary<string, (Paper Paper, string? TitleKey)>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                if (filter?.MayContain(id) != false && papers.FindById(id) is { } doc)
                {
                    found[id] = (PaperDocument.FromDocument(doc), doc.TryGetValue(PaperDocument.TitleKey, out var k) && k.IsString ? k.AsString : null);
                }
            }

            return found;
        }

        public IReadOnlyDictionary<string, List<string>> FindTitles(IReadOnlyCollection<string> keys)
        {
            var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (filter?.MayContain(key) != false && titles.FindById(key) is { } t && t.TryGetValue(TitleIds, out var arr) && arr.IsArray)
                {
                    found[key] = [.. arr.AsArray.Where(v => v.IsString).Select(v => v.AsString)];
                }
            }

            return found;
        }
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
        return (int)Math.Min(int.MaxValue, Interlocked.Read(ref _count));
    }

    public IEnumerable<Paper> All()
    {
        EnsureInitialized();
        // Paged by id so no LiteDB cursor stays open while the caller works (LiteDB transactions are per thread).
        string? last = null;
        while (true)
        {
            var page = Page(last, PageSize);
            foreach (var p in page)
            {
                yield return p;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            last = page[^1].Id;
        }
    }

    /// <summary>Up to <paramref name="limit"/> papers with ids after <paramref name="afterId"/> (null: from the start), in id order.</summary>
    public IReadOnlyList<Paper> Page(string? afterId, int limit)
    {
        EnsureInitialized();
        var from = afterId is null ? BsonValue.MinValue : new BsonValue(afterId);
        return _context.Guard(() => Papers.Find(Query.GT("_id", from), 0, limit).Select(PaperDocument.FromDocument).ToList());
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
        _context.EnsureWritable("remove papers");
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
            _hasTombstones = true;
            Meta.Upsert(new BsonDocument { ["_id"] = RevisionKey, ["value"] = rev });
            var delta = new CountDelta(new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)) { Papers = -1 };
            delta.Subtract(PaperDocument.FromDocument(doc).Sources);
            WriteCounts(delta);
            db.Commit();
            Interlocked.Exchange(ref _revision, rev);
            ApplyCounts(delta);
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

            _context.EnsureCollections(PapersCollection, TombstonesCollection, TitlesCollection, LiteDbContext.MetaCollection);
            lock (_context.WriteLock)
            {
                _context.Guard(Initialize);
            }

            _initialized = true;
        }
    }

    private void Initialize()
    {
        var meta = Meta;
        var schema = meta.FindById(SchemaKey);
        var current = schema is not null && schema["value"].IsNumber && schema["value"].AsInt32 >= SchemaVersion;
        var counts = meta.FindById(CountsKey);
        if (!current && !_context.ReadOnly)
        {
            // A new database, or one written before schema 2: create the indexes, complete the title map and count
            // once. This is the only full scan, and it runs once per database file, never again on open.
            var papers = Papers;
            papers.EnsureIndex(PaperDocument.Published);
            papers.EnsureIndex(PaperDocument.FeaturedOn);
            papers.EnsureIndex(PaperDocument.Revision);
            Tombstones.EnsureIndex(PaperDocument.Revision);
            if (papers.Exists(Query.All()))
            {
                if (!Titles.Exists(Query.All()))
                {
                    RebuildTitles();
                }

                counts = null;
            }

            if (counts is null)
            {
                counts = CountsDocument(CountAll());
                meta.Upsert(counts);
            }

            meta.Upsert(new BsonDocument { ["_id"] = SchemaKey, ["value"] = SchemaVersion });
        }

        var (count, bySource) = counts is not null ? ReadCounts(counts) : CountAll();
        _count = count;
        _bySource = bySource;
        _hasTombstones = Tombstones.Exists(Query.All());
        if (!_context.ReadOnly && count == 0 && !_hasTombstones && !Papers.Exists(Query.All()) && !Titles.Exists(Query.All()))
        {
            // Nothing stored yet and this process holds the file's lock: from here it sees every key written.
            StoredKeyFilter.StartEmpty(Db);
        }

        var rev = meta.FindById(RevisionKey);
        _revision = rev is not null && rev["value"].IsNumber ? rev["value"].AsInt64 : 0;
        var sid = meta.FindById(StoreIdKey);
        if (sid is null || !sid["value"].IsString)
        {
            _storeId = Guid.NewGuid().ToString("N");
            if (!_context.ReadOnly)
            {
                meta.Upsert(new BsonDocument { ["_id"] = StoreIdKey, ["value"] = _storeId });
            }
        }
        else
        {
            _storeId = sid["value"].AsString;
        }

        if (!_context.ReadOnly && !current)
        {
            _context.SyncToDisk();
        }
    }

    /// <summary>Counts papers and papers per source by reading every "Sources" field (legacy files, read-only files without counters).</summary>
    private (long Count, Dictionary<string, long> BySource) CountAll()
    {
        long n = 0;
        var bySource = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var doc in Papers.Query().Select("{ Sources }").ToEnumerable())
        {
            n++;
            if (doc.TryGetValue("Sources", out var v) && v.IsArray)
            {
                foreach (var src in v.AsArray.Where(x => x.IsString))
                {
                    bySource[src.AsString] = bySource.GetValueOrDefault(src.AsString) + 1;
                }
            }
        }

        return (n, bySource);
    }

    private static BsonDocument CountsDocument((long Count, Dictionary<string, long> BySource) counts)
    {
        var sources = new BsonDocument();
        foreach (var (k, v) in counts.BySource.Where(kv => kv.Value != 0))
        {
            sources[k] = v;
        }

        return new BsonDocument { ["_id"] = CountsKey, ["papers"] = counts.Count, ["sources"] = sources };
    }

    private static (long Count, Dictionary<string, long> BySource) ReadCounts(BsonDocument doc)
    {
        var bySource = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (doc.TryGetValue("sources", out var s) && s.IsDocument)
        {
            foreach (var (k, v) in s.AsDocument)
            {
                bySource[k] = v.AsInt64;
            }
        }

        return (doc["papers"].AsInt64, bySource);
    }

    /// <summary>Writes the counters with the batch's changes, inside the batch's transaction.</summary>
    private void WriteCounts(CountDelta delta)
    {
        var bySource = new Dictionary<string, long>(_bySource, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in delta.Sources)
        {
            bySource[k] = bySource.GetValueOrDefault(k) + v;
        }

        Meta.Upsert(CountsDocument((Interlocked.Read(ref _count) + delta.Papers, bySource)));
    }

    private void ApplyCounts(CountDelta? delta)
    {
        if (delta is null)
        {
            return;
        }

        Interlocked.Add(ref _count, delta.Papers);
        var bySource = new Dictionary<string, long>(_bySource, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in delta.Sources)
        {
            bySource[k] = bySource.GetValueOrDefault(k) + v;
            if (bySource[k] == 0)
            {
                bySource.Remove(k);
            }
        }

        _bySource = bySource;
    }

    public StoreStats Stats()
    {
        EnsureInitialized();
        return _context.Guard(() =>
        {
            var papers = Papers;
            DateOnly? Edge(string field, bool newest)
            {
                var q = papers.Query().Where(Query.Not(field, BsonValue.Null));
                var doc = (newest ? q.OrderByDescending(field) : q.OrderBy(field)).Select("{ " + field + " }").FirstOrDefault();
                return doc is not null && doc.TryGetValue(field, out var v) && v.IsString &&
                       DateOnly.TryParseExact(v.AsString, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
                    ? d
                    : null;
            }

            return new StoreStats(
                Interlocked.Read(ref _count),
                new Dictionary<string, long>(_bySource, StringComparer.OrdinalIgnoreCase),
                Edge(PaperDocument.Published, newest: false),
                Edge(PaperDocument.Published, newest: true),
                Edge(PaperDocument.FeaturedOn, newest: false),
                Edge(PaperDocument.FeaturedOn, newest: true),
                CurrentRevision,
                StoreId);
        });
    }

    public DateOnly? NewestTrendingDate()
    {
        var stats = Stats();
        var featured = stats.NewestFeatured;
        // Papers without a featured day count by their publication day (as in Trending); look only at those newer
        // than the newest featured day, newest first, through the Published index.
        var published = _context.Guard(() => Papers.Query()
            .Where(Query.And(Query.Not(PaperDocument.Published, BsonValue.Null), Query.EQ(PaperDocument.FeaturedOn, BsonValue.Null)))
            .OrderByDescending(PaperDocument.Published)
            .Select("{ Published }")
            .FirstOrDefault());
        DateOnly? p = published is not null && published.TryGetValue(PaperDocument.Published, out var v) && v.IsString &&
                      DateOnly.TryParseExact(v.AsString, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d
            : null;
        return featured is null ? p : p is null ? featured : featured > p ? featured : p;
    }

    /// <summary>
    /// Writes a consistent snapshot of the database to <paramref name="path"/> (also while other processes use it
    /// through this one): writers wait while the file is copied to a temporary file next to the target, which is
    /// then checked (opened read-only, papers counted) and renamed into place. Returns the papers in the snapshot.
    /// </summary>
    public long Backup(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        EnsureInitialized();
        var target = Path.GetFullPath(path);
        if (string.Equals(target, DatabasePath, StringComparison.Ordinal))
        {
            throw new ArgumentException("the backup file must not be the database itself", nameof(path));
        }

        var dir = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                _context.SnapshotTo(fs);
                fs.Flush(flushToDisk: true);
            }

            long papers;
            using (var check = new LiteDbContext(temp, readOnly: true))
            {
                papers = new LiteDbPaperStore(check).Count();
            }

            File.Move(temp, target, overwrite: true);
            return papers;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Changes to the counters made by one batch.</summary>
    private sealed class CountDelta(Dictionary<string, long> sources)
    {
        public long Papers { get; set; }

        public Dictionary<string, long> Sources { get; } = sources;

        public void Add(IEnumerable<string>? values)
        {
            foreach (var v in values ?? [])
            {
                Sources[v] = Sources.GetValueOrDefault(v) + 1;
            }
        }

        public void Subtract(IEnumerable<string>? values)
        {
            foreach (var v in values ?? [])
            {
                Sources[v] = Sources.GetValueOrDefault(v) - 1;
            }
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
            titles.Upsert(TitleDocument(key, ids));
        }
    }

    private static BsonDocument TitleDocument(string key, List<string> ids) =>
        new() { ["_id"] = key, [TitleIds] = new BsonArray(ids.Select(i => new BsonValue(i))) };

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
