using Npgsql;
using Xunit;

namespace PaperBot.Testing.Postgres;

/// <summary>
/// The PostgreSQL server the Postgres tests run against: the connection string in PAPERBOT_TEST_POSTGRES (a user
/// allowed to CREATE DATABASE). `.ci/run` starts a throwaway PostgreSQL 15 cluster on loopback
/// (.ci/postgres.sh) and sets it, with PAPERBOT_TEST_POSTGRES_REQUIRED=1. Without the variable the tests skip with
/// a reason, unless the server is required (that flag, or CI=true): then they fail.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "PAPERBOT_TEST_POSTGRES";
    public const string RequiredVariable = "PAPERBOT_TEST_POSTGRES_REQUIRED";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    /// <summary>True in CI (CI=true, or .ci/run's flag): a missing server is a failure, not a skip.</summary>
    public static bool Required =>
        Environment.GetEnvironmentVariable(RequiredVariable) is "1" or "true" ||
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reason Postgres tests skip here (null when a server is configured).</summary>
    public static string? SkipReason => ConnectionString is null
        ? $"no PostgreSQL server: set {Variable} to a connection string (or run `source .ci/postgres.sh && paperbot_pg_start`, which starts a throwaway PostgreSQL 15 on loopback and sets it)"
        : null;

    /// <summary>Skips the calling [SkippableFact] when no server is configured, fails it when one is required.</summary>
    public static string Require()
    {
        if (ConnectionString is { } cs)
        {
            return cs;
        }

        if (Required)
        {
            throw new InvalidOperationException($"PostgreSQL tests must run here ({RequiredVariable}=1 or CI=true) but {Variable} is not set: .ci/run could not start the server");
        }

        Skip.If(true, SkipReason);
        return "";
    }
}

/// <summary>
/// A database of its own for one test class (created from the server's connection string, dropped afterwards), so
/// classes run in parallel; <see cref="NewSchema"/> gives each test a schema of its own in it.
/// </summary>
public sealed class PostgresTestDatabase : IDisposable
{
    private readonly string? _admin;

    public PostgresTestDatabase()
    {
        if (PostgresTestServer.ConnectionString is not { } admin)
        {
            if (PostgresTestServer.Required)
            {
                PostgresTestServer.Require();
            }

            return;
        }

        _admin = admin;
        Name = "pbtest_" + Guid.NewGuid().ToString("N")[..16];
        using (var conn = new NpgsqlConnection(admin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {Name}", conn);
            cmd.ExecuteNonQuery();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name, Pooling = true }.ConnectionString;
    }

    public string? Name { get; }

    /// <summary>This class's database (null when there is no server: call <see cref="PostgresTestServer.Require"/> first).</summary>
    public string? ConnectionString { get; }

    /// <summary>The connection string of a new, empty schema in this database (the tables are created in it on first use).</summary>
    public string NewSchema()
    {
        PostgresTestServer.Require();
        var schema = "s_" + Guid.NewGuid().ToString("N")[..16];
        using (var conn = new NpgsqlConnection(ConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", conn);
            cmd.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    public void Dispose()
    {
        if (_admin is null || Name is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var conn = new NpgsqlConnection(_admin);
        conn.Open();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", conn);
        cmd.ExecuteNonQuery();
    }
}
