using Npgsql;
using PaperBot.Core.Papers;
using PaperBot.Storage.Postgres;
using PaperBot.Testing.Postgres;

namespace PaperBot.Storage.Postgres.Tests;

/// <summary>Schema migrations, connection-string hygiene and server failures.</summary>
public sealed class PostgresDatabaseTests(PostgresTestDatabase db) : IClassFixture<PostgresTestDatabase>
{
    [SkippableFact]
    public void Migrations_apply_once_in_order_and_a_second_start_is_a_no_op()
    {
        var cs = db.NewSchema();
        using (var first = new PostgresDatabase(cs))
        {
            Assert.Equal(PostgresMigrations.All.Select(m => m.Name), first.Migrate());
            Assert.Empty(first.Migrate());
        }

        using var second = new PostgresDatabase(cs);
        Assert.Empty(second.Migrate());
        using var conn = new NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new NpgsqlCommand("SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations", conn);
        Assert.Equal(string.Join(',', PostgresMigrations.All.Select(m => m.Name)), cmd.ExecuteScalar());
        Assert.StartsWith("001_", PostgresMigrations.All[0].Name);
    }

    [SkippableFact]
    public async Task Processes_starting_together_apply_the_migrations_exactly_once()
    {
        var cs = db.NewSchema();
        var databases = Enumerable.Range(0, 6).Select(_ => new PostgresDatabase(cs)).ToList();
        try
        {
            var start = new ManualResetEventSlim();
            var runs = databases.Select(d => Task.Run(() =>
            {
                start.Wait();
                return d.Migrate().Count;
            })).ToList();
            start.Set();
            var applied = await Task.WhenAll(runs);
            Assert.Equal(PostgresMigrations.All.Count, applied.Sum());
            Assert.Single(applied, n => n > 0);

            // One store row, one store id for everyone.
            Assert.Single(databases.Select(d => new PostgresPaperStore(d).StoreId).Distinct());
        }
        finally
        {
            databases.ForEach(d => d.Dispose());
        }
    }

    [SkippableFact]
    public void Stores_in_two_schemas_of_one_database_ignore_each_others_announcements()
    {
        using var a = new PostgresDatabase(db.NewSchema());
        using var b = new PostgresDatabase(db.NewSchema());
        var sa = new PostgresPaperStore(a);
        var sb = new PostgresPaperStore(b);
        Assert.NotEqual(sa.StoreId, sb.StoreId);
        Assert.Equal(7, sa.ParseAnnouncement(PostgresPaperStore.Announcement(sa.StoreId, 7)));
        Assert.Null(sb.ParseAnnouncement(PostgresPaperStore.Announcement(sa.StoreId, 7)));
        Assert.Null(sa.ParseAnnouncement("garbage"));
    }

    [Fact]
    public void The_description_names_host_port_and_database_never_the_credentials()
    {
        using var d = new PostgresDatabase("Host=db.example;Port=5433;Database=papers;Username=bot;Password=hunter2");
        Assert.Equal("postgres://db.example:5433/papers", d.Description);
        using var defaultPort = new PostgresDatabase("Host=db.example;Database=papers;Username=bot;Password=hunter2");
        Assert.Equal("postgres://db.example/papers", defaultPort.Description);
        var bad = Assert.Throws<ArgumentException>(() => new PostgresDatabase("Host=x;Password=hunter2;Nonsense Key=1"));
        Assert.DoesNotContain("hunter2", bad.ToString());
    }

    [Fact]
    public void An_unreachable_server_is_a_store_error_that_says_where_and_what_to_check()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        using var d = new PostgresDatabase($"Host=127.0.0.1;Port={port};Database=gone;Username=u;Password=hunter2;Timeout=3");
        var ex = Assert.Throws<PaperStoreException>(() => new PostgresPaperStore(d).Count());
        Assert.Equal(StoreErrorKind.Unavailable, ex.Kind);
        Assert.Contains($"cannot reach the PostgreSQL server postgres://127.0.0.1:{port}/gone", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }
}
