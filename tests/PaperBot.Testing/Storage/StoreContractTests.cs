using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using Xunit;

namespace PaperBot.Testing.Storage;

/// <summary>A record type for the record-store contract (dates, offsets and lists must round-trip).</summary>
public sealed record ContractRecord(string Guild, int Tokens, DateOnly Day, DateTimeOffset At, List<string> Tags);

/// <summary>
/// The store contract every provider meets (IPaperStore and IRecordStore&lt;T&gt;): one suite, one subclass per
/// provider (LiteDB in PaperBot.Storage.Tests, PostgreSQL in PaperBot.Storage.Postgres.Tests). xunit makes a new
/// instance per test, so every test gets a fresh, empty store.
/// </summary>
public abstract class StoreContractTests
{
    /// <summary>A fresh, empty paper store for this test.</summary>
    protected abstract IPaperStore Papers { get; }

    /// <summary>The records of type T in this test's database.</summary>
    protected abstract IRecordStore<T> Records<T>() where T : class;

    /// <summary>
    /// Another handle on this test's database as a second process opens it (LiteDB: another store on the same file's
    /// context, as the file is shared through its owner; PostgreSQL: another data source).
    /// </summary>
    protected abstract (IPaperStore Papers, IRecordStore<ContractRecord> Records) OpenAgain();

    /// <summary>A test paper (also used by the provider-specific tests).</summary>
    public static Paper P(string arxiv, string title, int? upvotes = null, DateOnly? featured = null, DateOnly? published = null, string abs = "abstract") => new()
    {
        ArxivId = arxiv,
        Title = title,
        Abstract = abs,
        Upvotes = upvotes,
        FeaturedOn = featured,
        Published = published,
        Sources = ["test"],
    };

    [SkippableFact]
    public void Upsert_is_idempotent()
    {
        var store = Papers;
        var batch = Enumerable.Range(0, 50).Select(i => P($"2401.{i:00000}", $"Paper {i}", i, new DateOnly(2024, 1, 1 + (i % 28)))).ToList();
        Assert.Equal(new UpsertResult(50, 0, 0), store.Upsert(batch));
        var rev = store.CurrentRevision;
        Assert.Equal(new UpsertResult(0, 0, 50), store.Upsert(batch));
        Assert.Equal(rev, store.CurrentRevision);
        Assert.Empty(store.ChangedSince(rev));
        Assert.Equal(50, store.Count());
    }

    [SkippableFact]
    public void Upsert_does_not_mutate_the_callers_objects()
    {
        var store = Papers;
        var p = P("arXiv:2401.00001v2", "  Title  ");
        store.Upsert([p]);
        Assert.Equal("", p.Id);
        Assert.Equal("  Title  ", p.Title);
        Assert.Equal("Title", store.Get("2401.00001")!.Title);
    }

