using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PaperBot.Core.Persistence;

namespace PaperBot.Storage.Postgres;

/// <summary>
/// <see cref="IRecordStore{T}"/> on PostgreSQL: the records table keyed by (collection, key), the collection named as
/// in LiteDB (<see cref="RecordCollection.NameOf{T}"/>), the record as jsonb (System.Text.Json). <see cref="TryInsert"/>
/// is one INSERT … ON CONFLICT DO NOTHING: across all processes exactly one caller inserts a key (digest and DM claims).
/// </summary>
public sealed class PostgresRecordStore<T>(PostgresDatabase database) : IRecordStore<T>
    where T : class
{
    /// <summary>jsonb does not keep property order: polymorphic records' "$type" may come back after other properties.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { AllowOutOfOrderMetadataProperties = true };

    private readonly PostgresRawRecords _raw = new(database);

    public static string CollectionName { get; } = RecordCollection.NameOf<T>();

    public T? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _raw.Get(CollectionName, key) is { } json ? Deserialize(key, json) : null;
    }

    public void Put(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _raw.Put(CollectionName, key, JsonSerializer.Serialize(value, Json));
    }

    public bool TryInsert(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return _raw.TryInsert(CollectionName, key, JsonSerializer.Serialize(value, Json));
    }

    public bool Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _raw.Delete(CollectionName, key);
    }

    public IReadOnlyList<KeyValuePair<string, T>> All() =>
        [.. _raw.All(CollectionName).Select(kv => new KeyValuePair<string, T>(kv.Key, Deserialize(kv.Key, kv.Value)))];

    public int Count() => _raw.Count(CollectionName);

    private static T Deserialize(string key, string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"record '{key}' in collection '{CollectionName}' is null");
}

/// <summary>Untyped access to the records table by collection name, each record's JSON text (for `migrate`, which copies collections it has no type for).</summary>
public sealed class PostgresRawRecords(PostgresDatabase database)
{
    public string? Get(string collection, string key) => Query(conn =>
    {
        using var cmd = Command(conn, "SELECT value::text FROM records WHERE collection = $1 AND key = $2", collection, key);
        return cmd.ExecuteScalar() as string;
    });

    public void Put(string collection, string key, string json) => Query(conn =>
    {
        using var cmd = Command(conn, "INSERT INTO records (collection, key, value) VALUES ($1, $2, $3) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value, updated_at = now()", collection, key, Jsonb(json));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Atomic across processes: true for exactly one caller per (collection, key).</summary>
    public bool TryInsert(string collection, string key, string json) => Query(conn =>
    {
        using var cmd = Command(conn, "INSERT INTO records (collection, key, value) VALUES ($1, $2, $3) ON CONFLICT (collection, key) DO NOTHING", collection, key, Jsonb(json));
        return cmd.ExecuteNonQuery() == 1;
    });

    public bool Delete(string collection, string key) => Query(conn =>
    {
        using var cmd = Command(conn, "DELETE FROM records WHERE collection = $1 AND key = $2", collection, key);
        return cmd.ExecuteNonQuery() == 1;
    });

    public List<KeyValuePair<string, string>> All(string collection) => Query(conn =>
    {
        using var cmd = Command(conn, "SELECT key, value::text FROM records WHERE collection = $1 ORDER BY key", collection);
        using var r = cmd.ExecuteReader();
        var list = new List<KeyValuePair<string, string>>();
        while (r.Read())
        {
            list.Add(new(r.GetString(0), r.GetString(1)));
        }

        return list;
    });

    public int Count(string collection) => Query(conn =>
    {
        using var cmd = Command(conn, "SELECT count(*) FROM records WHERE collection = $1", collection);
        return (int)(long)cmd.ExecuteScalar()!;
    });

    /// <summary>Inserts the records whose keys are absent, in one statement; returns how many were inserted (`migrate`).</summary>
    public int InsertMissing(string collection, IReadOnlyList<KeyValuePair<string, string>> records) => records.Count == 0 ? 0 : Query(conn =>
    {
        using var cmd = new NpgsqlCommand("INSERT INTO records (collection, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::jsonb[]) AS r(k, v) ON CONFLICT (collection, key) DO NOTHING", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = collection });
        cmd.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = records.Select(r => r.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return cmd.ExecuteNonQuery();
    });

    private T Query<T>(Func<NpgsqlConnection, T> work) => database.Run(() =>
    {
        using var conn = database.Open();
        return work(conn);
    });

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlCommand Command(NpgsqlConnection conn, string sql, params object[] values)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values)
        {
            cmd.Parameters.Add(v as NpgsqlParameter ?? new NpgsqlParameter { Value = v });
        }

        return cmd;
    }
}
