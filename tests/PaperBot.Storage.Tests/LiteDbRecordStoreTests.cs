using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Storage.Tests;

public sealed record Budget(string Guild, int Tokens, DateOnly Day, DateTimeOffset At, List<string> Tags);

public sealed class LiteDbRecordStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Put_get_delete_all_round_trip_records()
    {
        using var ctx = new LiteDbContext(_dir.File("r.db"));
        var store = new LiteDbRecordStore<Budget>(ctx);
        var b = new Budget("g1", 100, new DateOnly(2026, 8, 20), new DateTimeOffset(2026, 8, 20, 10, 0, 0, TimeSpan.FromHours(2)), ["a"]);
        store.Put("g1", b);
        var got = store.Get("g1")!;
        Assert.Equal((b.Guild, b.Tokens, b.Day, b.At, "a"), (got.Guild, got.Tokens, got.Day, got.At, got.Tags.Single()));
        store.Put("g1", b with { Tokens = 5 });
        Assert.Equal(5, store.Get("g1")!.Tokens);
        Assert.Single(store.All());
        Assert.True(store.Delete("g1"));
        Assert.False(store.Delete("g1"));
        Assert.Null(store.Get("g1"));
    }

    [Fact]
    public async Task TryInsert_succeeds_exactly_once_under_concurrency()
    {
        using var ctx = new LiteDbContext(_dir.File("r.db"));
        var store = new LiteDbRecordStore<Budget>(ctx);
        var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait();
            return store.TryInsert("digest:2026-08-20", new Budget("g", i, default, default, []));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);
        Assert.Equal(1, results.Count(r => r));
        Assert.False(store.TryInsert("digest:2026-08-20", new Budget("g", 99, default, default, [])));
        Assert.NotEqual(99, store.Get("digest:2026-08-20")!.Tokens);
    }

    [Fact]
    public void DI_shares_one_file_between_paper_and_record_stores()
    {
        var path = Path.Combine(_dir.Path, "sub", "shared.db");
        var config = new ConfigurationBuilder().AddInMemoryCollection([new("Storage:DatabasePath", path)]).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddPaperBotStorage().BuildServiceProvider();
        using (services)
        {
            services.GetRequiredService<IPaperStore>().Upsert([new Paper { Title = "Shared" }]);
            services.GetRequiredService<IRecordStore<Budget>>().Put("k", new Budget("g", 1, default, default, []));
            Assert.Same(services.GetRequiredService<LiteDbContext>(), services.GetRequiredService<LiteDbContext>());
        }

        using var ctx = new LiteDbContext(path);
        Assert.Equal(1, new LiteDbPaperStore(ctx).Count());
        Assert.Equal(1, new LiteDbRecordStore<Budget>(ctx).Get("k")!.Tokens);
        Assert.Contains(LiteDbRecordStore<Budget>.CollectionName, ctx.Database.GetCollectionNames());
    }

    [Fact]
    public void Missing_database_path_fails_validation_with_a_helpful_message()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([new("Storage:DatabasePath", "")]).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddPaperBotStorage().BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("Storage:DatabasePath", ex.Message);
        Assert.Contains("--db", ex.Message);
    }
}
