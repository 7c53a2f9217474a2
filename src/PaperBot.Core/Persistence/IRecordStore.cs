namespace PaperBot.Core.Persistence;

/// <summary>
/// Small keyed persistence for non-paper state (conversation memory, budgets, guild settings, subscriptions,
/// digest-post records). Implemented by PaperBot.Storage on the same LiteDB file as the papers; one collection per T.
/// </summary>
public interface IRecordStore<T>
    where T : class
{
    T? Get(string key);

    /// <summary>Insert or replace.</summary>
    void Put(string key, T value);

    /// <summary>Inserts only if the key is absent; returns false when it already exists (atomic: use for exactly-once).</summary>
    bool TryInsert(string key, T value);

    bool Delete(string key);

    IReadOnlyList<KeyValuePair<string, T>> All();

    /// <summary>Number of records (for `stats`).</summary>
    int Count() => All().Count;
}
