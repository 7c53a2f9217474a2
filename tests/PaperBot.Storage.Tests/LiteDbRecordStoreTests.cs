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
