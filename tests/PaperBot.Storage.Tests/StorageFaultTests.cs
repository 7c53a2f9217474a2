using System.Diagnostics;
using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Storage.Tests;

/// <summary>The faults of issue 12: oversized records, damaged files, full disk, read-only files and folders.</summary>
public sealed class StorageFaultTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Paper P(int i, int abstractChars = 200) => new()
    {
        Id = $"2401.{i:D5}",
        ArxivId = $"2401.{i:D5}",
        Title = $"Paper number {i}",
        Abstract = new string('a', abstractChars),
        Sources = ["jsonl"],
    };

    [Fact]
    public void Oversized_record_is_a_record_error_and_the_database_stays_healthy()
    {
        using var ctx = new LiteDbContext(_dir.File("big.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([P(1)]);

        var ex = Assert.Throws<PaperRecordException>(() => store.Upsert([P(2, abstractChars: 21_000_000)]));
        Assert.Contains("abstract is 21,000,000 characters", ex.Message);
        Assert.Contains("Storage:MaxAbstractChars", ex.Message);
        Assert.Equal("2401.00002", ex.PaperId);
        Assert.IsNotType<PaperStoreException>(ex);

        // Nothing of the refused batch was written, and the store keeps working.
        Assert.Equal(1, store.Count());
        Assert.Equal(1, store.Upsert([P(3)]).Added);
        Assert.Equal(2, store.Count());
    }

    [Fact]
    public void Nul_characters_are_stripped_not_reported_as_corruption()
    {
        using var ctx = new LiteDbContext(_dir.File("nul.db"));
        var store = new LiteDbPaperStore(ctx);
        var p = P(1);
        p.Title = "Null\0 byte title";
        p.Authors = ["A\0B"];
        Assert.Equal(1, store.Upsert([p]).Added);
        Assert.Equal("Null byte title", store.Get("2401.00001")!.Title);
        Assert.Equal(["AB"], store.Get("2401.00001")!.Authors);
    }

    [Fact]
    public void Damaged_database_is_left_byte_identical()
    {
        var path = _dir.File("damaged.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert(Enumerable.Range(0, 300).Select(i => P(i, 500)));
        }

        var bytes = File.ReadAllBytes(path);
        var garbage = new byte[bytes.Length - 8192];
        new Random(7).NextBytes(garbage);
        garbage.CopyTo(bytes, 8192); // header page kept, every other page trashed
        File.WriteAllBytes(path, bytes);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var broken = new LiteDbContext(path);
            var ex = Assert.ThrowsAny<PaperStoreException>(() => new LiteDbPaperStore(broken).All().ToList());
            Assert.Equal(StoreErrorKind.Corrupt, ex.Kind);
            Assert.Contains(path, ex.Message);
            Assert.Contains("paperbot repair", ex.Message);
        }

        // Every byte, the header page and LiteDB's "invalid state" flag included.
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void File_marked_invalid_by_LiteDB_is_refused_not_rebuilt_in_place()
    {
        var path = _dir.File("marked.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert([P(1)]);
        }

        var bytes = File.ReadAllBytes(path);
        bytes[191] = 1; // what LiteDB writes when it meets a damaged page
        File.WriteAllBytes(path, bytes);
        using var again = new LiteDbContext(path);
        var ex = Assert.Throws<PaperStoreException>(() => again.EnsureOpen());
        Assert.Equal(StoreErrorKind.Corrupt, ex.Kind);
        Assert.Contains("marked it as damaged", ex.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Read_only_mode_reads_and_refuses_paper_writes_and_keeps_records_in_memory()
    {
        var path = _dir.File("ro.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert([P(1), P(2)]);
            new LiteDbRecordStore<Note>(ctx).Put("a", new Note("stored"));
        }

        var before = File.ReadAllBytes(path);
        using (var ro = new LiteDbContext(path, readOnly: true))
        {
            var store = new LiteDbPaperStore(ro);
            Assert.Equal(2, store.Count());
            Assert.Equal("Paper number 1", store.Get("2401.00001")!.Title);
            var ex = Assert.Throws<PaperStoreException>(() => store.Upsert([P(3)]));
            Assert.Equal(StoreErrorKind.ReadOnly, ex.Kind);
            Assert.Contains("--read-only", ex.Message);
            Assert.Throws<PaperStoreException>(() => store.Delete("2401.00001"));

            var notes = new LiteDbRecordStore<Note>(ro);
            Assert.Equal("stored", notes.Get("a")!.Text);
            notes.Put("b", new Note("session only"));
            Assert.Equal("session only", notes.Get("b")!.Text);
            Assert.Equal(2, notes.All().Count);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".lock") && new FileInfo(path + ".lock").LastWriteTimeUtc > TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(1));
        using var rw = new LiteDbContext(path);
        Assert.Null(new LiteDbRecordStore<Note>(rw).Get("b"));
    }

    [SkippableFact]
    public void Read_only_mount_says_read_only_and_opens_with_read_only()
    {
        using var fs = SmallFileSystem.TryCreate(4096, out var reason);
        Skip.If(fs is null, reason);
        var path = fs!.File("papers.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert([P(1)]);
        }

        fs.RemountReadOnly();
        using (var rw = new LiteDbContext(path))
        {
            var ex = Assert.Throws<PaperStoreException>(() => new LiteDbPaperStore(rw).Count());
            Assert.Equal(StoreErrorKind.ReadOnly, ex.Kind);
            Assert.Contains("read-only", ex.Message);
            Assert.DoesNotContain("locked", ex.Message);
            Assert.Contains("--read-only", ex.Message);
        }

        using var ro = new LiteDbContext(path, readOnly: true);
        Assert.Equal("Paper number 1", new LiteDbPaperStore(ro).Get("2401.00001")!.Title);
    }

    [SkippableFact]
    public void Full_disk_fails_fast_with_disk_full_and_loses_nothing_committed()
    {
        using var fs = SmallFileSystem.TryCreate(3072, out var reason);
        Skip.If(fs is null, reason);
        var path = fs!.File("papers.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert(Enumerable.Range(0, 100).Select(i => P(i)));
        }

        fs.Fill(leaveBytes: 64 * 1024);
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < 2; run++)
        {
            // The issue: a repeated ingest on a full disk hung or crashed with ObjectDisposedException.
            using var ctx = new LiteDbContext(path);
            var store = new LiteDbPaperStore(ctx);
            var ex = Assert.Throws<PaperStoreException>(() =>
            {
                for (var b = 0; b < 50; b++)
                {
                    store.Upsert(Enumerable.Range(1000 + b * 200, 200).Select(i => P(i, 2000)));
                }
            });
            Assert.Equal(StoreErrorKind.DiskFull, ex.Kind);
            Assert.Contains("full", ex.Message);
            Assert.Equal(StoreErrorKind.DiskFull, Assert.Throws<PaperStoreException>(() => store.Upsert([P(99_999)])).Kind);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        File.Delete(fs.File("filler.bin"));
        using var after = new LiteDbContext(path);
        var reopened = new LiteDbPaperStore(after);
        Assert.All(Enumerable.Range(0, 100), i => Assert.NotNull(reopened.Get($"2401.{i:D5}")));
        Assert.True(reopened.Count() >= 100);
        Assert.Equal(reopened.All().Count(), reopened.Count());
    }

    [Fact]
    public void Backup_is_a_consistent_copy_that_opens_and_matches()
    {
        var path = _dir.File("live.db");
        using var ctx = new LiteDbContext(path);
        var store = new LiteDbPaperStore(ctx);
        store.Upsert(Enumerable.Range(0, 500).Select(i => P(i)));
        var backup = _dir.File("sub/backup.db");
        Assert.Equal(500, store.Backup(backup));
        store.Upsert([P(9999)]);

        using var copy = new LiteDbContext(backup);
        var restored = new LiteDbPaperStore(copy);
        Assert.Equal(500, restored.Count());
        Assert.Equal(store.StoreId, restored.StoreId);
        Assert.Null(restored.Get("2401.09999"));
        Assert.Empty(Directory.GetFiles(_dir.File("sub"), "*.tmp"));
    }

    [Fact]
    public void Counts_and_stats_follow_every_write_and_survive_reopen()
    {
        var path = _dir.File("stats.db");
        using (var ctx = new LiteDbContext(path))
        {
            var store = new LiteDbPaperStore(ctx);
            var a = P(1);
            a.Published = new DateOnly(2024, 1, 5);
            var b = P(2);
            b.Sources = ["hf-api"];
            b.FeaturedOn = new DateOnly(2026, 3, 1);
            b.Published = new DateOnly(2026, 2, 27);
            store.Upsert([a, b, P(3)]);
            var more = P(3);
            more.Sources = ["arxiv"];
            store.Upsert([more]);
            store.Delete("2401.00001");
        }

        using var again = new LiteDbContext(path);
        var s = new LiteDbPaperStore(again);
        Assert.Equal(2, s.Count());
        var stats = s.Stats();
        Assert.Equal(2, stats.Papers);
        Assert.Equal(new Dictionary<string, long> { ["hf-api"] = 1, ["jsonl"] = 1, ["arxiv"] = 1 }, stats.BySource.OrderBy(kv => kv.Key).ToDictionary());
        Assert.Equal(new DateOnly(2026, 2, 27), stats.OldestPublished);
        Assert.Equal(new DateOnly(2026, 3, 1), stats.NewestFeatured);
        Assert.Equal(new DateOnly(2026, 3, 1), s.NewestTrendingDate());
    }

    [Fact]
    public void Replace_mode_lets_corrected_fields_win_and_keeps_the_rest()
    {
        using var ctx = new LiteDbContext(_dir.File("replace.db"));
        var store = new LiteDbPaperStore(ctx);
        var original = P(1, 800);
        original.Title = "Atention Is All You Need";
        original.Upvotes = 90;
        original.Authors = ["A. Vaswani", "N. Shazeer"];
        store.Upsert([original]);

        var fix = new Paper { Id = "2401.00001", ArxivId = "2401.00001", Title = "Attention Is All You Need", Upvotes = 80, Abstract = "Short corrected abstract." };
        Assert.Equal(0, store.Upsert([fix]).Updated); // merge never downgrades: the "smaller" fields lose
        var merged = store.Get("2401.00001")!;
        Assert.Equal("Atention Is All You Need", merged.Title);
        Assert.Equal(90, merged.Upvotes);

        Assert.Equal(1, store.Upsert([fix], MergeMode.Replace).Updated);
        var fixedPaper = store.Get("2401.00001")!;
        Assert.Equal("Attention Is All You Need", fixedPaper.Title);
        Assert.Equal(80, fixedPaper.Upvotes);
        Assert.Equal("Short corrected abstract.", fixedPaper.Abstract);
        Assert.Equal(["A. Vaswani", "N. Shazeer"], fixedPaper.Authors);

        // The title map follows the corrected title: a title-only sighting of it folds into the paper.
        Assert.Equal(0, store.Upsert([new Paper { Title = "Attention Is All You Need" }]).Added);
        Assert.Equal(1, store.Count());
    }

    private sealed record Note(string Text);
}

public sealed class TrendingWindowTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void An_empty_window_falls_back_to_the_newest_featured_days_and_says_so()
    {
        using var ctx = new LiteDbContext(_dir.File("t.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([
            new Paper { Title = "Old favourite", FeaturedOn = new DateOnly(2025, 3, 1), Upvotes = 90 },
            new Paper { Title = "Newest day top", FeaturedOn = new DateOnly(2025, 3, 10), Upvotes = 40 },
            new Paper { Title = "Newest day second", FeaturedOn = new DateOnly(2025, 3, 9), Upvotes = 10 },
            new Paper { Title = "Published only", Published = new DateOnly(2024, 12, 1), Upvotes = 99 },
        ]);

        var today = new DateOnly(2026, 12, 2);
        var r = TrendingWindow.Find(store, today.AddDays(-6), today, 5);
        Assert.True(r.FellBack);
        Assert.Equal((new DateOnly(2025, 3, 4), new DateOnly(2025, 3, 10)), (r.From, r.To));
        Assert.Equal(["Newest day top", "Newest day second"], r.Papers.Select(p => p.Title));
        Assert.Equal("No papers were featured from 2026-11-26 to 2026-12-02; showing the newest featured days in the database instead (from 2025-03-04 to 2025-03-10).", r.Notice(today.AddDays(-6), today));

        var inWindow = TrendingWindow.Find(store, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1), 5);
        Assert.False(inWindow.FellBack);
        Assert.Null(inWindow.Notice(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1)));
        Assert.Equal("Old favourite", Assert.Single(inWindow.Papers).Title);
    }

    [Fact]
    public void An_empty_database_has_nothing_to_fall_back_to()
    {
        using var ctx = new LiteDbContext(_dir.File("e.db"));
        var r = TrendingWindow.Find(new LiteDbPaperStore(ctx), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 7), 5);
        Assert.False(r.FellBack);
        Assert.Empty(r.Papers);
    }
}
