using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using PaperBot.Storage.Sharing;
using PaperBot.Testing;

namespace PaperBot.Storage.Tests.Sharing;

/// <summary>
/// Two "processes" on one database file (two service providers: the lock file is per open file, so the second one
/// finds it locked exactly as another process would), talking over the real Unix socket.
/// </summary>
public sealed class SharedDatabaseTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServiceProvider Open(string db, string waitForOwner = "00:00:30", IDenseRetriever? dense = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = db,
            ["Storage:ShareAfter"] = "00:00:00",
            ["Storage:WaitForOwner"] = waitForOwner,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddPaperBotStorage();
        if (dense is not null)
        {
            services.AddSingleton(dense);
        }

        services.AddPaperBotSearch();
        services.AddPaperBotStorageSharing();
        return services.BuildServiceProvider();
    }

    private static Paper P(int i, string title) => new() { Id = $"2501.{i:D5}", ArxivId = $"2501.{i:D5}", Title = title, Abstract = $"{title} abstract about retrieval number {i}.", Sources = ["jsonl"] };

    [Fact]
    public void A_second_process_works_through_the_owner_and_takes_over_when_it_exits()
    {
        var db = _dir.File("shared.db");
        var owner = Open(db);
        var ownerStore = owner.GetRequiredService<IPaperStore>();
        ownerStore.Upsert(Enumerable.Range(0, 10).Select(i => P(i, $"Owner paper {i}")));
        var ownerRouter = owner.GetRequiredService<DatabaseRouter>();
        Assert.True(ownerRouter.IsOwner);
        Assert.True(ownerRouter.WaitUntilShared(Deadline));
        Assert.True(File.Exists(ownerRouter.SocketPath));

        using var client = Open(db);
        var clientStore = client.GetRequiredService<IPaperStore>();
        var clientRouter = client.GetRequiredService<DatabaseRouter>();
        Assert.Equal(10, clientStore.Count());
        Assert.False(clientRouter.IsOwner);

        // Writes from the client land in the owner's store and its search index at once.
        Assert.Equal(5, clientStore.Upsert(Enumerable.Range(100, 5).Select(i => P(i, $"Zeppelin aerodynamics {i}"))).Added);
        var hits = owner.GetRequiredService<ISearchService>().Search(new SearchQuery("zeppelin aerodynamics") { Top = 10 });
        Assert.Equal(5, hits.Count);
        Assert.Equal(5, client.GetRequiredService<ISearchService>().Search(new SearchQuery("zeppelin") { Top = 10 }).Count);
        Assert.Equal("Zeppelin aerodynamics 102", ownerStore.Get("2501.00102")!.Title);
        Assert.Equal(15, clientStore.All().Count());
        Assert.Equal(ownerStore.CurrentRevision, clientStore.CurrentRevision);
        Assert.Equal(ownerStore.StoreId, clientStore.StoreId);
        Assert.Equal(15, clientStore.Stats().Papers);
        Assert.True(clientStore.Delete("2501.00000"));
        Assert.Null(ownerStore.Get("2501.00000"));

        // Records: the exactly-once claim holds across processes.
        var claimsA = client.GetRequiredService<IRecordStore<Claim>>();
        var claimsB = owner.GetRequiredService<IRecordStore<Claim>>();
        Assert.True(claimsA.TryInsert("guild:1:2026-01-01", new Claim("client")));
        Assert.False(claimsB.TryInsert("guild:1:2026-01-01", new Claim("owner")));
        Assert.Equal("client", claimsB.Get("guild:1:2026-01-01")!.By);
        Assert.Single(claimsA.All());

        // A backup taken through the owner opens and has everything.
        var backup = _dir.File("backup.db");
        Assert.Equal(14, client.GetRequiredService<SharedPaperStore>().Backup(backup));

        // The owner exits: the client's next call takes the file over, with everything still there.
        owner.Dispose();
        Assert.Equal(15, clientStore.Upsert([P(200, "After the owner left")]).Added + 14);
        Assert.True(clientRouter.IsOwner);
        Assert.Equal(15, clientStore.Count());
        Assert.Single(client.GetRequiredService<ISearchService>().Search(new SearchQuery("left") { Top = 5 }));
        Assert.Equal("client", client.GetRequiredService<IRecordStore<Claim>>().Get("guild:1:2026-01-01")!.By);
    }

    [Fact]
    public async Task Concurrent_writers_through_one_owner_lose_nothing()
    {
        var db = _dir.File("writers.db");
        using var owner = Open(db);
        owner.GetRequiredService<IPaperStore>().Upsert([P(0, "Seed")]);
        Assert.True(owner.GetRequiredService<DatabaseRouter>().WaitUntilShared(Deadline));
        using var a = Open(db);
        using var b = Open(db);
        var tasks = new[] { (a, 1000), (b, 2000), (owner, 3000) }.Select(x => Task.Run(() =>
        {
            var store = x.Item1.GetRequiredService<IPaperStore>();
            for (var batch = 0; batch < 10; batch++)
            {
                store.Upsert(Enumerable.Range(x.Item2 + batch * 50, 50).Select(i => P(i, $"Paper {i}")));
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(Deadline);
        var all = owner.GetRequiredService<IPaperStore>();
        Assert.Equal(1501, all.Count());
        Assert.Equal(1501, all.All().Select(p => p.Id).Distinct().Count());
        owner.GetRequiredService<ISearchIndexMaintenance>().Synchronize();
        Assert.True(owner.GetRequiredService<ISearchIndexMaintenance>().Describe().IsCurrent);
    }

    [Fact]
    public void A_lock_that_is_never_shared_fails_after_the_wait_with_a_clear_message()
    {
        var db = _dir.File("held.db");
        using (var ctx = new LiteDbContext(db))
        {
            new LiteDbPaperStore(ctx).Upsert([P(1, "Kept")]);
        }

        using var holder = new FileStream(db + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        using var sp = Open(db, waitForOwner: "00:00:00.300");
        var ex = Assert.Throws<PaperStoreException>(() => sp.GetRequiredService<IPaperStore>().Count());
        Assert.Equal(StoreErrorKind.Locked, ex.Kind);
        Assert.Contains("did not share it", ex.Message);
        Assert.Contains("Storage:WaitForOwner", ex.Message);
    }

    [Fact]
    public void A_client_search_is_the_owners_hybrid_search()
    {
        // The owner has vectors; the client has none of its own. The client's search must still be hybrid: a paper
        // that shares no word with the query is found by its embedding in the owner.
        var db = _dir.File("hybrid.db");
        using var owner = Open(db, dense: new OneHotDense(60, query: "airship", nearest: "2501.00007"));
        owner.GetRequiredService<IPaperStore>().Upsert(Enumerable.Range(0, 60).Select(i => P(i, $"Zeppelin aerodynamics {i}")));
        Assert.True(owner.GetRequiredService<DatabaseRouter>().WaitUntilShared(Deadline));

        using var client = Open(db);
        var search = client.GetRequiredService<ISearchService>();
        Assert.False(client.GetRequiredService<DatabaseRouter>().IsOwner);
        Assert.Equal(SearchMode.Hybrid, search.ResolveMode(SearchMode.Auto));
        var hits = search.Search(new SearchQuery("airship") { Top = 3 });
        Assert.Equal("2501.00007", hits[0].Paper.Id);
        Assert.NotNull(hits[0].Relevance);
        Assert.Empty(search.Search(new SearchQuery("airship") { Top = 3, Mode = SearchMode.Lexical }));
    }

    /// <summary>Paper i has the unit vector e_i; the one query text embeds to the vector of <c>nearest</c>.</summary>
    private sealed class OneHotDense(int papers, string query, string nearest) : IDenseRetriever
    {
        private static int Index(string id) => int.Parse(id[5..], System.Globalization.CultureInfo.InvariantCulture);

        public bool IsAvailable => true;

        public string ModelKey => "test/one-hot/" + papers;

        public int Count => papers;

        public Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken)
        {
            var v = new float[papers];
            if (text == query)
            {
                v[Index(nearest)] = 1f;
            }

            return Task.FromResult(v);
        }

        public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> q, int top)
        {
            var hits = new List<DenseHit>();
            for (var i = 0; i < papers; i++)
            {
                hits.Add(new DenseHit($"2501.{i:D5}", q[i]));
            }

            return hits.OrderByDescending(h => h.Cosine).ThenBy(h => h.Id, StringComparer.Ordinal).Take(top).ToList();
        }

        public float? Cosine(ReadOnlySpan<float> q, string id) => q[Index(id)];

        public float[]? VectorOf(string id)
        {
            var v = new float[papers];
            v[Index(id)] = 1f;
            return v;
        }
    }

    private sealed record Claim(string By);
}
