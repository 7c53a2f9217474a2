using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;

namespace PaperBot.Storage;

/// <summary>
/// <see cref="IRecordStore{T}"/> on the shared LiteDB file: one collection per T ("rec_" + type name), each record stored
/// as System.Text.Json text (so records, DateOnly, DateTimeOffset… round-trip without LiteDB mapper quirks).
/// </summary>
public sealed class LiteDbRecordStore<T> : IRecordStore<T>
    where T : class
{
    private const string JsonField = "json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>How records are serialised (a process writing records for another one must use the same).</summary>
    public static JsonSerializerOptions SerializerOptions => Json;
    private readonly LiteDbContext _context;

    /// <summary>
    /// With --read-only, records written by this process (conversation memory, token budgets) are kept here for the
    /// process's lifetime, so `ask` works on a read-only database; null otherwise. A null value is a deletion.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BsonDocument?>? _overlay;

    public LiteDbRecordStore(LiteDbContext context)
    {
        _context = context;
        _overlay = context.ReadOnly ? new(StringComparer.Ordinal) : null;
    }

    /// <summary>The LiteDB collection holding this record type.</summary>
    public static string CollectionName { get; } = RecordCollection.NameOf<T>();

    private ILiteCollection<BsonDocument> Collection => _context.Database.GetCollection(CollectionName);

    public T? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_overlay is not null && _overlay.TryGetValue(key, out var local))
        {
            return local is null ? null : Deserialize(local);
        }

        var doc = _context.Guard(() => Collection.FindById(key));
        return doc is null ? null : Deserialize(doc);
    }

    public void Put(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_overlay is not null)
        {
            _overlay[key] = ToDocument(key, value);
            return;
        }

        _context.EnsureCollections(CollectionName);
        lock (_context.WriteLock)
        {
            _context.Guard(() =>
            {
                Collection.Upsert(ToDocument(key, value));
                _context.SyncToDisk();
            });
        }
    }

    public bool TryInsert(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_overlay is not null)
        {
            lock (_overlay)
            {
                if (Get(key) is not null)
                {
                    return false;
                }

                _overlay[key] = ToDocument(key, value);
                return true;
            }
        }

        _context.EnsureCollections(CollectionName);
        lock (_context.WriteLock)
        {
            try
            {
                // Insert on the primary key is atomic inside LiteDB (and writers are serialised): exactly one caller wins.
                _context.Guard(() =>
                {
                    Collection.Insert(ToDocument(key, value));
                    _context.SyncToDisk();
                });
                return true;
            }
            catch (PaperRecordException ex) when (ex.InnerException is LiteException { ErrorCode: LiteException.INDEX_DUPLICATE_KEY })
            {
                return false;
            }
        }
    }

    public bool Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_overlay is not null)
        {
            var existed = Get(key) is not null;
            _overlay[key] = null;
            return existed;
        }

        lock (_context.WriteLock)
        {
            return _context.Guard(() =>
            {
                var deleted = Collection.Delete(key);
                if (deleted)
                {
                    _context.SyncToDisk();
                }

                return deleted;
            });
        }
    }

    public IReadOnlyList<KeyValuePair<string, T>> All()
    {
        var stored = _context.Guard(() => Collection.FindAll().ToList());
        var result = new List<KeyValuePair<string, T>>(stored.Count);
        foreach (var d in stored)
        {
            var key = d["_id"].AsString;
            if (_overlay is null || !_overlay.ContainsKey(key))
            {
                result.Add(new(key, Deserialize(d)));
            }
        }

        if (_overlay is not null)
        {
            result.AddRange(_overlay.Where(kv => kv.Value is not null).Select(kv => new KeyValuePair<string, T>(kv.Key, Deserialize(kv.Value!))));
        }

        return result;
    }

    public int Count() => _overlay is null ? _context.Guard(() => Collection.Count()) : All().Count;

    private static BsonDocument ToDocument(string key, T value) => new()
    {
        ["_id"] = key,
        [JsonField] = JsonSerializer.Serialize(value, Json),
    };

    private static T Deserialize(BsonDocument doc) =>
        JsonSerializer.Deserialize<T>(doc[JsonField].AsString, Json)
        ?? throw new InvalidDataException($"record '{doc["_id"].AsString}' in collection '{CollectionName}' is null");
}