    [SkippableFact]
    public void Merge_never_downgrades_and_reports_updates()
    {
        var store = Papers;
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

    [SkippableFact]
    public void Duplicates_within_one_batch_are_merged()
    {
        var store = Papers;
        var r = store.Upsert([P("2401.00001", "One", 5), P("2401.00001v2", "One", 9), P("2401.00001", "One", 9)]);
        Assert.Equal(new UpsertResult(1, 1, 1), r);
        Assert.Equal(9, store.Get("2401.00001")!.Upvotes);
        Assert.Equal(1, store.Count());
    }

    [SkippableFact]
    public void Title_id_paper_merges_into_arxiv_paper_of_the_same_title_either_order()
    {
        var store = Papers;

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

    [SkippableFact]
    public void Deleted_paper_no_longer_absorbs_title_only_sightings()
    {
        var store = Papers;
        store.Upsert([P("2401.00001", "Gone Paper")]);
        Assert.True(store.Delete("2401.00001"));
        Assert.Equal(new UpsertResult(1, 0, 0), store.Upsert([new Paper { Title = "Gone paper", Sources = ["hf-page"] }]));
        Assert.Equal(PaperId.FromTitle("Gone Paper"), Assert.Single(store.All()).Id);
    }

    [SkippableFact]
    public void Title_only_twins_within_one_batch_merge_with_the_arxiv_record()
    {
        var store = Papers;
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

    [SkippableFact]
    public void Different_arxiv_papers_with_the_same_title_stay_apart()
    {
        var store = Papers;
        store.Upsert([P("2401.00001", "Same Title"), P("2401.00002", "Same Title")]);
        Assert.Equal(2, store.Count());
    }

    [SkippableFact]
    public void Trending_orders_by_upvotes_then_date_within_range()
    {
        var store = Papers;
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

    [SkippableFact]
    public void ChangedSince_and_DeletedSince_track_revisions()
    {
        var store = Papers;
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

    [SkippableFact]
    public void All_and_ChangedSince_page_through_large_stores()
    {
        var store = Papers;
        store.Upsert(Enumerable.Range(0, 2500).Select(i => P($"2401.{i:00000}", $"Paper {i}")));
        var all = store.All().Select(p => p.Id).ToList();
        Assert.Equal(2500, all.Count);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        var changed = store.ChangedSince(100).Select(p => p.Revision).ToList();
        Assert.Equal(2400, changed.Count);
        Assert.Equal(Enumerable.Range(101, 2400).Select(i => (long)i), changed);
    }

    [SkippableFact]
    public void GetMany_returns_found_papers_in_request_order()
    {
        var store = Papers;
        store.Upsert([P("2401.00001", "A"), P("2401.00002", "B")]);
        Assert.Equal(["B", "A"], store.GetMany(["2401.00002", "missing", "2401.00001"]).Select(p => p.Title));
    }

    [SkippableFact]
    public void Round_trips_every_field()
    {
        var store = Papers;
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

    [SkippableFact]
    public void Replace_mode_lets_corrections_win_and_moves_the_title_key()
    {
        var store = Papers;
        store.Upsert([P("2401.00001", "Old Title", 50, abs: "A long and detailed abstract.")]);
        var fix = new Paper { ArxivId = "2401.00001", Title = "New Title", Abstract = "Short.", Upvotes = 3, Sources = ["admin"] };
        Assert.Equal(new UpsertResult(0, 1, 0), store.Upsert([fix], MergeMode.Replace));
        var p = store.Get("2401.00001")!;
        Assert.Equal(("New Title", "Short.", 3), (p.Title, p.Abstract, p.Upvotes));

        // The old title no longer folds title-only sightings into it; the new one does.
        Assert.Equal(new UpsertResult(1, 0, 0), store.Upsert([new Paper { Title = "Old title", Sources = ["hf-page"] }]));
        Assert.Equal(new UpsertResult(0, 1, 0), store.Upsert([new Paper { Title = "NEW TITLE", Upvotes = 9, Sources = ["hf-page"] }]));
        Assert.Equal(2, store.Count());
        Assert.Equal(9, store.Get("2401.00001")!.Upvotes);
    }

    [SkippableFact]
    public void Stats_count_sources_and_date_ranges_and_name_the_store()
    {
        var store = Papers;
        Assert.Null(store.NewestTrendingDate());
        var arxiv = P("2401.00001", "A", 1, new DateOnly(2024, 1, 10), new DateOnly(2023, 12, 1));
        arxiv.Sources = ["arxiv", "hf-api"];
        store.Upsert([arxiv, P("2401.00002", "B", 2, null, new DateOnly(2024, 3, 5)), P("2401.00003", "C", 3, new DateOnly(2024, 2, 1))]);
        var s = store.Stats();
        Assert.Equal(3, s.Papers);
        Assert.Equal(2, s.BySource["test"]);
        Assert.Equal(1, s.BySource["ARXIV"]);
        Assert.Equal(1, s.BySource["hf-api"]);
        Assert.Equal((new DateOnly(2023, 12, 1), new DateOnly(2024, 3, 5)), (s.OldestPublished, s.NewestPublished));
        Assert.Equal((new DateOnly(2024, 1, 10), new DateOnly(2024, 2, 1)), (s.OldestFeatured, s.NewestFeatured));
        Assert.Equal(store.CurrentRevision, s.Revision);
        Assert.Equal(store.StoreId, s.StoreId);
        Assert.False(string.IsNullOrWhiteSpace(s.StoreId));
        Assert.Equal(new DateOnly(2024, 3, 5), store.NewestTrendingDate());
        Assert.True(store.Delete("2401.00002"));
        Assert.Equal(new DateOnly(2024, 2, 1), store.NewestTrendingDate());
        Assert.Equal(2, store.Stats().Papers);
        Assert.Equal(2, store.Count());
    }

    [SkippableFact]
    public void Unstorable_papers_are_refused_with_their_id_and_nothing_is_written()
    {
        var store = Papers;
        var big = P("2401.00001", "Big", abs: new string('x', PaperLimits.Default.MaxAbstractChars + 1));
        var ex = Assert.Throws<PaperRecordException>(() => store.Upsert([P("2401.00002", "Fine"), big]));
        Assert.Contains("2401.00001", ex.Message);
        Assert.Throws<PaperRecordException>(() => store.Upsert([new Paper { Abstract = "no title, no id" }]));
        Assert.Equal(0, store.Count());
        Assert.Equal(0, store.CurrentRevision);
    }

    [SkippableFact]
    public void A_second_handle_sees_writes_and_the_same_store_id()
    {
        var store = Papers;
        store.Upsert([P("2401.00001", "A", 1)]);
        var (other, _) = OpenAgain();
        Assert.Equal(store.StoreId, other.StoreId);
        Assert.Equal(1, other.Get("2401.00001")!.Upvotes);
        other.Upsert([P("2401.00001", "A", 7), P("2401.00002", "B")]);
        Assert.Equal(7, store.Get("2401.00001")!.Upvotes);
        Assert.Equal(3, store.CurrentRevision);
        Assert.Equal(["2401.00001", "2401.00002"], store.ChangedSince(1).Select(p => p.Id));
    }

    [SkippableFact]
    public async Task Concurrent_upserts_from_two_handles_merge_without_losing_or_duplicating()
    {
        var store = Papers;
        var (other, _) = OpenAgain();
        var start = new ManualResetEventSlim();
        var tasks = new[] { store, other }.SelectMany((s, n) => Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 25; i++)
            {
                // Every writer touches the same 25 papers with its own upvotes: the max must win everywhere.
                s.Upsert([P($"2401.{i:00000}", $"Paper {i}", (n * 4) + t)]);
            }
        }))).ToList();
        start.Set();
        await Task.WhenAll(tasks);
        Assert.Equal(25, store.Count());
        Assert.All(store.All(), p => Assert.Equal(7, p.Upvotes));
        var revisions = store.ChangedSince(0).Select(p => p.Revision).ToList();
        Assert.Equal(revisions.Distinct().Count(), revisions.Count);
        Assert.Equal(store.CurrentRevision, revisions.Max());
    }

    [SkippableFact]
    public void Records_put_get_delete_all_round_trip()
    {
        var store = Records<ContractRecord>();
        var b = new ContractRecord("g1", 100, new DateOnly(2026, 8, 20), new DateTimeOffset(2026, 8, 20, 10, 0, 0, TimeSpan.FromHours(2)), ["a"]);
        store.Put("g1", b);
        var got = store.Get("g1")!;
        Assert.Equal((b.Guild, b.Tokens, b.Day, b.At, "a"), (got.Guild, got.Tokens, got.Day, got.At, got.Tags.Single()));
        store.Put("g1", b with { Tokens = 5 });
        Assert.Equal(5, store.Get("g1")!.Tokens);
        Assert.Single(store.All());
        Assert.Equal(1, store.Count());
        Assert.True(store.Delete("g1"));
        Assert.False(store.Delete("g1"));
        Assert.Null(store.Get("g1"));
        Assert.Equal(0, store.Count());
    }

    [SkippableFact]
    public void Record_types_live_in_separate_collections()
    {
        Records<ContractRecord>().Put("k", new ContractRecord("g", 1, default, default, []));
        Records<OtherRecord>().Put("k", new OtherRecord("other"));
        Assert.Equal("g", Records<ContractRecord>().Get("k")!.Guild);
        Assert.Equal("other", Records<OtherRecord>().Get("k")!.Name);
        Assert.True(Records<OtherRecord>().Delete("k"));
        Assert.NotNull(Records<ContractRecord>().Get("k"));
    }

    [SkippableFact]
    public async Task TryInsert_succeeds_exactly_once_under_concurrency_across_handles()
    {
        var store = Records<ContractRecord>();
        var (_, other) = OpenAgain();
        var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait();
            return (i % 2 == 0 ? store : other).TryInsert("digest:2026-08-20", new ContractRecord("g", i, default, default, []));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);
        Assert.Equal(1, results.Count(r => r));
        Assert.False(store.TryInsert("digest:2026-08-20", new ContractRecord("g", 99, default, default, [])));
        var winner = Enumerable.Range(0, 16).Single(i => results[i]);
        Assert.Equal(winner, other.Get("digest:2026-08-20")!.Tokens);
    }
}

public sealed record OtherRecord(string Name);
