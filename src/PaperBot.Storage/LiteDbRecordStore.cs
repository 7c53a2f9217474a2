using System.Text;
using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
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
    private readonly LiteDbContext _context;

    public LiteDbRecordStore(LiteDbContext context)
    {
        _context = context;
    }

    /// <summary>The LiteDB collection holding this record type.</summary>
    public static string CollectionName { get; } = BuildCollectionName();

    private ILiteCollection<BsonDocument> Collection => _context.Database.GetCollection(CollectionName);

    public T? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var doc = Collection.FindById(key);
        return doc is null ? null : Deserialize(doc);
    }

    public void Put(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Collection.Upsert(ToDocument(key, value));
        _context.SyncToDisk();
    }

    public bool TryInsert(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            // Insert on the primary key is atomic inside LiteDB: exactly one concurrent caller wins.
            Collection.Insert(ToDocument(key, value));
            _context.SyncToDisk();
            return true;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    public bool Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var deleted = Collection.Delete(key);
        if (deleted)
        {
            _context.SyncToDisk();
        }

        return deleted;
    }

    public IReadOnlyList<KeyValuePair<string, T>> All() =>
        Collection.FindAll().Select(d => new KeyValuePair<string, T>(d["_id"].AsString, Deserialize(d))).ToList();

    private static BsonDocument ToDocument(string key, T value) => new()
    {
        ["_id"] = key,
        [JsonField] = JsonSerializer.Serialize(value, Json),
    };

    private static T Deserialize(BsonDocument doc) =>
        JsonSerializer.Deserialize<T>(doc[JsonField].AsString, Json)
        ?? throw new InvalidDataException($"record '{doc["_id"].AsString}' in collection '{CollectionName}' is null");

    private static string BuildCollectionName()
    {
        var sb = new StringBuilder("rec_");
        void Append(Type t)
        {
            var name = t.Name;
            var tick = name.IndexOf('`');
            sb.Append(tick >= 0 ? name[..tick] : name);
            foreach (var arg in t.GetGenericArguments())
            {
                sb.Append('_');
                Append(arg);
            }
        }

        Append(typeof(T));
        for (var i = 0; i < sb.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(sb[i]) && sb[i] != '_')
            {
                sb[i] = '_';
            }
        }

        return sb.ToString();
    }
}
