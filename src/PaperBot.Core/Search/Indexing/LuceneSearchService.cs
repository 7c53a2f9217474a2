using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Snippets;
using PaperBot.Core.Search.Syntax;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// <see cref="ISearchService"/> over a Lucene index that mirrors the <see cref="IPaperStore"/> (the one truth).
/// Before every query it compares the store's <see cref="IPaperStore.StoreId"/> and
/// <see cref="IPaperStore.CurrentRevision"/> with what the index was built from (kept in the index's commit user
/// data) and catches up incrementally (<see cref="IPaperStore.DeletedSince"/>, <see cref="IPaperStore.ChangedSince"/>);
/// a missing, corrupt or foreign index is rebuilt from the store. Hits are hydrated from the store, so a paper the
/// store no longer has is never returned. Thread-safe.
/// </summary>
public sealed class LuceneSearchService : ISearchService, ISearchIndexMaintenance, IDisposable
{
    /// <summary>Bump when the document layout or analysis changes: an index with another schema is rebuilt.</summary>
    public const string Schema = "paperbot-search-4";

    private const string StoreIdKey = "storeId";
    private const string RevisionKey = "revision";
    private const string SchemaKey = "schema";

    private readonly IPaperStore _store;
    private readonly PaperIndexSettings _settings;
    private readonly string? _path;
    private readonly ILogger _logger;
    private readonly System.Threading.Lock _sync = new();
    private readonly ReaderWriterLockSlim _swap = new(LockRecursionPolicy.NoRecursion);
    private volatile IndexState? _state;
    private bool _disposed;

    public LuceneSearchService(IPaperStore store, IOptions<SearchOptions> options, ILogger<LuceneSearchService>? logger = null)
    {
        _store = store;
        _settings = options.Value.ToIndexSettings();
        _path = options.Value.IndexPath is { Length: > 0 } p && p != SearchOptions.InMemory ? Path.GetFullPath(p) : null;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>How the last freshness check went (for diagnostics and tests).</summary>
    public long IndexedRevision => _state?.Revision ?? -1;

    /// <summary>Number of full rebuilds so far (for diagnostics and tests).</summary>
    public int Rebuilds { get; private set; }

    /// <summary>BM25 only, in the query's sort order (Lucene's own sorts, no relevance floor); Relevance from the lexical model.</summary>
    public IReadOnlyList<SearchHit> Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parsed = ParsedQuery.Parse(query.Text);
        return Read(index =>
        {
            var hits = index.Search(query, parsed, query.Top, query.Sort);
            var max = index.MaxScore(parsed.RankedText);
            var ranked = hits.Select(h => new RankedId(h.Id, h.Score,
                parsed.RankedText.Length == 0 ? null : RelevanceModel.Lexical(RelevanceModel.LexicalFeature(h.Score, max)))).ToList();
            return Hydrate(index, ranked, parsed.RankedText);
        });
    }

    /// <summary>BM25 candidates for fusion: up to <paramref name="depth"/> ids in <paramref name="sort"/> order, and the query's maximum BM25.</summary>
    public LexicalCandidates Candidates(SearchQuery query, ParsedQuery parsed, int depth, SearchSort sort = SearchSort.Relevance) =>
        Read(index => new LexicalCandidates(index.Search(query, parsed, depth, sort), index.MaxScore(parsed.RankedText)));

    /// <summary>The highest BM25 any paper could reach for <paramref name="rankedText"/>.</summary>
    public double MaxScore(string rankedText) => Read(index => index.MaxScore(rankedText));

    /// <summary>Of <paramref name="ids"/>, those the query's filters and constraints admit, with their BM25 (see <see cref="PaperIndex.Admit"/>).</summary>
    public Dictionary<string, float> Admit(SearchQuery query, ParsedQuery parsed, IReadOnlyCollection<string> ids) =>
        Read(index => index.Admit(query, parsed, ids));

    /// <summary>The indexed date and upvote sort keys of those of <paramref name="ids"/> in the index (see <see cref="PaperIndex.SortKeysOf"/>).</summary>
    public Dictionary<string, SortKeys> SortKeysOf(IReadOnlyCollection<string> ids) => Read(index => index.SortKeysOf(ids));

    /// <summary>"More like this" ids for a stored paper (never the paper itself); empty when unknown.</summary>
    public IReadOnlyList<IndexHit> MoreLikeThis(string id, int top) => Read(index =>
        _store.Get(id) is { } paper && top > 0 ? index.MoreLikeThis(paper, top) : (IReadOnlyList<IndexHit>)[]);

