using LiteDB;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;

namespace PaperBot.Storage;

/// <summary>
/// Untyped access to the record collections by name, with each record's JSON text as stored by
/// <see cref="LiteDbRecordStore{T}"/> (for the process that serves the database to others; it need not know T).
/// Writes take the same lock and sync point as the typed store.
/// </summary>
public sealed class LiteDbRawRecords(LiteDbContext context)
{
    private const string JsonField = "json";

    private ILiteCollection<BsonDocument> Collection(string name)
    {
        Validate(name);
        return context.Database.GetCollection(name);
    }

    private static void Validate(string name)
    {
        if (!RecordCollection.IsValidName(name))
        {
            throw new PaperRecordException($"'{name}' is not a record collection");
        }
    }

    /// <summary>Before a write: the collection exists (created while no other thread reads; see LiteDbContext.EnsureCollections).</summary>
    private void EnsureCollection(string name)
    {
        Validate(name);
        context.EnsureCollections(name);
    }

    public string? Get(string collection, string key) =>
        context.Guard(() => Collection(collection).FindById(key) is { } d ? d[JsonField].AsString : null);

    public void Put(string collection, string key, string json)
    {
        context.EnsureWritable("write records");
        EnsureCollection(collection);
        lock (context.WriteLock)
        {
            context.Guard(() =>
            {
                Collection(collection).Upsert(new BsonDocument { ["_id"] = key, [JsonField] = json });
                context.SyncToDisk();
            });
        }
    }

    public bool TryInsert(string collection, string key, string json)
    {
        context.EnsureWritable("write records");
        EnsureCollection(collection);
        lock (context.WriteLock)
        {
            return context.Guard(() =>
            {
                var c = Collection(collection);
                if (c.FindById(key) is not null)
                {
                    return false;
                }

                c.Insert(new BsonDocument { ["_id"] = key, [JsonField] = json });
                context.SyncToDisk();
                return true;
            });
        }
    }

    public bool Delete(string collection, string key)
    {
        context.EnsureWritable("delete records");
        lock (context.WriteLock)
        {
            return context.Guard(() =>
            {
                var deleted = Collection(collection).Delete(key);
                if (deleted)
                {
                    context.SyncToDisk();
                }

                return deleted;
            });
        }
    }

    public List<KeyValuePair<string, string>> All(string collection) =>
        context.Guard(() => Collection(collection).FindAll().Select(d => new KeyValuePair<string, string>(d["_id"].AsString, d[JsonField].AsString)).ToList());

    /// <summary>The record collections in the file (`migrate` copies them all).</summary>
    public IReadOnlyList<string> Collections() =>
        context.Guard(() => context.Database.GetCollectionNames().Where(RecordCollection.IsValidName).Order(StringComparer.Ordinal).ToList());

    public int Count(string collection) => context.Guard(() => Collection(collection).Count());
}
