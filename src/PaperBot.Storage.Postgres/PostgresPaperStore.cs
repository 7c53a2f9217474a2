using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PaperBot.Core.Papers;

namespace PaperBot.Storage.Postgres;

/// <summary>
/// <see cref="IPaperStore"/> on PostgreSQL, shared by every process of a deployment. The merge rules are
/// <see cref="PaperUpsertPlanner"/>'s (identical to LiteDB's). Every write transaction first locks the one
/// paperbot_store row: writers from all processes are serialised (the planner reads what the previous writer
/// committed) and revisions commit in ascending order, so an index that has seen revision N never misses an older one.
/// Each write ends with NOTIFY <see cref="Channel"/> (payload: the new revision), which
/// <see cref="PostgresChangeListener"/> turns into index catch-up in the other processes.
/// <para>
/// <see cref="CurrentRevision"/> is read from the database unless the listener is connected, in which case the revision
/// it announced (or this process wrote) is used without a round trip.
/// </para>
/// </summary>
public sealed class PostgresPaperStore(PostgresDatabase database, PaperLimits? limits = null) : IPaperStore
{
    /// <summary>The NOTIFY channel paper changes are announced on.</summary>
    public const string Channel = "paperbot_papers";

    private const int BatchSize = 2000;
    private const int PageSize = 1000;
    private const string Columns = "doc::text, revision";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private readonly PaperLimits _limits = limits ?? PaperLimits.Default;
    private string? _storeId;
    private long _revision = -1;
    private volatile bool _followed;

    public PaperLimits Limits => _limits;

    public PostgresDatabase Database => database;

    public long CurrentRevision => _followed && Interlocked.Read(ref _revision) >= 0 ? Interlocked.Read(ref _revision) : ReadRevision();

    public string StoreId => _storeId ??= Scalar<string>("SELECT store_id FROM paperbot_store");

    /// <summary>
    /// Set by the change listener: while true, <see cref="CurrentRevision"/> trusts <see cref="Observe"/>d revisions
    /// (NOTIFY plus the catch-up read on every reconnect) instead of asking the server each time.
    /// </summary>
    internal bool Followed
    {
        get => _followed;
        set => _followed = value;
    }

