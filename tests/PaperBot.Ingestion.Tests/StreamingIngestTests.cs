using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Ingestion.Parsing;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Ingestion.Tests;

/// <summary>Streaming JSONL ingest: record limits, Ctrl+C, --replace, export round trip, index kept current.</summary>
public sealed class StreamingIngestTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Storage:DatabasePath"] = _dir.File("ingest.db"), ["Ingestion:BatchSize"] = "100" };
        foreach (var (k, v) in settings)
        {
            values[k] = v;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(config)
            .AddLogging()
            .AddPaperBotStorage()
            .AddPaperBotIngestion()
            .AddPaperBotSearch()
            .BuildServiceProvider();
    }

    private static string Line(int i, int abstractChars = 300) =>
        $"{{\"id\":\"2502.{i:D5}\",\"arxivId\":\"2502.{i:D5}\",\"title\":\"Streaming paper {i}\",\"abstract\":\"{new string('x', abstractChars)}\",\"sources\":[\"jsonl\"]}}";

    private string WriteJsonl(string name, IEnumerable<string> lines)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task Oversized_records_are_skipped_with_file_line_and_reason_and_the_rest_ingests()
    {
        var lines = Enumerable.Range(0, 200).Select(i => Line(i)).ToList();
        lines.Insert(50, Line(9000, abstractChars: 21_000_000)); // line 51: a 21 MB abstract
        lines.Insert(120, "{\"title\":\"" + new string('y', 2_100_000) + "\"}"); // line 121: over the 2 MB record limit below
        var file = WriteJsonl("big.jsonl", lines);
        await using var sp = Services(("Ingestion:MaxRecordBytes", (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var report = await sp.GetRequiredService<PaperIngestor>().IngestAsync([file]);

        Assert.Null(report.StoreError);
        var f = Assert.Single(report.Files);
        Assert.Equal(IngestFormat.Jsonl, f.Format);
        Assert.Equal(200, f.Counts.Added);
        Assert.Equal(2, f.Issues.Count);
        Assert.Equal("line 51", f.Issues[0].Position);
        Assert.Contains("over 2 MB", f.Issues[0].Message); // 21 MB line: over the record size, never parsed
        Assert.Equal("line 121", f.Issues[1].Position);
        Assert.Contains("over 2 MB", f.Issues[1].Message);
        Assert.All(f.Issues, i => Assert.DoesNotContain("corrupt", i.Message));
        Assert.Equal(200, sp.GetRequiredService<IPaperStore>().Count());
    }

    [Fact]
    public async Task A_record_over_a_field_limit_is_skipped_and_named()
    {
        var file = WriteJsonl("long.jsonl", [Line(1), Line(2, abstractChars: 150_000), Line(3)]);
        await using var sp = Services();
        var report = await sp.GetRequiredService<PaperIngestor>().IngestAsync([file]);
        var f = Assert.Single(report.Files);
        Assert.Equal(2, f.Counts.Added);
        var issue = Assert.Single(f.Issues);
        Assert.Equal(file, issue.Source);
        Assert.Equal("line 2", issue.Position);
        Assert.Contains("abstract is 150,000 characters, over the limit of 100,000 (Storage:MaxAbstractChars); skipped", issue.Message);
    }

    [Fact]
    public async Task Cancelling_stops_at_a_batch_boundary_and_reports_what_was_stored()
    {
        var file = WriteJsonl("many.jsonl", Enumerable.Range(0, 1000).Select(i => Line(i)));
        await using var sp = Services();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Done >= 300)
            {
                cts.Cancel(); // Ctrl+C after the third batch of 100
            }
        });
        var report = await sp.GetRequiredService<PaperIngestor>().IngestAsync(new IngestRequest([file]), progress, cts.Token);
        Assert.True(report.Cancelled);
        Assert.Equal(300, report.Totals.Added);
        Assert.Equal(300, sp.GetRequiredService<IPaperStore>().Count());
    }

    [Fact]
    public async Task Replace_lets_corrected_fields_win()
    {
        var original = WriteJsonl("a.jsonl", ["{\"id\":\"2502.00001\",\"arxivId\":\"2502.00001\",\"title\":\"Teh title\",\"abstract\":\"A long original abstract text.\",\"upvotes\":50}"]);
        var fix = WriteJsonl("fix.jsonl", ["{\"id\":\"2502.00001\",\"arxivId\":\"2502.00001\",\"title\":\"The title\",\"upvotes\":7}"]);
        await using var sp = Services();
        var ingestor = sp.GetRequiredService<PaperIngestor>();
        await ingestor.IngestAsync([original]);
        Assert.Equal(0, (await ingestor.IngestAsync([fix])).Totals.Updated);
        Assert.Equal("Teh title", sp.GetRequiredService<IPaperStore>().Get("2502.00001")!.Title);
        Assert.Equal(1, (await ingestor.IngestAsync(new IngestRequest([fix]) { Mode = MergeMode.Replace })).Totals.Updated);
        var p = sp.GetRequiredService<IPaperStore>().Get("2502.00001")!;
        Assert.Equal("The title", p.Title);
        Assert.Equal(7, p.Upvotes);
        Assert.Equal("A long original abstract text.", p.Abstract);
        Assert.Single(sp.GetRequiredService<ISearchService>().Search(new SearchQuery("the title")));
    }

    [Fact]
    public async Task Ingest_leaves_the_index_current_so_the_first_search_rebuilds_nothing()
    {
        var file = WriteJsonl("idx.jsonl", Enumerable.Range(0, 250).Select(i => Line(i)));
        await using var sp = Services();
        var report = await sp.GetRequiredService<PaperIngestor>().IngestAsync([file]);
        Assert.NotNull(report.IndexTime);
        var search = sp.GetRequiredService<LuceneSearchService>();
        Assert.True(search.Describe().IsCurrent);
        var rebuilds = search.Rebuilds;
        Assert.Single(search.Search(new SearchQuery("\"Streaming paper 17\"") { Top = 1 }));
        Assert.Equal(rebuilds, search.Rebuilds);
    }

    [Fact]
    public async Task Ingest_indexes_each_stored_batch_once_new_and_updated_papers_alike()
    {
        // 10 batches of 100, then a file that updates 100 of them and adds 100: one document per paper, all current.
        var file = WriteJsonl("batches.jsonl", Enumerable.Range(0, 1000).Select(i => Line(i)));
        var again = WriteJsonl("again.jsonl", Enumerable.Range(900, 200).Select(i =>
            $"{{\"id\":\"2502.{i:D5}\",\"arxivId\":\"2502.{i:D5}\",\"title\":\"Streaming paper {i}\",\"abstract\":\"Revised abstract number {i}: {new string('x', 300)}\",\"upvotes\":{i},\"sources\":[\"jsonl\"]}}"));
        await using var sp = Services();
        var ingestor = sp.GetRequiredService<PaperIngestor>();
        var search = sp.GetRequiredService<LuceneSearchService>();
        await ingestor.IngestAsync([file]);
        var report = await ingestor.IngestAsync([again]);

        Assert.Equal((100, 100), (report.Totals.Added, report.Totals.Updated));
        var store = sp.GetRequiredService<IPaperStore>();
        var info = search.Describe();
        Assert.True(info.IsCurrent);
        Assert.Equal(1100, store.Count());
        Assert.Equal(store.Count(), info.Documents);
        var rebuilds = search.Rebuilds;
        var hit = Assert.Single(search.Search(new SearchQuery("\"Revised abstract number 950\"")));
        Assert.Equal(("2502.00950", 950), (hit.Paper.Id, hit.Paper.Upvotes));
        Assert.Equal(rebuilds, search.Rebuilds);
        Assert.True(rebuilds <= 1, $"the index was built {rebuilds} times; only the first batch may open it from the store");
    }

    [Fact]
    public async Task Export_ingest_export_round_trips_byte_for_byte()
    {
        await using var first = Services();
        await first.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync();
        var hf = await first.GetRequiredService<PaperIngestor>().IngestAsync([TestPaths.HfFixture("daily_papers_2026-08-20.json"), TestPaths.ArxivFixture("arxiv_api_2017_classic_format_deep_dream-0.atom.xml")]);
        Assert.Equal(0, hf.ErrorCount);
        var export1 = new StringWriter();
        JsonlPaperFormat.Write(first.GetRequiredService<IPaperStore>().All(), export1);

        var file = _dir.File("export.jsonl");
        await File.WriteAllTextAsync(file, export1.ToString());
        await using var second = Services(("Storage:DatabasePath", _dir.File("second.db")));
        var report = await second.GetRequiredService<PaperIngestor>().IngestAsync([file]);
        Assert.Equal(0, report.ErrorCount);
        var export2 = new StringWriter();
        JsonlPaperFormat.Write(second.GetRequiredService<IPaperStore>().All(), export2);
        Assert.Equal(336 + 15 + 10, export1.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(export1.ToString(), export2.ToString());
    }

    [Fact]
    public void Jsonl_reader_streams_lines_across_buffer_boundaries_and_counts_bytes()
    {
        var text = "\uFEFF" + string.Join("\r\n", Enumerable.Range(0, 3000).Select(i => Line(i, 700))) + "\r\n\r\n{bad\n" + Line(5000);
        var bytes = Encoding.UTF8.GetBytes(text);
        var records = JsonlPaperFormat.Read(new MemoryStream(bytes), "s", 1 << 20).ToList();
        Assert.Equal(3001, records.Count(r => r.Paper is not null));
        var bad = Assert.Single(records, r => r.Issue is not null);
        Assert.Equal("line 3002", bad.Issue!.Position);
        Assert.Equal(bytes.Length, records[^1].BytesRead);
        Assert.Equal("Streaming paper 2999", records[2999].Paper!.Title);
    }

    private sealed class SyncProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }
}
