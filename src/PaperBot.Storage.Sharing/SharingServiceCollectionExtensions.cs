using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;

namespace PaperBot.Storage.Sharing;

public static class SharingServiceCollectionExtensions
{
    /// <summary>
    /// Lets several paperbot processes use one database at once (see <see cref="DatabaseRouter"/>): replaces
    /// <see cref="IPaperStore"/>, <see cref="IRecordStore{T}"/>, <see cref="ISearchService"/> and
    /// <see cref="ISearchIndexMaintenance"/> with versions that work on the file in the process that owns it and go
    /// through its socket in the others. Call after AddPaperBotStorage and AddPaperBotSearch.
    /// </summary>
    public static IServiceCollection AddPaperBotStorageSharing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LiteDbRawRecords>();
        services.TryAddSingleton(typeof(LiteDbRecordStore<>));

        // The owner's index reads the file itself, not through the router.
        services.Replace(ServiceDescriptor.Singleton(sp => new LuceneSearchService(
            sp.GetRequiredService<LiteDbPaperStore>(),
            sp.GetRequiredService<IOptions<SearchOptions>>(),
            sp.GetService<ILogger<LuceneSearchService>>())));
        services.TryAddSingleton<DatabaseRouter>();
        services.Replace(ServiceDescriptor.Singleton<SharedPaperStore, SharedPaperStore>());
        services.Replace(ServiceDescriptor.Singleton<IPaperStore>(sp => sp.GetRequiredService<SharedPaperStore>()));
        services.Replace(ServiceDescriptor.Singleton(typeof(IRecordStore<>), typeof(SharedRecordStore<>)));
        services.TryAddSingleton<SharedSearchService>();
        services.Replace(ServiceDescriptor.Singleton<ISearchService>(sp => sp.GetRequiredService<SharedSearchService>()));
        services.Replace(ServiceDescriptor.Singleton<ISearchIndexMaintenance>(sp => sp.GetRequiredService<SharedSearchService>()));
        return services;
    }
}
