using System.Diagnostics;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Indexing;

namespace PaperBot.Core.Search.Synthetic;

public sealed record SearchBenchResult(
    int Papers,
    TimeSpan StoreTime,
    TimeSpan IndexTime,
    double IngestPapersPerSecond,
    int Queries,
    LatencySummary All,
    LatencySummary Plain,
    LatencySummary Filtered,
    LatencySummary Cpu,
    long IndexBytes,
    long PeakRssBytes)
{
    public TimeSpan IngestTime => StoreTime + IndexTime;

    /// <summary>Ingest rate into the database (the source of truth): papers / time inside IPaperStore.Upsert.</summary>
    public double StorePapersPerSecond => StoreTime > TimeSpan.Zero ? Papers / StoreTime.TotalSeconds : double.NaN;
}

public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary Of(IReadOnlyCollection<double> ms)
    {
        if (ms.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        var sorted = ms.Order().ToArray();
        return new LatencySummary(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// The `bench search` workload: streams <see cref="SyntheticCorpus"/> papers into a fresh store in batches (store
/// upsert; only the time inside Upsert is counted, not the generator's), builds the search index from the store (the product's <see cref="LuceneSearchService"/>), then times
/// warm queries through <see cref="ISearchService.Search"/> (freshness check, BM25, hydration from the store,
/// snippets). Without a store factory the store is a <see cref="SyntheticPaperStore"/> (index-only measurement;
/// store time 0). Ingest rate = papers / (store time + index time). Query latency is wall-clock; the query thread's CPU
/// time is reported next to it (on a shared machine the two differ by the time spent waiting for a core).
/// </summary>
public static class SearchBenchmark
{
    public const int BatchSize = 5_000;

    /// <summary>Untimed queries run first (JIT tiering, caches); 50 left the p99 dominated by not-yet-optimised code.</summary>
    public const int WarmUpQueries = 300;

    public static SearchBenchResult Run(
        int size,
        string workDir,
        Func<string, IPaperStore>? openStore,
        int queryCount = 400,
        Action<string>? progress = null,
        CancellationToken cancellationToken = default,
        IProgress<PaperBot.Core.Progress.WorkProgress>? bars = null)
    {
        Directory.CreateDirectory(workDir);
        var corpus = new SyntheticCorpus();
        // No store factory: index-only run over a generated read-only view (no database cost in the numbers).
        var store = openStore?.Invoke(Path.Combine(workDir, $"bench-{size}.db")) ?? new SyntheticPaperStore(corpus, size);
        try
        {
            // Store time is the time spent inside IPaperStore.Upsert only: generating the synthetic papers is the
            // benchmark's own work (about 40 µs a paper), not ingest, so it stays outside the timed region.
            var storeTime = TimeSpan.Zero;
            var batch = new List<Paper>(BatchSize);
            for (var i = 0; i < (openStore is null ? 0 : size); i++)
            {
                batch.Add(corpus.Paper(i));
                if (batch.Count == BatchSize || i == size - 1)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var t0 = Stopwatch.GetTimestamp();
                    store.Upsert(batch);
                    storeTime += Stopwatch.GetElapsedTime(t0);
                    batch.Clear();
                    bars?.Report(new(FormattableString.Invariant($"{size:N0} papers: storing"), i + 1, size));
                    if ((i + 1) % (BatchSize * 20) == 0)
                    {
                        progress?.Invoke($"  stored {i + 1:N0} / {size:N0}");
                    }
                }
            }

            var indexPath = Path.Combine(workDir, $"bench-{size}.db.index");
            using var search = new LuceneSearchService(store, Options.Create(new SearchOptions { IndexPath = indexPath }));
            var sw = Stopwatch.StartNew();
            bars?.Report(new(FormattableString.Invariant($"{size:N0} papers: building the index"), 0, 1));
            search.Synchronize();
            var indexTime = sw.Elapsed;
            progress?.Invoke($"  indexed {size:N0} in {indexTime.TotalSeconds:F1} s");

            var queries = corpus.Queries(queryCount, size);
            // Warm-up with other queries of the same mix (another seed), so the timed ones are not pre-run: the JIT
            // has promoted the hot query path to optimised code and doc values are loaded, as in a running bot.
            foreach (var q in corpus.Queries(WarmUpQueries, size, seed: 8))
            {
                search.Search(q);
            }

            var all = new List<double>(queries.Count);
            var plain = new List<double>();
            var filtered = new List<double>();
            var cpu = new List<double>();
            var stage = FormattableString.Invariant($"{size:N0} papers: queries");
            foreach (var q in queries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bars?.Report(new(stage, all.Count, queries.Count));
                var cpu0 = ThreadCpuClock.NowMs();
                var t = Stopwatch.GetTimestamp();
                search.Search(q);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                var cpuMs = ThreadCpuClock.NowMs() - cpu0;
                if (!double.IsNaN(cpuMs))
                {
                    cpu.Add(cpuMs);
                }

                all.Add(ms);
                (PaperQueryBuilder.HasFilters(q) || q.Sort != SearchSort.Relevance ? filtered : plain).Add(ms);
            }

            var indexBytes = Directory.EnumerateFiles(indexPath).Sum(f => new FileInfo(f).Length);
            return new SearchBenchResult(size, storeTime, indexTime, size / (storeTime + indexTime).TotalSeconds, queries.Count,
                LatencySummary.Of(all), LatencySummary.Of(plain), LatencySummary.Of(filtered), LatencySummary.Of(cpu), indexBytes, PeakRss());
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>Peak resident set size of this process: VmHWM on Linux, else PeakWorkingSet64.</summary>
    public static long PeakRss()
    {
        try
        {
            if (File.Exists("/proc/self/status"))
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kb = long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                        return kb * 1024;
                    }
                }
            }
        }
        catch (IOException)
        {
            // fall through
        }

        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }
}
