using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;

namespace PaperBot.Core.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISearchService"/> (<see cref="HybridSearchService"/>: Lucene BM25 kept in step with the
    /// IPaperStore, fused with an <see cref="IDenseRetriever"/> when one with vectors is registered; the AI module
    /// registers it) and binds <see cref="SearchOptions"/> from the "Search" section; Search:IndexPath defaults to
    /// "&lt;Storage:DatabasePath&gt;.index" (in memory with Storage:Provider=postgres). The process's
    /// <see cref="PaperBot.Core.Papers.PaperChangeSignal"/> is registered here for the providers that raise it.
    /// </summary>
    public static IServiceCollection AddPaperBotSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.SectionName)
            .PostConfigure<IConfiguration>((o, config) =>
            {
                if (string.IsNullOrWhiteSpace(o.IndexPath))
                {
                    // On a shared PostgreSQL store every process keeps its own index: in memory unless one is named
                    // per process (two processes must never share one index directory).
                    o.IndexPath = string.Equals(config[SearchOptions.ProviderKey]?.Trim(), "postgres", StringComparison.OrdinalIgnoreCase)
                        ? SearchOptions.InMemory
                        : SearchOptions.DefaultIndexPathFor(config[SearchOptions.DatabasePathKey]);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<PaperBot.Core.Papers.PaperChangeSignal>();
        services.TryAddSingleton<LuceneSearchService>();
        services.TryAddSingleton<IDenseRetriever, NoDenseRetriever>();
        services.TryAddSingleton<HybridSearchService>();
        services.TryAddSingleton<ISearchService>(sp => sp.GetRequiredService<HybridSearchService>());
        services.TryAddSingleton<ISearchIndexMaintenance>(sp => sp.GetRequiredService<LuceneSearchService>());
        return services;
    }
}