    /// <summary>Records a revision this process wrote or was told about (never goes back).</summary>
    internal void Observe(long revision)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _revision);
            if (revision <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _revision, revision, seen) != seen);
    }

    internal long ReadRevision()
    {
        var rev = Scalar<long>("SELECT revision FROM paperbot_store");
        Observe(rev);
        return rev;
    }

    public UpsertResult Upsert(IEnumerable<Paper> papers) => Upsert(papers, MergeMode.Merge);

    public UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode)
    {
        ArgumentNullException.ThrowIfNull(papers);
        var total = default(UpsertResult);
        foreach (var chunk in papers.Chunk(BatchSize))
        {
            var incoming = PaperUpsertPlanner.Prepare(chunk, _limits);
            total += database.Run(() => UpsertBatch(incoming, mode));
        }

        return total;
    }

    private UpsertResult UpsertBatch(List<(Paper Paper, string? TitleKey)> incoming, MergeMode mode)
    {
        using var conn = database.Open();
        using var tx = conn.BeginTransaction();
        var (rev, count, storeId) = LockStore(conn, tx);
        var plan = PaperUpsertPlanner.Plan(incoming, mode, new Lookup(conn, tx));
        if (plan.IsEmpty)
        {
            tx.Commit();
            return plan.Result;
        }

        using var batch = new NpgsqlBatch(conn, tx);
        foreach (var (id, into, _) in plan.Removed)
        {
            count--;
            batch.BatchCommands.Add(Command("DELETE FROM papers WHERE id = $1", id));
            batch.BatchCommands.Add(Command(
                "INSERT INTO paper_tombstones (id, revision, merged_into) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, merged_into = excluded.merged_into",
                id, ++rev, into));
        }

        var n = plan.Changed.Count;
        var ids = new string[n];
        var keys = new string?[n];
        var revs = new long[n];
        var published = new DateOnly?[n];
        var featured = new DateOnly?[n];
        var upvotes = new int?[n];
        var docs = new string[n];
        for (var i = 0; i < n; i++)
        {
            var c = plan.Changed[i];
            c.Paper.Revision = ++rev;
            ids[i] = c.Paper.Id;
            keys[i] = c.TitleKey;
            revs[i] = rev;
            published[i] = c.Paper.Published;
            featured[i] = c.Paper.FeaturedOn;
            upvotes[i] = c.Paper.Upvotes;
            docs[i] = JsonSerializer.Serialize(c.Paper, Json);
            if (!c.Stored)
            {
                count++;
            }
        }

        if (n > 0)
        {
            // One statement for inserts and updates; a rewritten row takes a new, higher revision (never a clash).
            var cmd = new NpgsqlBatchCommand("""
                INSERT INTO papers (id, title_key, revision, published, featured_on, upvotes, doc)
                SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::date[], $5::date[], $6::integer[], $7::jsonb[])
                ON CONFLICT (id) DO UPDATE SET title_key = excluded.title_key, revision = excluded.revision, published = excluded.published,
                    featured_on = excluded.featured_on, upvotes = excluded.upvotes, doc = excluded.doc
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = revs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter { Value = published, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = featured, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = upvotes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            cmd.Parameters.Add(new NpgsqlParameter { Value = docs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(cmd);
        }

        if (plan.Added.Count > 0)
        {
            var del = new NpgsqlBatchCommand("DELETE FROM paper_tombstones WHERE id = ANY($1)");
            del.Parameters.Add(new NpgsqlParameter { Value = plan.Added.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(del);
        }

        if (plan.Titles.Count > 0)
        {
            batch.BatchCommands.Add(TitleCommands(plan.Titles, out var removedTitles));
            if (removedTitles is not null)
            {
                batch.BatchCommands.Add(removedTitles);
            }
        }

        batch.BatchCommands.Add(Command("UPDATE paperbot_store SET revision = $1, papers = $2", rev, count));
        batch.BatchCommands.Add(Command("SELECT pg_notify($1, $2)", Channel, Announcement(storeId, rev)));
        batch.ExecuteNonQuery();
        tx.Commit();
        Observe(rev);
        return plan.Result;
    }

    /// <summary>
    /// The title-map writes of a batch as two statements: the non-empty lists upserted (each list sent joined by the
    /// unit separator, which no id contains: a text[][] must be rectangular), the emptied keys deleted.
    /// </summary>
    private static NpgsqlBatchCommand TitleCommands(IReadOnlyDictionary<string, List<string>> titles, out NpgsqlBatchCommand? removed)
    {
        var kept = titles.Where(t => t.Value.Count > 0).ToList();
        var gone = titles.Where(t => t.Value.Count == 0).Select(t => t.Key).ToArray();
        removed = null;
        if (gone.Length > 0)
        {
            removed = new NpgsqlBatchCommand("DELETE FROM paper_titles WHERE title_key = ANY($1)");
            removed.Parameters.Add(new NpgsqlParameter { Value = gone, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        var cmd = new NpgsqlBatchCommand("""
            INSERT INTO paper_titles (title_key, ids)
            SELECT k, string_to_array(v, chr(31)) FROM unnest($1::text[], $2::text[]) AS t(k, v)
            ON CONFLICT (title_key) DO UPDATE SET ids = excluded.ids
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kept.Select(t => t.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kept.Select(t => string.Join('\u001f', t.Value)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return cmd;
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        }

        return cmd;
    }

    /// <summary>Locks the store row for this transaction (serialising writers of every process); returns its revision and paper count.</summary>
    private static (long Revision, long Papers, string StoreId) LockStore(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        using var cmd = new NpgsqlCommand("SELECT revision, papers, store_id FROM paperbot_store FOR UPDATE", conn, tx);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1), r.GetString(2));
    }

    /// <summary>
    /// The NOTIFY payload: "storeId:revision". Channels are per database, so stores in other schemas of the same
    /// database hear it too: they ignore another store's revisions.
    /// </summary>
    internal static string Announcement(string storeId, long revision) =>
        storeId + ":" + revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The revision of an announcement of this store; null for another store's or a malformed one.</summary>
    internal long? ParseAnnouncement(string payload)
    {
        var colon = payload.LastIndexOf(':');
        return colon > 0 && payload.AsSpan(0, colon).SequenceEqual(StoreId) &&
               long.TryParse(payload.AsSpan(colon + 1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var rev)
            ? rev
            : null;
    }

    public Paper? Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return database.Run(() =>
        {
            using var conn = database.Open();
            return ReadPapers(conn, $"""
                SELECT {Columns} FROM papers WHERE id = $1
                UNION ALL
                SELECT p.{Columns.Replace(", ", ", p.", StringComparison.Ordinal)} FROM paper_tombstones t JOIN papers p ON p.id = t.merged_into
                WHERE t.id = $1 AND NOT EXISTS (SELECT 1 FROM papers WHERE id = $1)
                LIMIT 1
                """, id).FirstOrDefault();
        });
    }

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
        {
            return [];
        }

        var found = database.Run(() =>
        {
            using var conn = database.Open();
            return ReadPapers(conn, $"SELECT {Columns} FROM papers WHERE id = ANY($1)", (object)wanted).ToDictionary(p => p.Id, StringComparer.Ordinal);
        });
        var result = new List<Paper>(wanted.Length);
        foreach (var id in wanted)
        {
            if (found.TryGetValue(id, out var p) || (Get(id) is { } merged && found.TryAdd(merged.Id, p = merged)))
            {
                result.Add(p);
            }
        }

        return result;
    }

    public int Count() => (int)Math.Min(int.MaxValue, Scalar<long>("SELECT papers FROM paperbot_store"));

    public IEnumerable<Paper> All()
    {
        string? last = null;
        while (true)
        {
            var after = last;
            var page = database.Run(() =>
            {
                using var conn = database.Open();
                return after is null
                    ? ReadPapers(conn, $"SELECT {Columns} FROM papers ORDER BY id LIMIT {PageSize}")
                    : ReadPapers(conn, $"SELECT {Columns} FROM papers WHERE id > $1 ORDER BY id LIMIT {PageSize}", after);
            });
            foreach (var p in page)
            {
                yield return p;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            last = page[^1].Id;
        }
    }

    public IEnumerable<Paper> ChangedSince(long revision)
    {
        var last = revision;
        while (true)
        {
            var from = last;
            var page = database.Run(() =>
            {
                using var conn = database.Open();
                return ReadPapers(conn, $"SELECT {Columns} FROM papers WHERE revision > $1 ORDER BY revision LIMIT {PageSize}", from);
            });
            foreach (var p in page)
            {
                yield return p;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            last = page[^1].Revision;
        }
    }

    public IReadOnlyList<string> DeletedSince(long revision) => database.Run(() =>
    {
        using var conn = database.Open();
        using var cmd = new NpgsqlCommand("SELECT id FROM paper_tombstones WHERE revision > $1 ORDER BY revision", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = revision });
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return (IReadOnlyList<string>)ids;
    });

    public bool Delete(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return database.Run(() =>
        {
            using var conn = database.Open();
            using var tx = conn.BeginTransaction();
            var (rev, count, storeId) = LockStore(conn, tx);
            string? key;
            using (var find = new NpgsqlCommand("DELETE FROM papers WHERE id = $1 RETURNING title_key", conn, tx))
            {
                find.Parameters.Add(new NpgsqlParameter { Value = id });
                using var r = find.ExecuteReader();
                if (!r.Read())
                {
                    return false;
                }

                key = r.IsDBNull(0) ? null : r.GetString(0);
            }

            rev++;
            using var batch = new NpgsqlBatch(conn, tx);
            if (key is not null)
            {
                batch.BatchCommands.Add(Command("UPDATE paper_titles SET ids = array_remove(ids, $2) WHERE title_key = $1", key, id));
                batch.BatchCommands.Add(Command("DELETE FROM paper_titles WHERE title_key = $1 AND cardinality(ids) = 0", key));
            }

            batch.BatchCommands.Add(Command(
                "INSERT INTO paper_tombstones (id, revision, merged_into) VALUES ($1, $2, NULL) ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, merged_into = NULL", id, rev));
            batch.BatchCommands.Add(Command("UPDATE paperbot_store SET revision = $1, papers = $2", rev, count - 1));
            batch.BatchCommands.Add(Command("SELECT pg_notify($1, $2)", Channel, Announcement(storeId, rev)));
            batch.ExecuteNonQuery();
            tx.Commit();
            Observe(rev);
            return true;
        });
    }

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top)
    {
        if (top <= 0 || to < from)
        {
            return [];
        }

        // The same order as LiteDbPaperStore's LINQ: upvotes, then the featured (else published) day, then the
        // published day (nulls last), then id (ordinal).
        return database.Run(() =>
        {
            using var conn = database.Open();
            return ReadPapers(conn, $"""
                SELECT {Columns} FROM papers
                WHERE featured_on BETWEEN $1 AND $2 OR (featured_on IS NULL AND published BETWEEN $1 AND $2)
                ORDER BY coalesce(upvotes, 0) DESC, coalesce(featured_on, published) DESC NULLS LAST, published DESC NULLS LAST, id
                LIMIT $3
                """, from, to, top);
        });
    }

    public DateOnly? NewestTrendingDate() => database.Run(() =>
    {
        using var conn = database.Open();
        using var cmd = new NpgsqlCommand("SELECT greatest((SELECT max(featured_on) FROM papers), (SELECT max(published) FROM papers WHERE featured_on IS NULL))", conn);
        var v = cmd.ExecuteScalar();
        return v is DateOnly d ? d : (DateOnly?)null;
    });

    public StoreStats Stats() => database.Run(() =>
    {
        using var conn = database.Open();
        using var tx = conn.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        var bySource = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        using (var cmd = new NpgsqlCommand("SELECT s, count(*) FROM papers, jsonb_array_elements_text(doc->'Sources') s GROUP BY s", conn, tx))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                bySource[r.GetString(0)] = bySource.GetValueOrDefault(r.GetString(0)) + r.GetInt64(1);
            }
        }

        using var stats = new NpgsqlCommand("""
            SELECT s.papers, s.revision, s.store_id,
                   (SELECT min(published) FROM papers), (SELECT max(published) FROM papers),
                   (SELECT min(featured_on) FROM papers), (SELECT max(featured_on) FROM papers)
            FROM paperbot_store s
            """, conn, tx);
        using var row = stats.ExecuteReader();
        row.Read();
        DateOnly? Date(int i) => row.IsDBNull(i) ? null : row.GetFieldValue<DateOnly>(i);
        var result = new StoreStats(row.GetInt64(0), bySource, Date(3), Date(4), Date(5), Date(6), row.GetInt64(1), row.GetString(2));
        Observe(result.Revision);
        return result;
    });

    private T Scalar<T>(string sql) => database.Run(() =>
    {
        using var conn = database.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        return (T)cmd.ExecuteScalar()!;
    });

    private static List<Paper> ReadPapers(NpgsqlConnection conn, string sql, params object[] values) => ReadPapers(conn, null, sql, values);

    private static List<Paper> ReadPapers(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, params object[] values)
    {
        using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var v in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        }

        using var r = cmd.ExecuteReader();
        var list = new List<Paper>();
        while (r.Read())
        {
            list.Add(FromRow(r.GetString(0), r.GetInt64(1)));
        }

        return list;
    }

    private static Paper FromRow(string doc, long revision)
    {
        var p = JsonSerializer.Deserialize<Paper>(doc, Json) ?? throw new InvalidDataException("a stored paper is null");
        p.Revision = revision;
        return p;
    }

    /// <summary>The planner's reads, inside the write transaction (one round trip per lookup).</summary>
    private sealed class Lookup(NpgsqlConnection conn, NpgsqlTransaction tx) : IPaperUpsertLookup
    {
        public IReadOnlyDictionary<string, (Paper Paper, string? TitleKey)> FindPapers(IReadOnlyCollection<string> ids)
        {
            var found = new Dictionary<string, (Paper Paper, string? TitleKey)>(StringComparer.Ordinal);
            if (ids.Count == 0)
            {
                return found;
            }

            using var cmd = new NpgsqlCommand("SELECT doc::text, revision, title_key FROM papers WHERE id = ANY($1)", conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var p = FromRow(r.GetString(0), r.GetInt64(1));
                found[p.Id] = (p, r.IsDBNull(2) ? null : r.GetString(2));
            }

            return found;
        }

        public IReadOnlyDictionary<string, List<string>> FindTitles(IReadOnlyCollection<string> keys)
        {
            var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (keys.Count == 0)
            {
                return found;
            }

            using var cmd = new NpgsqlCommand("SELECT title_key, ids FROM paper_titles WHERE title_key = ANY($1)", conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                found[r.GetString(0)] = [.. r.GetFieldValue<string[]>(1)];
            }

            return found;
        }
    }
}
