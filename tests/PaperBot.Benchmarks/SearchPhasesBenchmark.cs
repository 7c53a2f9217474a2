using System.Diagnostics;
using System.Globalization;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Synthetic;
using PaperBot.Storage;

namespace PaperBot.Benchmarks;

/// <summary>
/// Where `bench search` ingest time goes, phase by phase (wall and process CPU): synthetic generation, store upsert,
/// reading the store back (All), the product's rebuild from the store (LuceneSearchService), and optionally the Lucene
/// build alone from papers in memory at two RAM buffer sizes (--ram) and LiteDB id lookups, FindById vs Find(IN) (--lookups).
/// Usage: search-phases [count] [--ram] [--lookups]
/// </summary>
public sealed class SearchPhasesBenchmark : IBenchmark
{
    public string Name => "search-phases";

    public string Description => "bench search ingest broken into phases (generate, upsert, read back, index) on N synthetic papers";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var dir = Path.Combine(Path.GetTempPath(), "paperbot-phases-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var corpus = new SyntheticCorpus();
            List<Paper> papers = [];
            Measure("generate", n, () => papers = [.. corpus.Papers(n)]);
            using var ctx = new LiteDbContext(Path.Combine(dir, "bench.db"));
            var store = new LiteDbPaperStore(ctx);
            Measure("upsert (5k batches)", n, () =>
            {
                foreach (var chunk in papers.Chunk(SearchBenchmark.BatchSize))
                {
                    store.Upsert(chunk);
                }
            });
            if (args.Contains("--lookups"))
            {
                var db = ctx.Database;
                var col = db.GetCollection("papers");
                foreach (var prefix in new[] { "syn.", "zzz." })
                {
                    var ids = Enumerable.Range(0, n).Select(i => $"{prefix}{i:D7}").ToList();
                    var found = 0;
                    Measure($"FindById {prefix}", n, () =>
                    {
                        db.BeginTrans();
                        foreach (var id in ids)
                        {
                            found += col.FindById(id) is null ? 0 : 1;
                        }

                        db.Rollback();
                    });
                    Measure($"Find(In) {prefix} {found}", n, () =>
                    {
                        db.BeginTrans();
                        foreach (var chunk in ids.Chunk(2000))
                        {
                            found += col.Find(LiteDB.Query.In("_id", chunk.Select(i => new LiteDB.BsonValue(i)))).Count();
                        }

                        db.Rollback();
                    });
                    Console.WriteLine($"    found {found}");
                }
            }

            var count = 0;
            Measure("store.All()", n, () => count = store.All().Count());
            Measure("rebuild from store (service)", n, () =>
            {
                using var search = new LuceneSearchService(store, Microsoft.Extensions.Options.Options.Create(new SearchOptions { IndexPath = Path.Combine(dir, "svc") }));
                search.Synchronize();
            });
            foreach (var ram in args.Contains("--ram") ? new[] { 64.0, 256.0 } : [])
            {
                Measure($"index from memory, {ram} MB", n, () =>
                {
                    using var index = PaperIndex.OpenFileSystem(Path.Combine(dir, "idx" + ram), PaperIndexSettings.Default with { RamBufferMb = ram }, create: true);
                    Parallel.ForEach(papers, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, index.Add);
                    index.Commit(new Dictionary<string, string>());
                    index.WaitForMerges();
                });
            }

            return Task.FromResult(0);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Measure(string label, int n, Action run)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var gc0 = GC.CollectionCount(0);
        var sw = Stopwatch.StartNew();
        run();
        sw.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"  {label,-28} {sw.Elapsed.TotalSeconds,7:F2} s  {n / sw.Elapsed.TotalSeconds,10:N0} papers/s  cpu {cpu:F2} s  gen0 GCs {GC.CollectionCount(0) - gc0}");
    }
}