    /// <summary>Papers for ranked ids (in that order; ids the store no longer has are dropped) with snippets for <paramref name="rankedText"/>.</summary>
    public IReadOnlyList<SearchHit> Hydrate(IReadOnlyList<RankedId> ranked, string rankedText) =>
        Read(index => Hydrate(index, ranked, rankedText));

    public IReadOnlyList<SearchHit> Related(string id, int top = 5) => Read(index =>
    {
        var paper = _store.Get(id);
        if (paper is null || top <= 0)
        {
            return [];
        }

        var hits = index.MoreLikeThis(paper, top);
        return Hydrate(index, hits.Select(h => new RankedId(h.Id, h.Score, null)).ToList(), paper.Title);
    });

    /// <summary>Brings the index up to date with the store now (also done lazily before every query).</summary>
    public void Synchronize() => EnsureFresh();

    /// <summary>
    /// Indexes one store write's changes directly (ingest: nothing is read back from the store). They are committed,
    /// with their revision, and made searchable by the next <see cref="Synchronize"/> or query; a crash before that
    /// leaves the last commit, which catches up from the store's change feed on the next open. Changes that do not
    /// follow on from the index's revision (another writer came between, or the index is not open yet) make the index
    /// catch up from the store instead, which includes them.
    /// </summary>
    public void Apply(PaperChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_sync)
        {
            var state = _state;
            if (state is not null && state.StoreId == _store.StoreId && IndexDirectoryPresent(state))
            {
                if (state.Revision >= changes.ToRevision)
                {
                    return;
                }

                if (state.Revision == changes.FromRevision)
                {
                    var index = state.Index;
                    // Deletions first (a folded title id), then updates; ids new to the store cannot be in an index
                    // that is in step with it, so they are plain adds (no delete-by-term per paper).
                    foreach (var id in changes.Removed)
                    {
                        index.Delete(id);
                    }

                    foreach (var p in changes.Updated)
                    {
                        index.Upsert(p);
                    }

                    foreach (var p in changes.Added)
                    {
                        index.Add(p);
                    }

                    _state = state with { Revision = changes.ToRevision, Pending = true };
                    return;
                }
            }
        }

