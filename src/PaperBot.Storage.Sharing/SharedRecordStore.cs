using System.Text.Json;
using PaperBot.Core.Persistence;

namespace PaperBot.Storage.Sharing;

/// <summary><see cref="IRecordStore{T}"/> for a process that may or may not own the database: see <see cref="DatabaseRouter"/>.</summary>
public sealed class SharedRecordStore<T>(DatabaseRouter router, LiteDbRecordStore<T> local) : IRecordStore<T>
    where T : class
{
    private static readonly string Collection = LiteDbRecordStore<T>.CollectionName;

    private static string ToJson(T value) => JsonSerializer.Serialize(value, LiteDbRecordStore<T>.SerializerOptions);

    private static T FromJson(string json) => JsonSerializer.Deserialize<T>(json, LiteDbRecordStore<T>.SerializerOptions)!;

    public T? Get(string key) => router.Run(() => local.Get(key), r => r.Call<string?>("rec.get", new RecordArgs(Collection, key)) is { } json ? FromJson(json) : null);

    public void Put(string key, T value) => router.Run(() =>
    {
        local.Put(key, value);
        return true;
    }, r => r.Call<bool>("rec.put", new RecordArgs(Collection, key, ToJson(value))));

    public bool TryInsert(string key, T value) =>
        router.Run(() => local.TryInsert(key, value), r => r.Call<bool>("rec.tryInsert", new RecordArgs(Collection, key, ToJson(value))));

    public bool Delete(string key) => router.Run(() => local.Delete(key), r => r.Call<bool>("rec.delete", new RecordArgs(Collection, key)));

    public IReadOnlyList<KeyValuePair<string, T>> All() => router.Run(
        local.All,
        r => r.Call<List<RecordItem>>("rec.all", new RecordArgs(Collection)).Select(i => new KeyValuePair<string, T>(i.Key, FromJson(i.Json))).ToList());

    public int Count() => router.Run(local.Count, r => r.Call<int>("rec.count", new RecordArgs(Collection)));
}
