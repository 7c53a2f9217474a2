using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Ingestion;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.AI.Tests.Support;

/// <summary>The real stack: LiteDB store + Lucene search + the bundled sample corpus, with the AI module on top.</summary>
public sealed class SampleCorpusHost : IDisposable
{
    private readonly TempDir _dir;

    private SampleCorpusHost(ServiceProvider services, TempDir dir)
    {
        Services = services;
        _dir = dir;
    }

    public ServiceProvider Services { get; }

    public IPaperAssistant Assistant => Services.GetRequiredService<IPaperAssistant>();

    public IPaperStore Store => Services.GetRequiredService<IPaperStore>();

    public static async Task<SampleCorpusHost> StartAsync(IDictionary<string, string?>? config = null)
    {
        var dir = new TempDir();
        var values = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = dir.File("paperbot.db"),
            ["Search:IndexPath"] = SearchOptions.InMemory,
        };
        foreach (var kv in config ?? new Dictionary<string, string?>())
        {
            values[kv.Key] = kv.Value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton(TimeProvider.System);
        services.AddPaperBotStorage();
        services.AddPaperBotSearch();
        services.AddPaperBotAI();
        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await sp.GetRequiredService<Microsoft.Extensions.Options.IAsyncStartupValidator>().ValidateAsync();
        var loaded = await new SampleCorpusLoader(sp.GetRequiredService<IPaperStore>(), TimeProvider.System).EnsureSampleLoadedAsync();
        if (loaded is null || sp.GetRequiredService<IPaperStore>().Count() < 100)
        {
            throw new InvalidOperationException("the sample corpus did not load");
        }

        return new SampleCorpusHost(sp, dir);
    }

    public void Dispose()
    {
        Services.Dispose();
        _dir.Dispose();
    }
}
