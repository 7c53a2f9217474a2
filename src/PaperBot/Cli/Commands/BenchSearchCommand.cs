using Spectre.Console;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Synthetic;
using PaperBot.Storage;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `bench search`: synthetic corpora (10k, 100k, 1M abstracts) through the real LiteDB store and Lucene index in a
/// temporary directory; prints build time, ingest papers/s, query latency percentiles and peak RSS. With
/// --mode hybrid the queries run through the hybrid search service over one synthetic vector per paper (int8, 384-d,
/// around the sample's real vectors, see <see cref="SyntheticVectors"/>), embedding each query with the configured
/// (real) model; the query-embedding latency and the ANN index's build time and recall@10 are reported too.
/// </summary>
public sealed class BenchSearchCommand(CliConsole console, IServiceProvider services) : ICliCommand<BenchSearchCommand.Input>
{
    public sealed record Input(IReadOnlyList<int> Sizes, int Queries, bool LiteDb, string? Dir, bool Json, bool NoProgress, SearchMode Mode = SearchMode.Lexical);

    public static CliVerb Define()
    {
        var sizes = CliOptions.Text("--sizes", "Comma-separated corpus sizes (k and m suffixes allowed; default 10000,100000,1000000)", "N,N,…");
        var queries = CliOptions.Int("--queries", 400, 10, 100_000, "Timed queries per size");
        var store = CliOptions.Choice("--store", "litedb", new Dictionary<string, string> { ["litedb"] = "litedb", ["none"] = "none" }, ["litedb", "none"],
            "litedb: ingest = LiteDB upsert + index; none: index only");
        var dir = CliOptions.Text("--dir", "Where the temporary work directory goes (default: the system temp directory)", "DIR");
        var json = CliOptions.Json();
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw progress bars");
        var mode = CliOptions.Choice("--mode", SearchMode.Lexical, new Dictionary<string, SearchMode> { ["lexical"] = SearchMode.Lexical, ["hybrid"] = SearchMode.Hybrid },
            ["lexical", "hybrid"], "lexical: BM25 only; hybrid: BM25 + a synthetic vector per paper, queries embedded with the real model");
        return CliVerb.For<BenchSearchCommand, Input>("search", "Benchmark ingest + search on synthetic corpora (10k/100k/1M abstracts); --mode hybrid.",
            [sizes, queries, store, dir, mode, json, noProgress],
            r => new Input(ParseSizes(r.GetValue(sizes) ?? "10000,100000,1000000"), r.GetValue(queries), r.GetValue(store) == "litedb", r.GetValue(dir), r.GetValue(json),
                r.GetValue(noProgress), r.GetValue(mode)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var (sizes, queries, json) = (input.Sizes, input.Queries, input.Json);
        var root = input.Dir ?? Path.GetTempPath();
        var work = Path.Combine(root, $"paperbot-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Func<string, PaperBot.Core.Papers.IPaperStore>? openStore = input.LiteDb ? path => new LiteDbPaperStore(new LiteDbContext(path)) : null;
        var inv = CultureInfo.InvariantCulture;
        var hybrid = input.Mode == SearchMode.Hybrid;
        var embedMs = new List<double>();
        var queryVectors = new List<float[]>();
        VectorIndex? current = null;
        var annCurves = new Dictionary<int, AnnCurve>();
        Func<PaperBot.Core.Papers.IPaperStore, PaperBot.Core.Search.Indexing.LuceneSearchService, ISearchService>? searchOver = null;
        if (hybrid)
        {
            var eo = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
            if (!eo.Enabled)
            {
                throw new UserFacingException("--mode hybrid needs embeddings; Embeddings:Provider is none");
            }

            var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            searchOver = (store, lucene) =>
            {
                var vectors = new VectorIndex();
                var t0 = System.Diagnostics.Stopwatch.StartNew();
                // Topics from the bundled sample's real vectors, so the real query embeddings fall among the corpus's.
                var centroids = SyntheticVectors.FromSample();
                SyntheticVectors.Fill(vectors, store.Count(), SyntheticCorpus.IdOf,
                    centroids.Count > 0 ? centroids : SyntheticVectors.RandomCentroids(1000, PaperBot.AI.Embeddings.Local.MiniLmModel.Dimensions));
                if (!json)
                {
                    console.Out.WriteLine(string.Create(inv, $"  {vectors.Count:N0} synthetic int8 vectors ({vectors.VectorBytes / 1048576.0:F0} MB) in {t0.Elapsed.TotalSeconds:F1} s"));
                }

                current = vectors;
                queryVectors.Clear();
                var dense = new TimedDenseRetriever(new InMemoryDenseRetriever(vectors, generator, eo.ModelKey), embedMs, queryVectors);
                return new HybridSearchService(lucene, dense, store, Options.Create(new SearchOptions { Mode = SearchMode.Hybrid }));
            };
        }

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
                    sink,
                    searchOver));
                results.Add(r);
                if (current is { } vectorsUsed && queryVectors.Count > 0)
                {
                    // The timed queries used the exhaustive scan (the default). The opt-in approximate index
                    // (Embeddings:AnnMinVectors) is measured after them on the same vectors and query embeddings.
                    annCurves[size] = AnnTradeOff(vectorsUsed, queryVectors, json ? null : console.Out);
                }

                current = null;
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
                mode = hybrid ? "hybrid" : "lexical",
                ann = annCurves.GetValueOrDefault(r.Papers),
                query_embedding_ms = hybrid ? Latency(LatencySummary.Of(embedMs)) : null,
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
        if (hybrid)
        {
            var e = LatencySummary.Of(embedMs);
            await console.Out.WriteLineAsync(string.Create(inv, $"mode hybrid; query embedding (all sizes, {e.Count} queries): p50 {e.P50Ms:F2} ms, p95 {e.P95Ms:F2} ms, p99 {e.P99Ms:F2} ms"));
        }
        await console.Out.WriteLineAsync();
        return 0;
    }

    /// <summary>The approximate index's build time, and per probe fraction its recall@10 and dense-search time.</summary>
    public sealed record AnnCurve(double BuildSeconds, double ExhaustiveMs, IReadOnlyList<AnnPoint> Points);

    public sealed record AnnPoint(double ProbeFraction, double RecallAt10, double SearchMs);

    private static AnnCurve AnnTradeOff(VectorIndex index, IReadOnlyList<float[]> vectors, TextWriter? log)
    {
        var inv = CultureInfo.InvariantCulture;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        index.BuildAnn();
        var build = sw.Elapsed.TotalSeconds;
        // Dense-search time per query at the hybrid search's depth (100 candidates).
        double MsPerSearch(Func<float[], IReadOnlyList<DenseHit>> search)
        {
            var t = System.Diagnostics.Stopwatch.StartNew();
            foreach (var v in vectors)
            {
                search(v);
            }

            return t.Elapsed.TotalMilliseconds / vectors.Count;
        }

        vectors = vectors.Take(200).ToList();
        var exact = vectors.Select(v => index.SearchExact(v, 10).Select(h => h.Id).ToHashSet(StringComparer.Ordinal)).ToList();
        var exhaustive = MsPerSearch(v => index.SearchExact(v, 100));
        log?.WriteLine(string.Create(inv, $"  approximate index (opt-in): built in {build:F1} s; exhaustive dense search {exhaustive:F2} ms/query"));
        var points = new List<AnnPoint>();
        foreach (var f in new[] { 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2 })
        {
            index.AnnProbeFraction = f;
            var ms = MsPerSearch(v => index.Search(v, 100));
            var recall = vectors.Select((v, i) => index.Search(v, 10).Count(h => exact[i].Contains(h.Id)) / (double)Math.Max(1, exact[i].Count)).Average();
            points.Add(new AnnPoint(f, Math.Round(recall, 4), Math.Round(ms, 3)));
            log?.WriteLine(string.Create(inv, $"    probe {f:P1} of the lists: recall@10 {recall:F4}, {ms:F2} ms/query ({vectors.Count} real query embeddings)"));
        }

        return new AnnCurve(Math.Round(build, 2), Math.Round(exhaustive, 3), points);
    }

    /// <summary>Times each query embedding (the bench reports it next to the end-to-end latency) and keeps the vectors (for recall).</summary>
    private sealed class TimedDenseRetriever(IDenseRetriever inner, List<double> ms, List<float[]> vectors) : IDenseRetriever
    {
        public bool IsAvailable => inner.IsAvailable;

        public string ModelKey => inner.ModelKey;

        public int Count => inner.Count;

        public async Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken)
        {
            var t = System.Diagnostics.Stopwatch.GetTimestamp();
            var v = await inner.EmbedQueryAsync(text, cancellationToken);
            ms.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            vectors.Add(v);
            return v;
        }

        public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top) => inner.Search(query, top);

        public float? Cosine(ReadOnlySpan<float> query, string id) => inner.Cosine(query, id);

        public float[]? VectorOf(string id) => inner.VectorOf(id);
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
