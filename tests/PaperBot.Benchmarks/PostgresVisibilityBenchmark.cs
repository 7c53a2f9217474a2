using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Hosting;
using PaperBot.Storage.Postgres;

namespace PaperBot.Benchmarks;

/// <summary>
/// PostgreSQL provider: (1) upsert throughput on N synthetic papers (insert, unchanged re-ingest, update), and
/// (2) cross-process visibility: P reader "processes" (service providers built by the host's module registration,
/// each with its own in-memory Lucene index and change listener) on one database, a separate writer upserting one
/// paper at a time; the time from the writer's commit until every reader's index holds the revision, over R rounds.
/// Usage: pg-visibility [papers=10000] [rounds=50] [processes=3]; the server: PAPERBOT_TEST_POSTGRES or
/// PAPERBOT_Storage__ConnectionString (a fresh schema is created in it and dropped afterwards).
/// </summary>
public sealed class PostgresVisibilityBenchmark : IBenchmark
{
    public string Name => "pg-visibility";

    public string Description => "PostgreSQL store: upsert papers/s, and ms until a write is searchable in P other processes";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var (papers, rounds, processes) = (Arg(0, 10_000), Arg(1, 50), Arg(2, 3));
        var server = Environment.GetEnvironmentVariable("PAPERBOT_TEST_POSTGRES") ?? Environment.GetEnvironmentVariable("PAPERBOT_Storage__ConnectionString");
        if (string.IsNullOrWhiteSpace(server))
        {
            Console.Error.WriteLine("pg-visibility: set PAPERBOT_TEST_POSTGRES (or PAPERBOT_Storage__ConnectionString) to a PostgreSQL connection string");
            return 3;
        }

        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await Exec(server, $"CREATE SCHEMA {schema}");
        var cs = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        try
        {
            using var writerDb = new PostgresDatabase(cs);
            var writer = new PostgresPaperStore(writerDb);
            Console.WriteLine($"pg-visibility: {writerDb.Description}, {papers:N0} synthetic papers, {rounds} rounds, {processes} reader processes");
            Measure("insert (all new)", papers, () => writer.Upsert(StoreUpsertBenchmark.Synthetic(papers, 0)));
            Measure("re-ingest (all unchanged)", papers, () => writer.Upsert(StoreUpsertBenchmark.Synthetic(papers, 0)));
            Measure("update (+upvotes)", papers, () => writer.Upsert(StoreUpsertBenchmark.Synthetic(papers, 5)));

            var readers = Enumerable.Range(0, processes).Select(_ => Build(cs)).ToList();
            try
            {
                foreach (var r in readers)
                {
                    r.GetRequiredService<ISearchIndexMaintenance>().Synchronize();
                    await r.GetRequiredService<PostgresChangeListener>().StartAsync(cancellationToken);
                }

                while (readers.Any(r => r.GetRequiredService<PostgresChangeListener>().Connections == 0))
                {
                    await Task.Delay(10, cancellationToken);
                }

                var times = new List<double>(rounds);
                for (var i = 0; i < rounds; i++)
                {
                    var paper = new Paper { ArxivId = $"2612.{i:00000}", Title = $"Visibility probe {i}", Abstract = "A paper written by another process." };
                    var clock = Stopwatch.StartNew();
                    writer.Upsert([paper]);
                    var revision = writer.CurrentRevision;
                    while (readers.Any(r => r.GetRequiredService<LuceneSearchService>().Describe().IndexedRevision < revision))
                    {
                        if (clock.Elapsed > TimeSpan.FromSeconds(30))
                        {
                            Console.Error.WriteLine($"pg-visibility: round {i}: not visible in every process after 30 s");
                            return 1;
                        }

                        await Task.Delay(1, cancellationToken);
                    }

                    times.Add(clock.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                double Pct(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
                Console.WriteLine($"  visible in all {processes} processes after the writer's commit: p50 {Pct(0.5):F1} ms, p99 {Pct(0.99):F1} ms, max {times[^1]:F1} ms ({rounds} rounds)");
                foreach (var r in readers)
                {
                    await r.GetRequiredService<PostgresChangeListener>().StopAsync(cancellationToken);
                }
            }
            finally
            {
                foreach (var r in readers)
                {
                    await r.DisposeAsync();
                }
            }

            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Exec(server, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static ServiceProvider Build(string connectionString)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = connectionString,
            ["Search:IndexPath"] = SearchOptions.InMemory,
            ["Embeddings:Provider"] = "none",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddPaperBotModules(config);
        return services.BuildServiceProvider();
    }

    private static void Measure(string label, int n, Func<UpsertResult> run)
    {
        var clock = Stopwatch.StartNew();
        var r = run();
        Console.WriteLine($"  {label,-28} {n / clock.Elapsed.TotalSeconds,10:N0} papers/s ({clock.Elapsed.TotalSeconds:F2} s; {r.Added:N0} added, {r.Updated:N0} updated, {r.Unchanged:N0} unchanged)");
    }

    private static async Task Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
