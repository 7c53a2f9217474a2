using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.AI.Embeddings;
using PaperBot.Cli;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Hosting;
using PaperBot.Storage;
using PaperBot.Storage.Postgres;
using PaperBot.Testing;
using PaperBot.Testing.Postgres;
using PaperBot.Testing.Storage;
using Xunit.Abstractions;

namespace PaperBot.Tests.Postgres;

/// <summary>
/// Several "processes" on one PostgreSQL database: the CLI (CliApp, as `paperbot --config … ingest`) and service
/// providers built by the host's module registration, each with its own in-memory Lucene index and vectors.
/// </summary>
public sealed class PostgresScaleOutTests(PostgresTestDatabase db, ITestOutputHelper output) : IClassFixture<PostgresTestDatabase>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:ConnectionString"] = connectionString,
        ["Storage:DatabasePath"] = _dir.File("unused.db"),
        ["Search:IndexPath"] = SearchOptions.InMemory,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>A settings file for the CLI (tests only: deployments keep the connection string in the environment or user-secrets).</summary>
    private string ConfigFile(string connectionString, string name = "appsettings.pg.json") =>
        SettingsFile.Write(_dir.File(name), Settings(connectionString).Where(kv => !kv.Key.StartsWith("Logging", StringComparison.Ordinal)));

    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>A bot process's services on the shared database, with its change listener and embedding backfill running.</summary>
    private sealed class Process : IAsyncDisposable
    {
        private readonly List<IHostedService> _running = [];

        public Process(Dictionary<string, string?> settings)
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(config);
            services.AddLogging(b => b.AddConfiguration(config.GetSection("Logging")));
            services.AddSingleton(TimeProvider.System);
            services.AddPaperBotModules(config);
            Services = services.BuildServiceProvider();
        }

        public ServiceProvider Services { get; }

        public LuceneSearchService Index => Services.GetRequiredService<LuceneSearchService>();

        public PostgresChangeListener Listener => Services.GetRequiredService<PostgresChangeListener>();

        public PaperEmbeddings Embeddings => Services.GetRequiredService<PaperEmbeddings>();

        public IReadOnlyList<SearchHit> Search(string text) => Services.GetRequiredService<ISearchService>().Search(new SearchQuery(text) { Mode = SearchMode.Lexical });

        public async Task StartAsync()
        {
            // Only the background work that keeps this process in step (no Discord gateway in these tests).
            foreach (var s in new IHostedService[] { Listener, ActivatorUtilities.CreateInstance<EmbeddingBackfillService>(Services) })
            {
                await s.StartAsync(CancellationToken.None);
                _running.Add(s);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var s in _running)
            {
                await s.StopAsync(CancellationToken.None);
            }

            await Services.DisposeAsync();
        }
    }

    private static async Task<TimeSpan> Until(Func<bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what}: not within {limit.TotalSeconds:N0} s");
            }

            await Task.Delay(5);
        }

        return clock.Elapsed;
    }

    [SkippableFact]
    public async Task A_paper_ingested_by_the_cli_becomes_searchable_in_two_other_processes_through_listen_notify()
    {
        var schema = db.NewSchema();
        await using var b = new Process(Settings(schema));
        await using var c = new Process(Settings(schema));
        await b.StartAsync();
        await c.StartAsync();
        Assert.Empty(b.Search("zyzzyva tessellation"));
        Assert.Empty(c.Search("zyzzyva tessellation"));
        await Until(() => b.Listener.Connections > 0 && c.Listener.Connections > 0, TimeSpan.FromSeconds(30), "listeners connected");

        var jsonl = _dir.File("one.jsonl");
        await File.WriteAllTextAsync(jsonl, "{\"arxivId\":\"2611.01234\",\"title\":\"Zyzzyva tessellation of attention maps\",\"abstract\":\"We tessellate attention with zyzzyva tiles.\"}\n");
        var (code, _, err) = await Cli("--config", ConfigFile(schema), "ingest", jsonl);
        Assert.True(code == 0, err);
        var written = new PostgresPaperStore(new PostgresDatabase(schema)).Stats().Revision;

        // The listeners bring each process's own index up to the new revision without a search asking for it.
        var clock = Stopwatch.StartNew();
        await Until(() => b.Index.Describe().IndexedRevision >= written, TimeSpan.FromSeconds(30), "process B indexed the paper");
        var inB = clock.Elapsed;
        await Until(() => c.Index.Describe().IndexedRevision >= written, TimeSpan.FromSeconds(30), "process C indexed the paper");
        var inC = clock.Elapsed;
        Assert.Equal("2611.01234", Assert.Single(b.Search("zyzzyva tessellation")).Paper.Id);
        Assert.Equal("2611.01234", Assert.Single(c.Search("zyzzyva tessellation")).Paper.Id);
        output.WriteLine($"cross-process visibility after the CLI's ingest returned: process B {inB.TotalMilliseconds:N0} ms, process C {inC.TotalMilliseconds:N0} ms");

        // The vectors follow too: each process's backfill wakes on the announcement (not at its hourly interval).
        await Until(() => b.Embeddings.Index.Contains("2611.01234") && c.Embeddings.Index.Contains("2611.01234"), TimeSpan.FromSeconds(120), "vectors in B and C");
        output.WriteLine($"vectors in both processes after {clock.Elapsed.TotalMilliseconds:N0} ms (local all-MiniLM-L6-v2, model load included)");

        // A deletion from one process leaves the other's index too.
        Assert.True(b.Services.GetRequiredService<IPaperStore>().Delete("2611.01234"));
        await Until(() => c.Index.Describe().Documents == 0, TimeSpan.FromSeconds(30), "process C dropped the deleted paper");
        Assert.Empty(c.Search("zyzzyva tessellation"));
    }

    [SkippableFact]
    public async Task A_reconnecting_listener_catches_up_on_changes_it_missed()
    {
        var schema = db.NewSchema();
        await using var b = new Process(Settings(schema));
        var store = b.Services.GetRequiredService<PostgresPaperStore>();
        await b.StartAsync();
        await Until(() => b.Listener.Connections > 0, TimeSpan.FromSeconds(30), "listener connected");
        Assert.Empty(b.Search("missed while away"));

        // Kill the listener's connection on the server; write from another "process" while it is down.
        using (var admin = new Npgsql.NpgsqlConnection(schema))
        {
            await admin.OpenAsync();
            await using var kill = new Npgsql.NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", admin);
            await kill.ExecuteNonQueryAsync();
        }

        new PostgresPaperStore(new PostgresDatabase(schema)).Upsert([new Paper { ArxivId = "2611.00001", Title = "Missed while away", Abstract = "Written while the listener was down." }]);
        await Until(() => b.Listener.Connections > 1, TimeSpan.FromSeconds(30), "listener reconnected");
        await Until(() => b.Index.Describe().IndexedRevision >= 1, TimeSpan.FromSeconds(30), "caught up after reconnecting");
        Assert.Equal(1, store.CurrentRevision);
        Assert.Single(b.Search("missed while away"));
    }

    [SkippableFact]
    public async Task Migrate_copies_papers_embeddings_and_records_and_a_second_run_copies_nothing()
    {
        var schema = db.NewSchema();
        var source = _dir.File("source.db");
        Assert.Equal(0, (await Cli("--db", source, "ingest", TestPaths.HfFixture("daily_papers_2026-08-20.json"))).Code);
        using (var ctx = new LiteDbContext(source))
        {
            var records = new LiteDbRecordStore<ContractRecord>(ctx);
            records.Put("digest:g1:2026-08-20", new ContractRecord("g1", 3, new DateOnly(2026, 8, 20), DateTimeOffset.UnixEpoch, ["posted"]));
            records.Put("digest:g2:2026-08-20", new ContractRecord("g2", 4, new DateOnly(2026, 8, 20), DateTimeOffset.UnixEpoch, []));
            new LiteDbRecordStore<PaperEmbeddingRecord>(ctx).Put("2608.17253", new PaperEmbeddingRecord { Model = "m", Dimensions = 2, TextHash = "h", Data = [1, 2, 3, 4, 5, 6, 7, 8] });
        }

        var config = ConfigFile(schema);
        var (code, stdout, stderr) = await Cli("--config", config, "migrate", "--from", "litedb:" + source, "--to", "postgres", "--json");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal(15, doc.RootElement.GetProperty("papers").GetProperty("added").GetInt32());
            var copied = doc.RootElement.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("collection").GetString()!, r => r.GetProperty("inserted").GetInt32());
            Assert.Equal(2, copied[RecordCollectionName<ContractRecord>()]);
            Assert.Equal(1, copied[RecordCollectionName<PaperEmbeddingRecord>()]);
        }

        using var target = new PostgresDatabase(schema);
        Assert.Equal(15, new PostgresPaperStore(target).Count());
        Assert.Equal(["posted"], new PostgresRecordStore<ContractRecord>(target).Get("digest:g1:2026-08-20")!.Tags);
        Assert.Equal<byte>([1, 2, 3, 4, 5, 6, 7, 8], new PostgresRecordStore<PaperEmbeddingRecord>(target).Get("2608.17253")!.Data);

        // Idempotent: nothing new the second time; a record changed in the target since is kept.
        new PostgresRecordStore<ContractRecord>(target).Put("digest:g2:2026-08-20", new ContractRecord("g2", 40, default, default, ["newer"]));
        (code, stdout, _) = await Cli("--config", config, "migrate", "--from", "litedb:" + source, "--to", "postgres", "--no-progress");
        Assert.Equal(0, code);
        Assert.Contains("papers 0 added, 0 updated, 15 unchanged; records 0 copied, 3 already there", stdout);
        Assert.Equal(40, new PostgresRecordStore<ContractRecord>(target).Get("digest:g2:2026-08-20")!.Tokens);

        // The whole CLI runs on the migrated database.
        (code, stdout, stderr) = await Cli("--config", config, "stats", "--json");
        Assert.True(code == 0, stderr);
        using (var stats = JsonDocument.Parse(stdout))
        {
            Assert.Equal(15, stats.RootElement.GetProperty("papers").GetInt64());
            Assert.StartsWith("postgres://127.0.0.1", stats.RootElement.GetProperty("database").GetString());
        }
    }

    private static string RecordCollectionName<T>() => PaperBot.Core.Persistence.RecordCollection.NameOf<T>();

    [Fact]
    public async Task Migrate_without_a_connection_string_is_a_configuration_error()
    {
        var source = _dir.File("s.db");
        Assert.Equal(0, (await Cli("--db", source, "ingest", TestPaths.HfFixture("daily_papers_2026-08-20.json"))).Code);
        var (code, _, stderr) = await Cli("migrate", "--from", "litedb:" + source, "--to", "postgres");
        Assert.Equal(3, code);
        Assert.Contains(StorageOptions.ConnectionStringVariable, stderr);
    }

    [Fact]
    public async Task Migrate_to_an_unreachable_server_fails_with_exit_1_and_never_shows_the_password()
    {
        var source = _dir.File("s.db");
        Assert.Equal(0, (await Cli("--db", source, "ingest", TestPaths.HfFixture("daily_papers_2026-08-20.json"))).Code);
        var port = FreePort();
        var config = ConfigFile($"Host=127.0.0.1;Port={port};Database=nowhere;Username=u;Password=hunter2;Timeout=3", "unreachable.json");
        var (code, stdout, stderr) = await Cli("--config", config, "migrate", "--from", "litedb:" + source, "--to", "postgres");
        Assert.Equal(1, code);
        Assert.Contains($"cannot reach the PostgreSQL server postgres://127.0.0.1:{port}/nowhere", stderr);
        Assert.DoesNotContain("hunter2", stdout + stderr);
    }

    [Fact]
    public async Task Postgres_provider_without_a_connection_string_stops_with_what_to_set()
    {
        var path = _dir.File("no-cs.json");
        await File.WriteAllTextAsync(path, "{\"Storage\":{\"Provider\":\"postgres\"}}");
        var (code, _, stderr) = await Cli("--config", path, "stats");
        Assert.Equal(3, code);
        Assert.Contains("Storage:ConnectionString is not set", stderr);
        Assert.Contains(StorageOptions.ConnectionStringVariable, stderr);
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
