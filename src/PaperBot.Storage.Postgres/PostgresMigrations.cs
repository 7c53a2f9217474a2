using Npgsql;

namespace PaperBot.Storage.Postgres;

/// <summary>
/// Schema migrations: the plain SQL files under Migrations/ (embedded resources), applied in name order, each once,
/// recorded in schema_migrations. All pending files run in one transaction holding an advisory lock, so processes
/// starting together apply them once and a failed file leaves the schema as it was. A second start is a no-op.
/// </summary>
public static class PostgresMigrations
{
    /// <summary>Key of the transaction-level advisory lock that serialises migrations ("PBmg").</summary>
    private const long LockKey = 0x50426d67;
    private const string Prefix = "PaperBot.Storage.Postgres.Migrations.";

    /// <summary>The migration names ("001_initial") and their SQL, in the order they apply.</summary>
    public static IReadOnlyList<(string Name, string Sql)> All { get; } = Load();

    /// <summary>Applies the pending migrations on <paramref name="connection"/>; returns their names (empty when none was pending).</summary>
    public static IReadOnlyList<string> Apply(NpgsqlConnection connection)
    {
        using var tx = connection.BeginTransaction();
        Exec(connection, tx, $"SELECT pg_advisory_xact_lock({LockKey})");
        Exec(connection, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        var done = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, tx))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                done.Add(reader.GetString(0));
            }
        }

        var applied = new List<string>();
        foreach (var (name, sql) in All.Where(m => !done.Contains(m.Name)))
        {
            Exec(connection, tx, sql);
            using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@v)", connection, tx);
            record.Parameters.AddWithValue("v", name);
            record.ExecuteNonQuery();
            applied.Add(name);
        }

        tx.Commit();
        return applied;
    }

    private static void Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection, tx);
        cmd.ExecuteNonQuery();
    }

    private static List<(string Name, string Sql)> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var list = new List<(string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((resource[Prefix.Length..^4], reader.ReadToEnd()));
        }

        return [.. list.OrderBy(m => m.Name, StringComparer.Ordinal)];
    }
}
