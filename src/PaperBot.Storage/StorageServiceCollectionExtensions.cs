using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;

namespace PaperBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the LiteDB paper store (<see cref="IPaperStore"/>) and the open generic <see cref="IRecordStore{T}"/>,
    /// all on one shared <see cref="LiteDbContext"/> (one file, opened on first use). Config section "Storage".
    /// </summary>
    public static IServiceCollection AddPaperBotStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.ToLimits());
        services.AddSingleton<LiteDbContext>();
        services.AddSingleton(sp => new LiteDbPaperStore(sp.GetRequiredService<LiteDbContext>(), sp.GetRequiredService<PaperLimits>()));
        services.AddSingleton<IPaperStore>(sp => sp.GetRequiredService<LiteDbPaperStore>());
        services.AddSingleton(typeof(IRecordStore<>), typeof(LiteDbRecordStore<>));
        return services;
    }
}
