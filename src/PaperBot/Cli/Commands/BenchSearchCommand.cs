using Spectre.Console;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using PaperBot.Core.Search.Synthetic;
using PaperBot.Storage;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `bench search`: synthetic corpora (10k, 100k, 1M abstracts) through the real LiteDB store and Lucene index in a
/// temporary directory; prints build time, ingest papers/s, query latency percentiles and peak RSS.
/// </summary>
public sealed class BenchSearchCommand(CliConsole console) : ICliCommand<BenchSearchCommand.Input>
{
    public sealed record Input(IReadOnlyList<int> Sizes, int Queries, bool LiteDb, string? Dir, bool Json, bool NoProgress);

    public static CliVerb Define()
    {
        var sizes = CliOptions.Text("--sizes", "Comma-separated corpus sizes (k and m suffixes allowed; default 10000,100000,1000000)", "N,N,…");
        var queries = CliOptions.Int("--queries", 400, 10, 100_000, "Timed queries per size");
        var store = CliOptions.Choice("--store", "litedb", new Dictionary<string, string> { ["litedb"] = "litedb", ["none"] = "none" }, ["litedb", "none"],
            "litedb: ingest = LiteDB upsert + index; none: index only");
        var dir = CliOptions.Text("--dir", "Where the temporary work directory goes (default: the system temp directory)", "DIR");
        var json = CliOptions.Json();
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw progress bars");
        return CliVerb.For<BenchSearchCommand, Input>("search", "Benchmark ingest + search on synthetic corpora (10k/100k/1M abstracts).",
            [sizes, queries, store, dir, json, noProgress],
            r => new Input(ParseSizes(r.GetValue(sizes) ?? "10000,100000,1000000"), r.GetValue(queries), r.GetValue(store) == "litedb", r.GetValue(dir), r.GetValue(json), r.GetValue(noProgress)),
            usesHost: false);
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var (sizes, queries, json) = (input.Sizes, input.Queries, input.Json);
        var root = input.Dir ?? Path.GetTempPath();
        var work = Path.Combine(root, $"paperbot-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Func<string, PaperBot.Core.Papers.IPaperStore>? openStore = input.LiteDb ? path => new LiteDbPaperStore(new LiteDbContext(path)) : null;
        var inv = CultureInfo.InvariantCulture;

        if (!json)
        {
            await console.Out.WriteLineAsync(string.Create(inv,
                $"bench search: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB, " +
                $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(System.Diagnostics.Debugger.IsAttached ? "debugger" : BuildConfiguration)} build, " +
                $"store {(openStore is null ? "none (index only)" : "LiteDB")}, work dir {work}"));
        }

        var results = new List<SearchBenchResult>();
        try
        {
            foreach (var size in sizes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!json)
                {
                    await console.Out.WriteLineAsync(string.Create(inv, $"\n{size:N0} papers…"));
                }

                // While bars are drawn on the terminal, progress lines go through the same console (above the bars).
                var bars = !json && !input.NoProgress && console.IsInteractive;
                Action<string>? log = json ? null : bars ? msg => console.RichError.WriteLine(msg) : msg => console.Out.WriteLine(msg);
                var r = await CliProgress.Run(console, bars, "items", sink => SearchBenchmark.Run(
                    size,
                    Path.Combine(work, size.ToString(inv)),
                    openStore,
                    queries,
                    log,
                    cancellationToken,
                    sink));
                results.Add(r);
                TryDelete(Path.Combine(work, size.ToString(inv)));
                if (!json)
                {
                    await console.Out.WriteLineAsync(Describe(r));
                }
            }
        }
        finally
        {
            TryDelete(work);
        }

        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(results.Select(r => new
            {
                papers = r.Papers,
                store = openStore is null ? "none" : "litedb",
                store_s = Math.Round(r.StoreTime.TotalSeconds, 2),
                index_s = Math.Round(r.IndexTime.TotalSeconds, 2),
                store_papers_per_s = double.IsNaN(r.StorePapersPerSecond) ? (double?)null : Math.Round(r.StorePapersPerSecond),
                ingest_s = Math.Round(r.IngestTime.TotalSeconds, 2),
                ingest_papers_per_s = Math.Round(r.IngestPapersPerSecond),
                queries = r.Queries,
                query_ms = Latency(r.All),
                query_plain_ms = Latency(r.Plain),
                query_filtered_ms = Latency(r.Filtered),
                query_cpu_ms = Latency(r.Cpu),
                index_mb = Math.Round(r.IndexBytes / 1048576.0, 1),
                peak_rss_mb = Math.Round(r.PeakRssBytes / 1048576.0),
            }), SearchOutput.Json));
            return 0;
        }

        // "ingest" = into the database (the source of truth); the search index is built from it afterwards and is
        // reported as its own build time and as the end-to-end rate (until every paper is searchable).
        var table = CliConsole.Table(
            ("papers", true), ("ingest s", true), ("ingest papers/s", true), ("index build s", true), ("searchable papers/s", true),
            ("p50 ms", true), ("p95 ms", true), ("p99 ms", true), ("cpu p99 ms", true), ("peak RSS MB", true));
        foreach (var r in results)
        {
            table.Row(
                r.Papers.ToString("N0", inv),
                r.StoreTime.TotalSeconds.ToString("F1", inv),
                double.IsNaN(r.StorePapersPerSecond) ? "n/a" : r.StorePapersPerSecond.ToString("N0", inv),
                r.IndexTime.TotalSeconds.ToString("F1", inv),
                r.IngestPapersPerSecond.ToString("N0", inv),
                r.All.P50Ms.ToString("F2", inv),
                r.All.P95Ms.ToString("F2", inv),
                r.All.P99Ms.ToString("F2", inv),
                r.Cpu.Count > 0 ? r.Cpu.P99Ms.ToString("F2", inv) : "n/a",
                (r.PeakRssBytes / 1048576.0).ToString("N0", inv));
        }

        await console.Out.WriteLineAsync();
        await console.WriteAsync(table);
        await console.Out.WriteLineAsync();
        return 0;
    }

    private static object Latency(LatencySummary s) => new
    {
        n = s.Count,
        p50 = Math.Round(s.P50Ms, 3),
        p95 = Math.Round(s.P95Ms, 3),
        p99 = Math.Round(s.P99Ms, 3),
        max = Math.Round(s.MaxMs, 3),
    };

    private static string Describe(SearchBenchResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv,
            $"  ingest into the database {r.StoreTime.TotalSeconds:F1} s = {r.StorePapersPerSecond:N0} papers/s; index build {r.IndexTime.TotalSeconds:F1} s; " +
            $"all searchable after {r.IngestTime.TotalSeconds:F1} s = {r.IngestPapersPerSecond:N0} papers/s; index {r.IndexBytes / 1048576.0:F0} MB\n" +
            $"  {r.Queries} queries: p50 {r.All.P50Ms:F2} ms, p95 {r.All.P95Ms:F2} ms, p99 {r.All.P99Ms:F2} ms, max {r.All.MaxMs:F2} ms " +
            $"(plain p99 {r.Plain.P99Ms:F2}, filtered/sorted p99 {r.Filtered.P99Ms:F2}; thread CPU p50 {r.Cpu.P50Ms:F2} p99 {r.Cpu.P99Ms:F2})\n" +
            $"  peak RSS so far {r.PeakRssBytes / 1048576.0:N0} MB");
    }

    private static List<int> ParseSizes(string raw)
    {
        var sizes = new List<int>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var text = part.ToLowerInvariant();
            var mult = text.EndsWith('m') ? 1_000_000 : text.EndsWith('k') ? 1_000 : 1;
            text = mult > 1 ? text[..^1] : text;
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1 || (long)n * mult > 10_000_000)
            {
                throw new CliUsageException($"--sizes must be comma-separated paper counts between 1 and 10,000,000, e.g. 10000,100k,1m (got '{part}')");
            }

            sizes.Add(n * mult);
        }

        return sizes.Count > 0 ? sizes : throw new CliUsageException("--sizes is empty");
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a temp dir left behind is harmless
        }
    }

#if DEBUG
    private const string BuildConfiguration = "DEBUG";
#else
    private const string BuildConfiguration = "Release";
#endif
}