        EnsureFresh();
    }

    public SearchIndexInfo Describe()
    {
        var state = _state;
        if (state is not null)
        {
            return new SearchIndexInfo(state.InMemory ? SearchOptions.InMemory : _path!, state.InMemory, state.Revision, _store.CurrentRevision, state.Index.Count);
        }

        // Not opened in this process: read the last commit's user data without opening a writer.
        var revision = -1L;
        var docs = 0;
        if (_path is not null && System.IO.Directory.Exists(_path))
        {
            try
            {
                using var dir = FSDirectory.Open(_path);
                if (DirectoryReader.IndexExists(dir))
                {
                    using var reader = DirectoryReader.Open(dir);
                    docs = reader.NumDocs;
                    var data = reader.IndexCommit.UserData;
                    if (data.TryGetValue(StoreIdKey, out var sid) && sid == _store.StoreId && data.TryGetValue(SchemaKey, out var schema) && schema == Schema &&
                        data.TryGetValue(RevisionKey, out var rev) && long.TryParse(rev, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r))
                    {
                        revision = r;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or CorruptIndexException or UnauthorizedAccessException)
            {
                _logger.LogDebug("Reading the search index state failed: {Error}", ex.Message);
            }
        }

        return new SearchIndexInfo(_path ?? SearchOptions.InMemory, _path is null, revision, _store.CurrentRevision, docs);
    }

    /// <summary>Drops the index and builds it again from the store (`paperbot reindex`).</summary>
    public SearchIndexInfo Rebuild()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_sync)
        {
            _swap.EnterWriteLock();
            try
            {
                if (_state is { } old)
                {
                    Close(old.Index);
                }

                _state = null;
                if (_path is not null)
                {
                    TryDeleteDirectory(_path);
                }

                _state = Open(_store.StoreId);
            }
            finally
            {
                _swap.ExitWriteLock();
            }
        }

        return Describe();
    }

    /// <summary>Runs <paramref name="f"/> on a fresh index; the index cannot be swapped out (closed) while it runs.</summary>
    private T Read<T>(Func<PaperIndex, T> f)
    {
        EnsureFresh();
        _swap.EnterReadLock();
        try
        {
            var state = _state ?? throw new ObjectDisposedException(nameof(LuceneSearchService));
            return f(state.Index);
        }
        finally
        {
            _swap.ExitReadLock();
        }
    }

    private List<SearchHit> Hydrate(PaperIndex index, IReadOnlyList<RankedId> hits, string rankedText)
    {
        if (hits.Count == 0)
        {
            return [];
        }

        var terms = new HashSet<string>(index.Queries.AnalyzeTerms(rankedText).Select(t => t.Key), StringComparer.Ordinal);
        var papers = _store.GetMany(hits.Select(h => h.Id)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var snippets = new SnippetExtractor(index.EnglishAnalyzer);
        var result = new List<SearchHit>(hits.Count);
        foreach (var h in hits)
        {
            // The store is the truth: a hit the store no longer has is dropped.
            if (papers.TryGetValue(h.Id, out var p))
            {
                var names = string.Join(", ", p.Authors.Append(p.Organization ?? "").Where(s => s.Length > 0));
                result.Add(new SearchHit(p, h.Score, snippets.Extract(terms, p.Abstract, p.Title, names)) { Relevance = h.Relevance });
            }
        }

        return result;
    }

    private void EnsureFresh()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var storeId = _store.StoreId;
        var revision = _store.CurrentRevision;
        var state = _state;
        if (state is not null && IsCurrent(state, storeId, revision) && !state.Pending)
        {
            return;
        }

        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            storeId = _store.StoreId;
            revision = _store.CurrentRevision;
            state = _state;
            if (state is not null && IsCurrent(state, storeId, revision))
            {
                if (state.Pending)
                {
                    // Applied changes become durable and searchable.
                    Commit(state.Index, storeId, state.Revision, state.InMemory);
                    _state = state with { Pending = false };
                }

                return;
            }

            if (state is not null && state.StoreId == storeId && revision > state.Revision && IndexDirectoryPresent(state))
            {
                _state = CatchUp(state, storeId, revision);
                return;
            }

            if (state is not null)
            {
                _logger.LogInformation("Search index is out of step with the database (store {StoreId}@{Revision}, index {IndexStore}@{IndexRevision}); rebuilding",
                    storeId, revision, state.StoreId, state.Revision);
            }

            // Readers are held off while the old index is closed and the new one opened (same directory, one writer).
            _swap.EnterWriteLock();
            try
            {
                if (state is not null)
                {
                    Close(state.Index);
                }

                _state = null;
                _state = Open(storeId);
            }
            finally
            {
                _swap.ExitWriteLock();
            }
        }
    }

    private bool IsCurrent(IndexState state, string storeId, long revision) =>
        state.StoreId == storeId && state.Revision == revision && IndexDirectoryPresent(state);

    private bool IndexDirectoryPresent(IndexState state) => state.InMemory || System.IO.Directory.Exists(_path);

    private IndexState CatchUp(IndexState state, string storeId, long revision)
    {
        var index = state.Index;
        // Deletions first: a paper deleted and then re-added must end up present.
        var deleted = 0;
        foreach (var id in _store.DeletedSince(state.Revision))
        {
            index.Delete(id);
            deleted++;
        }

        var changed = 0;
        // Only up to the revision committed below: a paper written meanwhile (by another thread) comes with the next
        // catch-up or Apply, so the index never holds a paper beyond its recorded revision.
        Parallel.ForEach(_store.ChangedSince(state.Revision).TakeWhile(p => p.Revision <= revision), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
        {
            index.Upsert(p);
            Interlocked.Increment(ref changed);
        });

        Commit(index, storeId, revision, state.InMemory);
        _logger.LogDebug("Search index caught up to revision {Revision}: {Changed} changed, {Deleted} deleted", revision, changed, deleted);
        return state with { Revision = revision, Pending = false };
    }

    private IndexState Open(string storeId)
    {
        if (_path is null)
        {
            return Rebuild(PaperIndex.CreateInMemory(_settings), storeId, inMemory: true);
        }

        PaperIndex? existing = null;
        try
        {
            if (IndexExists(_path))
            {
                existing = PaperIndex.OpenFileSystem(_path, _settings, create: false);
                var data = existing.CommitData;
                if (data.TryGetValue(SchemaKey, out var schema) && schema == Schema &&
                    data.TryGetValue(StoreIdKey, out var indexedStore) && indexedStore == storeId &&
                    data.TryGetValue(RevisionKey, out var revText) &&
                    long.TryParse(revText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var indexedRevision) &&
                    indexedRevision <= _store.CurrentRevision)
                {
                    var state = new IndexState(existing, storeId, indexedRevision, InMemory: false);
                    var current = _store.CurrentRevision;
                    return current > indexedRevision ? CatchUp(state, storeId, current) : state;
                }

                _logger.LogInformation("Search index at {Path} was built for another database or schema; rebuilding", _path);
                Close(existing);
                existing = null;
            }
        }
        catch (LockObtainFailedException)
        {
            existing?.Dispose();
            // Another process (e.g. the running bot) owns the on-disk index: serve from a private in-memory copy.
            _logger.LogWarning("Search index at {Path} is in use by another process; using a temporary in-memory index", _path);
            return Rebuild(PaperIndex.CreateInMemory(_settings), storeId, inMemory: true);
        }
        catch (Exception ex) when (ex is CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException
                                       or IOException or InvalidOperationException)
        {
            Close(existing);
            _logger.LogWarning("Search index at {Path} is unreadable ({Error}); rebuilding it from the database", _path, ex.Message);
            TryDeleteDirectory(_path);
        }

        try
        {
            return Rebuild(PaperIndex.OpenFileSystem(_path, _settings, create: true), storeId, inMemory: false);
        }
        catch (LockObtainFailedException)
        {
            _logger.LogWarning("Search index at {Path} is in use by another process; using a temporary in-memory index", _path);
            return Rebuild(PaperIndex.CreateInMemory(_settings), storeId, inMemory: true);
        }
        catch (IOException ex)
        {
            throw new IOException($"Cannot write the search index at '{_path}': {ex.Message}. Set Search:IndexPath to a writable directory.", ex);
        }
    }

    private IndexState Rebuild(PaperIndex index, string storeId, bool inMemory)
    {
        try
        {
            var revision = _store.CurrentRevision;
            index.DeleteAll();
            var n = 0;
            // Ids are unique in the store and the index is empty: plain adds, analysed on all cores. Papers written
            // after the revision recorded (by a writer running meanwhile) are left to the catch-up below, so that a
            // later Apply of their changes never adds them twice.
            Parallel.ForEach(_store.All(), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
            {
                if (p.Revision <= revision)
                {
                    index.Add(p);
                    Interlocked.Increment(ref n);
                }
            });

            Commit(index, storeId, revision, inMemory);
            index.WaitForMerges();
            Rebuilds++;
            _logger.LogInformation("Search index built from the database: {Count} papers (revision {Revision})", n, revision);
            var state = new IndexState(index, storeId, revision, inMemory);
            var current = _store.CurrentRevision;
            return current > revision ? CatchUp(state, storeId, current) : state;
        }
        catch
        {
            Close(index);
            throw;
        }
    }

    private static void Commit(PaperIndex index, string storeId, long revision, bool inMemory)
    {
        index.Commit(new Dictionary<string, string>
        {
            [StoreIdKey] = storeId,
            [RevisionKey] = revision.ToString(CultureInfo.InvariantCulture),
            [SchemaKey] = Schema,
            ["inMemory"] = inMemory ? "1" : "0",
        });
        index.Refresh();
    }

    private static bool IndexExists(string path)
    {
        if (!System.IO.Directory.Exists(path))
        {
            return false;
        }

        using var dir = FSDirectory.Open(path);
        return DirectoryReader.IndexExists(dir);
    }

    private void Close(PaperIndex? index)
    {
        if (index is null)
        {
            return;
        }

        try
        {
            index.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _logger.LogDebug("Closing the old search index failed: {Error}", ex.Message);
        }
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not delete the unreadable search index at {Path}: {Error}", path, ex.Message);
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _swap.EnterWriteLock();
            try
            {
                if (_state is { Pending: true } pending)
                {
                    // Applied changes are committed with their revision (a writer's close would commit them under the old one).
                    TryCommit(pending);
                }

                Close(_state?.Index);
                _state = null;
            }
            finally
            {
                _swap.ExitWriteLock();
            }
        }

        _swap.Dispose();
    }

    private void TryCommit(IndexState state)
    {
        try
        {
            Commit(state.Index, state.StoreId, state.Revision, state.InMemory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _logger.LogWarning("Committing the search index on close failed ({Error}); it catches up from the database on the next open", ex.Message);
        }
    }

    /// <summary>The open index and the store revision it holds; <see cref="Pending"/>: changes applied but not yet committed.</summary>
    private sealed record IndexState(PaperIndex Index, string StoreId, long Revision, bool InMemory, bool Pending = false);
}

/// <summary>A ranked paper id with its score and calibrated relevance (before hydration), and the signals behind it.</summary>
public readonly record struct RankedId(string Id, float Score, double? Relevance)
{
    /// <summary>Cosine with the query embedding (null: lexical search, or no vector).</summary>
    public float? Cosine { get; init; }

    /// <summary>Cosine minus the query's background similarity (<see cref="RelevanceModel.ReferenceRank"/>).</summary>
    public float? Standout { get; init; }

    /// <summary>BM25 relative to the query's maximum (<see cref="RelevanceModel.LexicalFeature"/>).</summary>
    public double Lexical { get; init; }
}

/// <summary>BM25 candidates and the query's maximum BM25 (for <see cref="RelevanceModel.LexicalFeature"/>).</summary>
public sealed record LexicalCandidates(IReadOnlyList<IndexHit> Hits, double MaxScore);
