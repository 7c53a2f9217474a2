using LiteDB;
using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;
using static PaperBot.Testing.Storage.StoreContractTests;

namespace PaperBot.Storage.Tests;

public sealed class LiteDbPaperStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_upsert_ends_at_a_sync_point_the_data_file_alone_holds_it()
    {
        // A crash right after Upsert returns: only what reached the data file counts (no log, no clean close).
        var path = _dir.File("live.db");
        using var ctx = new LiteDbContext(path);
        var store = new LiteDbPaperStore(ctx);
        store.Upsert(Enumerable.Range(1, 3000).Select(i => P($"2401.{i:00000}", $"Paper {i}", i)));
        store.Upsert([P("2401.00007", "Paper 7", 700)]);

        var copy = _dir.File("crash-copy.db");
        using (var src = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var dst = File.Create(copy))
        {
            src.CopyTo(dst);
        }

        using var reopened = new LiteDbContext(copy);
        var after = new LiteDbPaperStore(reopened);
        Assert.Equal(3000, after.Count());
        Assert.Equal(700, after.Get("2401.00007")!.Upvotes);
        Assert.Equal(store.CurrentRevision, after.CurrentRevision);
    }

    [Fact]
    public void Creates_missing_directory_and_persists_across_reopen()
    {
        var path = Path.Combine(_dir.Path, "nested", "deeper", "papers.db");
        string storeId;
        using (var ctx = new LiteDbContext(path))
        {
            var store = new LiteDbPaperStore(ctx);
            Assert.Equal(new UpsertResult(2, 0, 0), store.Upsert([P("2401.00001", "One"), P("2401.00002", "Two")]));
            storeId = store.StoreId;
            Assert.Equal(2, store.CurrentRevision);
        }

        Assert.True(File.Exists(path));
        using (var ctx = new LiteDbContext(path))
        {
            var store = new LiteDbPaperStore(ctx);
            Assert.Equal(2, store.Count());
            Assert.Equal(storeId, store.StoreId);
            Assert.Equal(2, store.CurrentRevision);
            Assert.Equal("Two", store.Get("2401.00002")!.Title);
        }

        using (var other = new LiteDbContext(_dir.File("other.db")))
        {
            Assert.NotEqual(storeId, new LiteDbPaperStore(other).StoreId);
        }
    }

    [Fact]
    public void Declares_indexes_on_id_dates_and_revision_only()
    {
        var path = _dir.File("p.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert([P("2401.00001", "A")]);
        }

        using var db = new LiteDatabase(path);
        var indexes = db.GetCollection("$indexes").Find(Query.EQ("collection", "papers")).Select(d => d["name"].AsString).ToHashSet();
        // Trending reads the date indexes, the change feed the revision index; nothing queries upvotes in the
        // database (sorting is done by Lucene or in memory), so that index would only slow every insert down.
        Assert.Equal(new HashSet<string> { "_id", "Published", "FeaturedOn", "Revision" }, indexes);
    }

    [Fact]
    public void Upsert_reports_each_committed_batch_with_contiguous_revisions_added_updated_and_folded()
    {
        using var ctx = new LiteDbContext(_dir.File("changes.db"));
        var store = new LiteDbPaperStore(ctx);
        var seen = new List<PaperChanges>();
        store.Upsert([P(null!, "A paper known only by its title"), P("2401.00001", "First paper")], MergeMode.Merge, seen.Add);
        var first = Assert.Single(seen);
        Assert.Equal(0, first.FromRevision);
        Assert.Equal(store.CurrentRevision, first.ToRevision);
        Assert.Equal(2, first.Added.Count);
        Assert.Empty(first.Updated);
        Assert.Empty(first.Removed);
        Assert.All(first.Added, p => Assert.InRange(p.Revision, first.FromRevision + 1, first.ToRevision));
        var titleId = first.Added.Single(p => PaperId.IsTitleId(p.Id)).Id;

        // An update, and the arXiv id of the title-only paper: it takes that paper over (the title id is folded).
        seen.Clear();
        store.Upsert([P("2401.00001", "First paper", upvotes: 9), P("2401.00002", "A paper known only by its title")], MergeMode.Merge, seen.Add);
        var second = Assert.Single(seen);
        Assert.Equal(first.ToRevision, second.FromRevision);
        Assert.Equal(store.CurrentRevision, second.ToRevision);
        var updated = Assert.Single(second.Updated);
        Assert.Equal(("2401.00001", 9), (updated.Id, updated.Upvotes));
        Assert.Equal("2401.00002", Assert.Single(second.Added).Id);
        Assert.Equal(titleId, Assert.Single(second.Removed));
        Assert.Equal("2401.00002", store.Get(titleId)!.Id);

        // Nothing changed: nothing reported. A second title-only sighting merges into the arXiv paper (title map kept).
        seen.Clear();
        store.Upsert([P("2401.00001", "First paper", upvotes: 9)], MergeMode.Merge, seen.Add);
        Assert.Empty(seen);
        store.Upsert([P(null!, "A paper known only by its title", upvotes: 4)], MergeMode.Merge, seen.Add);
        Assert.Equal(("2401.00002", 4), (Assert.Single(Assert.Single(seen).Updated).Id, store.Get("2401.00002")!.Upvotes));
        Assert.Equal(2, store.Count());
    }
}
