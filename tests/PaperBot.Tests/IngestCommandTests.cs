using System.Text.Json;
using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

public sealed class IngestCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--db", _dir.File("cli.db"), .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Ingesting_the_seed_pages_gives_336_papers_and_is_idempotent()
    {
        var (code, stdout, stderr) = await Run("ingest", TestPaths.SeedPagesDir, "--json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr); // no errors, and no progress bar when not interactive
        using (var doc = JsonDocument.Parse(stdout))
        {
            var root = doc.RootElement;
            Assert.Equal(336, root.GetProperty("added").GetInt32());
            Assert.Equal(386, root.GetProperty("added").GetInt32() + root.GetProperty("updated").GetInt32() + root.GetProperty("skipped").GetInt32());
            Assert.Equal(0, root.GetProperty("errors").GetInt32());
            Assert.Equal(5, root.GetProperty("files").GetArrayLength());
            Assert.All(root.GetProperty("files").EnumerateArray(), f => Assert.Equal("HfPageText", f.GetProperty("format").GetString()));
        }

        (code, stdout, _) = await Run("ingest", TestPaths.SeedPagesDir, "--json");
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("added").GetInt32());
            Assert.Equal(0, doc.RootElement.GetProperty("updated").GetInt32());
            Assert.Equal(386, doc.RootElement.GetProperty("skipped").GetInt32());
        }
    }

    [Fact]
    public async Task Human_output_is_a_table_with_counts()
    {
        var (code, stdout, _) = await Run("ingest", TestPaths.HfFixture("daily_papers_2025-07-01.json"), TestPaths.ArxivFixture("arxiv_api_2017_classic_format_deep_dream-0.atom.xml"));
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^source\s+format\s+added\s+updated\s+skipped\s+errors$", lines[0].TrimEnd());
        Assert.Matches(@"daily_papers_2025-07-01\.json\s+HfDailyPapersJson\s+14\s+0\s+0\s+0$", lines[1].TrimEnd());
        Assert.Matches(@"deep_dream-0\.atom\.xml\s+ArxivAtom\s+10\s+0\s+0\s+0$", lines[2].TrimEnd());
        Assert.Matches(@"^total\s+24\s+0\s+0\s+0$", lines[3].TrimEnd());
    }

    [Fact]
    public async Task Bad_records_and_missing_files_are_reported_on_stderr_and_the_rest_ingests()
    {
        var jsonl = _dir.File("mixed.jsonl");
        await File.WriteAllTextAsync(jsonl, "{\"title\":\"Good A\",\"abstract\":\"a\"}\n{broken\n{\"title\":\"Good B\",\"abstract\":\"b\"}\n");
        var missing = _dir.File("nope.json");
        var (code, stdout, stderr) = await Run("ingest", jsonl, missing, "--json");
        Assert.Equal(0, code);
        Assert.Contains($"error: {jsonl}:line 2: malformed JSON record", stderr);
        Assert.Contains($"error: {missing}: file not found", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("added").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task Nothing_readable_exits_non_zero()
    {
        var (code, _, stderr) = await Run("ingest", _dir.File("missing.txt"));
        Assert.Equal(1, code);
        Assert.Contains("file not found", stderr);
        (code, _, stderr) = await Run("ingest");
        Assert.Equal(2, code);
        Assert.Contains("nothing to ingest", stderr);
    }

    [Fact]
    public async Task Corrupt_database_is_a_clear_error_and_the_file_is_kept()
    {
        var db = _dir.File("cli.db");
        await File.WriteAllTextAsync(db, "definitely not a LiteDB file, but someone's data");
        var (code, _, stderr) = await Run("ingest", TestPaths.HfFixture("daily_papers_2024-06-13.json"));
        Assert.Equal(1, code);
        Assert.Contains(db, stderr);
        Assert.Contains("corrupt", stderr);
        Assert.Contains("NOT changed", stderr);
        Assert.Contains("paperbot repair", stderr);
        Assert.Equal("definitely not a LiteDB file, but someone's data", await File.ReadAllTextAsync(db));
    }
}
