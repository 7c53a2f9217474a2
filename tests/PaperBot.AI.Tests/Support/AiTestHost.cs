using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;

namespace PaperBot.AI.Tests.Support;

/// <summary>Builds the AI module the way the host does (AddPaperBotAI + configuration), over in-memory Core doubles.</summary>
public static class AiTestHost
{
    public static readonly DateTimeOffset Now = new(2024, 1, 6, 12, 0, 0, TimeSpan.Zero);

    public static ServiceProvider Build(IDictionary<string, string?>? config = null, IEnumerable<Paper>? papers = null, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // Real time unless a test needs to move the clock (Polly delays and timeouts run on this clock too).
        services.AddSingleton(time ?? TimeProvider.System);
        var store = new InMemoryPaperStore(papers ?? TestPapers.All);
        services.AddSingleton<IPaperStore>(store);
        services.AddSingleton<ISearchService>(new TermOverlapSearch(store));
        services.AddSingleton(typeof(IRecordStore<>), typeof(InMemoryRecordStore<>));
        services.AddPaperBotAI();
        configure?.Invoke(services);
        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        sp.GetRequiredService<IAsyncStartupValidator>().ValidateAsync().GetAwaiter().GetResult();
        return sp;
    }
}
