using LiteDB;
using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Storage.Tests;

public sealed class LiteDbPaperStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Paper P(string arxiv, string title, int? upvotes = null, DateOnly? featured = null, DateOnly? published = null, string abs = "abstract") => new()
    {
        ArxivId = arxiv,
        Title = title,
        Abstract = abs,
        Upvotes = upvotes,
        FeaturedOn = featured,
        Published = published,
        Sources = ["test"],
    };

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
    public void Upsert_is_idempotent()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        var batch = Enumerable.Range(0, 50).Select(i => P($"2401.{i:00000}", $"Paper {i}", i, new DateOnly(2024, 1, 1 + (i % 28)))).ToList();
        Assert.Equal(new UpsertResult(50, 0, 0), store.Upsert(batch));
        var rev = store.CurrentRevision;
        Assert.Equal(new UpsertResult(0, 0, 50), store.Upsert(batch));
        Assert.Equal(rev, store.CurrentRevision);
        Assert.Empty(store.ChangedSince(rev));
        Assert.Equal(50, store.Count());
    }

    [Fact]
    public void Upsert_does_not_mutate_the_callers_objects()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        var p = P("arXiv:2401.00001v2", "  Title  ");
        store.Upsert([p]);
        Assert.Equal("", p.Id);
        Assert.Equal("  Title  ", p.Title);
        Assert.Equal("Title", store.Get("2401.00001")!.Title);
    }

    [Fact]
    public void Merge_never_downgrades_and_reports_updates()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([P("2401.00001", "One", 50, abs: "A long and detailed abstract.")]);
        Assert.Equal(new UpsertResult(0, 0, 1), store.Upsert([P("2401.00001", "One", 10, abs: "Short.")]));
        var stored = store.Get("2401.00001")!;
        Assert.Equal(50, stored.Upvotes);
        Assert.Equal("A long and detailed abstract.", stored.Abstract);

        var richer = P("2401.00001", "One", 70);
        richer.Authors = ["Ann", "Bo"];
        richer.Sources = ["hf-api"];
        Assert.Equal(new UpsertResult(0, 1, 0), store.Upsert([richer]));
        stored = store.Get("2401.00001")!;
        Assert.Equal(70, stored.Upvotes);
        Assert.Equal(["Ann", "Bo"], stored.Authors);
        Assert.Equal(2, stored.AuthorCount);
        Assert.Equal(["test", "hf-api"], stored.Sources);
        Assert.Equal(1, store.Count());
    }

    [Fact]
    public void Duplicates_within_one_batch_are_merged()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        var r = store.Upsert([P("2401.00001", "One", 5), P("2401.00001v2", "One", 9), P("2401.00001", "One", 9)]);
        Assert.Equal(new UpsertResult(1, 1, 1), r);
        Assert.Equal(9, store.Get("2401.00001")!.Upvotes);
        Assert.Equal(1, store.Count());
    }

    [Fact]
    public void Title_id_paper_merges_into_arxiv_paper_of_the_same_title_either_order()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);

        // Title-only first, then the arXiv record: the arXiv id takes over, the title id is tombstoned but still resolves.
        var pageText = new Paper { Title = "Scaling Laws: For Everything", Abstract = "From the page.", AuthorCount = 5, Upvotes = 30, Sources = ["hf-page"] };
        Assert.Equal(new UpsertResult(1, 0, 0), store.Upsert([pageText]));
        var titleId = PaperId.FromTitle("Scaling Laws: For Everything");
        Assert.NotNull(store.Get(titleId));
        var rev = store.CurrentRevision;

        var arxiv = new Paper { ArxivId = "2402.01234v1", Title = "Scaling laws for everything", Abstract = "From arXiv, longer than the page.", Authors = ["A", "B", "C", "D", "E"], Categories = ["cs.LG"], Sources = ["arxiv"] };
        Assert.Equal(new UpsertResult(0, 1, 0), store.Upsert([arxiv]));
        Assert.Equal(1, store.Count());
        var merged = store.Get("2402.01234")!;
        Assert.Equal(30, merged.Upvotes);
        Assert.Equal(5, merged.AuthorCount);
        Assert.Equal(["hf-page", "arxiv"], merged.Sources);
        Assert.Equal("2402.01234", store.Get(titleId)!.Id);
        Assert.Equal([titleId], store.DeletedSince(rev));
        Assert.Equal(["2402.01234"], store.ChangedSince(rev).Select(p => p.Id));

        // Title-only again (another page with more upvotes): merged into the arXiv paper, nothing new.
        Assert.Equal(new UpsertResult(0, 1, 0), store.Upsert([new Paper { Title = "SCALING LAWS for everything!", Upvotes = 31, Sources = ["hf-page"] }]));
        Assert.Equal(1, store.Count());
        Assert.Equal(31, store.Get("2402.01234")!.Upvotes);
    }

    [Fact]
    public void Deleted_paper_no_longer_absorbs_title_only_sightings()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([P("2401.00001", "Gone Paper")]);
        Assert.True(store.Delete("2401.00001"));
        Assert.Equal(new UpsertResult(1, 0, 0), store.Upsert([new Paper { Title = "Gone paper", Sources = ["hf-page"] }]));
        Assert.Equal(PaperId.FromTitle("Gone Paper"), Assert.Single(store.All()).Id);
    }

    [Fact]
    public void Title_only_twins_within_one_batch_merge_with_the_arxiv_record()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        var r = store.Upsert([
            new Paper { Title = "Twin Paper", AuthorCount = 3, Upvotes = 4, Sources = ["hf-page"] },
            P("2401.00007", "Twin paper", 2),
            new Paper { Title = "TWIN PAPER", Upvotes = 9, Sources = ["hf-page"] },
        ]);
        Assert.Equal(1, store.Count());
        Assert.Equal(3, r.Total);
        var p = store.Get("2401.00007")!;
        Assert.Equal(9, p.Upvotes);
        Assert.Equal(3, p.AuthorCount);
        Assert.Empty(store.DeletedSince(0)); // the title id never reached the database
    }

    [Fact]
    public void Different_arxiv_papers_with_the_same_title_stay_apart()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([P("2401.00001", "Same Title"), P("2401.00002", "Same Title")]);
        Assert.Equal(2, store.Count());
    }

    [Fact]
    public void Trending_orders_by_upvotes_then_date_within_range()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([
            P("2401.00001", "A", 10, new DateOnly(2024, 1, 10)),
            P("2401.00002", "B", 30, new DateOnly(2024, 1, 11)),
            P("2401.00003", "C", 10, new DateOnly(2024, 1, 12)),
            P("2401.00004", "D", 99, new DateOnly(2024, 2, 1)), // out of range
            P("2401.00005", "E", 20, null, new DateOnly(2024, 1, 11)), // not featured: published date counts
            P("2401.00006", "F", null, new DateOnly(2024, 1, 12)),
        ]);
        var top = store.Trending(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31), 10);
        Assert.Equal(["B", "E", "C", "A", "F"], top.Select(p => p.Title));
        Assert.Equal(["B", "E"], store.Trending(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31), 2).Select(p => p.Title));
        Assert.Empty(store.Trending(new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31), 10));
    }

    [Fact]
    public void ChangedSince_and_DeletedSince_track_revisions()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([P("2401.00001", "A", 1), P("2401.00002", "B", 1), P("2401.00003", "C", 1)]);
        var r0 = store.CurrentRevision;
        Assert.Equal(3, r0);
        Assert.Equal(["2401.00001", "2401.00002", "2401.00003"], store.ChangedSince(0).Select(p => p.Id));

        store.Upsert([P("2401.00002", "B", 5)]);
        Assert.True(store.Delete("2401.00003"));
        Assert.False(store.Delete("2401.00003"));
        Assert.Equal(["2401.00002"], store.ChangedSince(r0).Select(p => p.Id));
        Assert.Equal(["2401.00003"], store.DeletedSince(r0));
        Assert.Empty(store.DeletedSince(store.CurrentRevision));
        Assert.Equal(5, store.CurrentRevision);
        var changed = store.ChangedSince(0).ToList();
        Assert.Equal(changed.Select(p => p.Revision).Order(), changed.Select(p => p.Revision));
        Assert.Null(store.Get("2401.00003"));

        // Re-adding a deleted paper clears its tombstone.
        store.Upsert([P("2401.00003", "C", 1)]);
        Assert.Empty(store.DeletedSince(r0));
    }

    [Fact]
    public void All_and_ChangedSince_page_through_large_stores()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert(Enumerable.Range(0, 2500).Select(i => P($"2401.{i:00000}", $"Paper {i}")));
        var all = store.All().Select(p => p.Id).ToList();
        Assert.Equal(2500, all.Count);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        var changed = store.ChangedSince(100).Select(p => p.Revision).ToList();
        Assert.Equal(2400, changed.Count);
        Assert.Equal(Enumerable.Range(101, 2400).Select(i => (long)i), changed);
    }

    [Fact]
    public void GetMany_returns_found_papers_in_request_order()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([P("2401.00001", "A"), P("2401.00002", "B")]);
        Assert.Equal(["B", "A"], store.GetMany(["2401.00002", "missing", "2401.00001"]).Select(p => p.Title));
    }

    [Fact]
    public void Round_trips_every_field()
    {
        using var ctx = new LiteDbContext(_dir.File("p.db"));
        var store = new LiteDbPaperStore(ctx);
        var p = new Paper
        {
            ArxivId = "2401.00009",
            Title = "Full",
            Abstract = "Abs",
            Authors = ["A B", "C D"],
            Organization = "Org",
            Published = new DateOnly(2024, 1, 2),
            FeaturedOn = new DateOnly(2024, 1, 3),
            Upvotes = 7,
            ArxivUrl = "https://arxiv.org/abs/2401.00009",
            PdfUrl = "https://arxiv.org/pdf/2401.00009",
            HfUrl = "https://huggingface.co/papers/2401.00009",
            GithubUrl = "https://github.com/o/r",
            GithubStars = 12,
            ProjectPage = "https://example.org",
            Keywords = ["k1", "k2"],
            AiSummary = "Summary",
            Categories = ["cs.CL"],
            Sources = ["hf-api"],
        };
        store.Upsert([p]);
        var s = store.Get("2401.00009")!;
        Assert.Equal(
            (p.Title, p.Abstract, "A B|C D", 2, p.Organization, p.Published, p.FeaturedOn, p.Upvotes, p.ArxivUrl, p.PdfUrl, p.HfUrl, p.GithubUrl, p.GithubStars, p.ProjectPage, "k1|k2", p.AiSummary, "cs.CL", "hf-api"),
            (s.Title, s.Abstract, string.Join('|', s.Authors), s.AuthorCount!.Value, s.Organization, s.Published, s.FeaturedOn, s.Upvotes, s.ArxivUrl, s.PdfUrl, s.HfUrl, s.GithubUrl, s.GithubStars, s.ProjectPage, string.Join('|', s.Keywords), s.AiSummary, string.Join('|', s.Categories), string.Join('|', s.Sources)));
        Assert.True(s.Revision > 0);
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
}
