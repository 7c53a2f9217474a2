using System.Diagnostics;
using System.Globalization;
using System.Text;
using PaperBot.Core.Papers;
using PaperBot.Storage;

namespace PaperBot.Benchmarks;

/// <summary>
/// Upsert throughput of the LiteDB paper store on synthetic abstracts (default 100k): a cold insert, a re-ingest of the
/// same data (every paper goes through the merge check and is unchanged) and an update pass (more upvotes).
/// Usage: store-upsert [count]
/// </summary>
public sealed class StoreUpsertBenchmark : IBenchmark
{
    public string Name => "store-upsert";

    public string Description => "LiteDB paper store upsert papers/s on N synthetic abstracts (default 100000)";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var dir = Path.Combine(Path.GetTempPath(), "paperbot-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var papers = Synthetic(n, 0);
            Console.WriteLine($"store-upsert: {n:N0} synthetic papers, avg abstract {papers.Average(p => p.Abstract.Length):F0} chars");
            using var ctx = new LiteDbContext(Path.Combine(dir, "bench.db"));
            var store = new LiteDbPaperStore(ctx);
            Measure("insert (all new)", n, () => store.Upsert(papers));
            Measure("re-ingest (all unchanged)", n, () => store.Upsert(papers));
            var updated = Synthetic(n, 5);
            Measure("update (+upvotes)", n, () => store.Upsert(updated));
            Console.WriteLine($"db size: {new FileInfo(ctx.DatabasePath).Length / 1048576.0:F1} MiB, papers: {store.Count():N0}, revision: {store.CurrentRevision:N0}");
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

    private static void Measure(string label, int n, Func<UpsertResult> run)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var r = run();
        sw.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;

        // CPU time is printed too: on a shared machine wall time also counts waiting for a core.
        Console.WriteLine($"  {label,-28} {sw.Elapsed.TotalSeconds,7:F2} s  {n / sw.Elapsed.TotalSeconds,10:N0} papers/s  (cpu {cpu:F2} s = {n / cpu:N0} papers/cpu-s; added {r.Added}, updated {r.Updated}, unchanged {r.Unchanged})");
    }

    internal static List<Paper> Synthetic(int n, int upvoteBoost)
    {
        var words = "model language learning data training neural network attention transformer vision reasoning benchmark agent retrieval diffusion generation evaluation task performance method approach results dataset large scale robust efficient novel framework optimization inference alignment multimodal video image text code math policy reward".Split(' ');
        var rng = new Random(12345);
        var list = new List<Paper>(n);
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            sb.Clear();
            var len = 120 + rng.Next(80);
            for (var w = 0; w < len; w++)
            {
                sb.Append(words[rng.Next(words.Length)]).Append(' ');
            }

            list.Add(new Paper
            {
                ArxivId = $"{2400 + (i / 99999) % 100}.{i % 99999:00000}",
                Title = $"Synthetic paper {i} on {words[rng.Next(words.Length)]} {words[rng.Next(words.Length)]}",
                Abstract = sb.ToString(),
                Authors = [$"Author {rng.Next(1000)}", $"Author {rng.Next(1000)}"],
                Published = new DateOnly(2024, 1, 1).AddDays(rng.Next(700)),
                Upvotes = rng.Next(200) + upvoteBoost,
                Sources = ["synthetic"],
            });
        }

        return list;
    }
}
