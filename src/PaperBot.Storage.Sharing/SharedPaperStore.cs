using PaperBot.Core.Papers;

namespace PaperBot.Storage.Sharing;

/// <summary><see cref="IPaperStore"/> for a process that may or may not own the database: see <see cref="DatabaseRouter"/>.</summary>
public sealed class SharedPaperStore(DatabaseRouter router) : IPaperStore
{
    /// <summary>Papers per upsert call over the socket (and at most about 16 MB of JSON).</summary>
    private const int RemoteBatch = 2000;
    private const long RemoteBatchChars = 16L * 1024 * 1024;
    private const int RemotePage = 2000;

    private LiteDbPaperStore Local => router.LocalStore;

    public UpsertResult Upsert(IEnumerable<Paper> papers) => Upsert(papers, MergeMode.Merge);

    public UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode) => Upsert(papers, mode, null);

    /// <summary>Only an upsert this process stores itself reports its changes (the owner indexes what reaches it over the socket).</summary>
    public UpsertResult Upsert(IEnumerable<Paper> papers, MergeMode mode, Action<PaperChanges>? committed)
    {
        ArgumentNullException.ThrowIfNull(papers);
        var list = papers as IReadOnlyList<Paper> ?? papers.ToList();
        return router.Run(() => Local.Upsert(list, mode, committed), remote =>
        {
            var total = default(UpsertResult);
            foreach (var chunk in ChunkBySize(list))
            {
                total += remote.Call<UpsertResult>("upsert", new UpsertArgs(chunk, mode));
            }

            return total;
        });
    }

    private static IEnumerable<List<Paper>> ChunkBySize(IReadOnlyList<Paper> papers)
    {
        var chunk = new List<Paper>();
        long chars = 0;
        foreach (var p in papers)
        {
            var size = p.Title.Length + p.Abstract.Length + (p.AiSummary?.Length ?? 0) + 512;
            if (chunk.Count > 0 && (chunk.Count >= RemoteBatch || chars + size > RemoteBatchChars))
            {
                yield return chunk;
                chunk = [];
                chars = 0;
            }

            chunk.Add(p);
            chars += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    public Paper? Get(string id) => router.Run(() => Local.Get(id), r => r.Call<Paper?>("get", new IdArgs(id)));

    public IReadOnlyList<Paper> GetMany(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return router.Run(() => Local.GetMany(list), r => r.Call<List<Paper>>("getMany", new IdsArgs(list)));
    }

    public int Count() => router.Run(Local.Count, r => r.Call<StoreInfo>("info").Count);

    public IEnumerable<Paper> All()
    {
        string? after = null;
        while (true)
        {
            var from = after;
            var page = router.Run(() => Local.Page(from, RemotePage), r => r.Call<List<Paper>>("page", new PageArgs(from, RemotePage)));
            foreach (var p in page)
            {
                yield return p;
            }

            if (page.Count < RemotePage)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    public IEnumerable<Paper> ChangedSince(long revision)
    {
        var since = revision;
        while (true)
        {
            var from = since;
            var page = router.Run(() => Local.ChangedSince(from).Take(RemotePage).ToList(), r => r.Call<List<Paper>>("changed", new ChangedArgs(from, RemotePage)));
            foreach (var p in page)
            {
                yield return p;
            }

            if (page.Count < RemotePage)
            {
                yield break;
            }

            since = page[^1].Revision;
        }
    }

    public IReadOnlyList<string> DeletedSince(long revision) =>
        router.Run(() => Local.DeletedSince(revision), r => r.Call<List<string>>("deleted", new SinceArgs(revision)));

    public long CurrentRevision => router.Run(() => Local.CurrentRevision, r => r.Call<StoreInfo>("info").Revision);

    public string StoreId => router.Run(() => Local.StoreId, r => r.Call<StoreInfo>("info").StoreId);

    public bool Delete(string id) => router.Run(() => Local.Delete(id), r => r.Call<bool>("delete", new IdArgs(id)));

    public IReadOnlyList<Paper> Trending(DateOnly from, DateOnly to, int top) =>
        router.Run(() => Local.Trending(from, to, top), r => r.Call<List<Paper>>("trending", new TrendingArgs(from, to, top)));

    public DateOnly? NewestTrendingDate() => router.Run(Local.NewestTrendingDate, r => r.Call<DateOnly?>("newest"));

    public StoreStats Stats() => router.Run(Local.Stats, r => r.Call<StoreStats>("stats"));

    /// <summary>A consistent snapshot to <paramref name="path"/>, taken by whichever process owns the database. Returns the papers in it.</summary>
    public long Backup(string path) => router.Run(() => Local.Backup(path), remote =>
    {
        var target = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                remote.Backup(fs);
                fs.Flush(flushToDisk: true);
            }

            long papers;
            using (var check = new LiteDbContext(temp, readOnly: true))
            {
                papers = new LiteDbPaperStore(check).Count();
            }

            File.Move(temp, target, overwrite: true);
            return papers;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    });
}
