using System.Text.Json;
using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>stats, export, remove, backup, reindex, repair, --read-only and the ingest exit-code rule, through the CLI.</summary>
public sealed class DataVerbTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(string db, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--db", db, .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Export_ingest_export_is_identical_and_stats_counts_by_source()
    {
        var db = _dir.File("a.db");
        Assert.Equal(0, (await Run(db, "ingest", TestPaths.SeedPagesDir, TestPaths.HfFixture("daily_papers_2026-08-20.json"))).Code);
        var first = _dir.File("first.jsonl");
        var (code, _, err) = await Run(db, "export", "--out", first);
        Assert.Equal(0, code);
        Assert.Contains("exported 351 papers", err);

        var db2 = _dir.File("b.db");
        Assert.Equal(0, (await Run(db2, "ingest", first)).Code);
        var (code2, second, _) = await Run(db2, "export");
        Assert.Equal(0, code2);
        Assert.Equal(await File.ReadAllTextAsync(first), second);

        var (statsCode, stats, _) = await Run(db2, "stats", "--json");
        Assert.Equal(0, statsCode);
        using var doc = JsonDocument.Parse(stats);
        var root = doc.RootElement;
        Assert.Equal(351, root.GetProperty("papers").GetInt64());
        Assert.Equal(336, root.GetProperty("bySource").GetProperty("hf-page").GetInt64());
        Assert.Equal(15, root.GetProperty("bySource").GetProperty("hf-api").GetInt64());
        Assert.Equal("2026-08-20", root.GetProperty("featured").GetProperty("newest").GetString());
        Assert.True(root.GetProperty("index").GetProperty("current").GetBoolean()); // ingest left it up to date
        // Local embeddings are the default; ingest stores papers at once and leaves embedding to the backfill.
        Assert.Equal("local", root.GetProperty("embeddings").GetProperty("provider").GetString());
        Assert.Equal("all-MiniLM-L6-v2", root.GetProperty("embeddings").GetProperty("model").GetString());
    }

    [Fact]
    public async Task Remove_backup_reindex_and_read_only()
    {
        var db = _dir.File("r.db");
        Assert.Equal(0, (await Run(db, "ingest", TestPaths.HfFixture("daily_papers_2026-08-20.json"))).Code);
        var (code, stdout, stderr) = await Run(db, "remove", "2608.17253", "https://arxiv.org/abs/nope", "unknown-id");
        Assert.Equal(1, code);
        Assert.Contains("removed 2608.17253", stdout);
        Assert.Contains("no paper with id 'unknown-id'", stderr);
        Assert.Equal(1, (await Run(db, "show", "2608.17253")).Code);

        var backup = _dir.File("snap/backup.db");
        (code, stdout, _) = await Run(db, "backup", backup);
        Assert.Equal(0, code);
        Assert.Contains("backup of 14 papers", stdout);
        (code, stdout, _) = await Run(db, "reindex");
        Assert.Equal(0, code);
        Assert.Contains("search index rebuilt: 14 papers", stdout);

        // The backup opens read-only: reads work, writes are refused with a message and exit 1, nothing is written.
        var before = await File.ReadAllBytesAsync(backup);
        (code, stdout, _) = await Run(backup, "--read-only", "search", "video", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"results\":[{", stdout);
        (code, _, stderr) = await Run(backup, "--read-only", "ingest", TestPaths.HfFixture("daily_papers_2025-07-01.json"));
        Assert.Equal(1, code);
        Assert.Contains("read-only", stderr);
        Assert.Equal(before, await File.ReadAllBytesAsync(backup));
        Assert.False(Directory.Exists(backup + ".index"));
    }

    [Fact]
    public async Task Repair_rebuilds_a_damaged_database_and_keeps_the_damaged_file()
    {
        var db = _dir.File("d.db");
        Assert.Equal(0, (await Run(db, "ingest", TestPaths.SeedPagesDir)).Code);
        var bytes = await File.ReadAllBytesAsync(db);
        new Random(3).NextBytes(bytes.AsSpan(bytes.Length - 8192 * 3, 8192)); // damage one data page near the end
        await File.WriteAllBytesAsync(db, bytes);

        var (code, stdout, _) = await Run(db, "repair");
        Assert.Equal(0, code);
        Assert.Contains("repaired", stdout);
        var damaged = Assert.Single(Directory.GetFiles(_dir.Path, "d.db.damaged-*"));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(damaged));
        var (statsCode, stats, _) = await Run(db, "stats", "--json");
        Assert.Equal(0, statsCode);
        Assert.True(JsonDocument.Parse(stats).RootElement.GetProperty("papers").GetInt64() > 300);
    }

    [Fact]
    public async Task Trending_on_a_fresh_install_shows_the_newest_days_and_says_so()
    {
        var (code, stdout, _) = await Run(_dir.File("t.db"), "trending", "--date", "2030-01-10", "--days", "7", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("fellBack").GetBoolean());
        Assert.Contains("newest featured days", doc.RootElement.GetProperty("notice").GetString());
        Assert.NotEqual(0, doc.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Ingest_on_a_database_that_fails_exits_1_and_says_what_was_stored()
    {
        var db = _dir.File("x.db");
        await File.WriteAllTextAsync(db, "not a database");
        var (code, _, stderr) = await Run(db, "ingest", TestPaths.HfFixture("daily_papers_2026-08-20.json"));
        Assert.Equal(1, code);
        Assert.Contains("corrupt", stderr);
        Assert.Equal("not a database", await File.ReadAllTextAsync(db));
    }
}
