using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI;
using PaperBot.Bot;
using PaperBot.Discord.Redis;
using PaperBot.Core.Search;
using PaperBot.Ingestion;
using PaperBot.Interactions;
using PaperBot.Storage;
using PaperBot.Storage.Postgres;
using PaperBot.Storage.Sharing;
using PaperBot.Telemetry;

namespace PaperBot.Hosting;

/// <summary>Every feature module registers itself here through its own AddXxx extension (one line each).</summary>
public static class ModuleRegistration
{
    public static IServiceCollection AddPaperBotModules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPaperBotTelemetry(); // first: its endpoint starts before the gateway
        services.AddPaperBotStorage();
        services.AddPaperBotIngestion();
        services.AddPaperBotSearch();
        services.AddPaperBotAI();
        services.AddPaperBotBot();
        services.AddPaperBotInteractionsEndpoint();
        services.AddDiscordRedisLimits();
        if (StorageOptions.UsesPostgres(configuration))
        {
            // Storage:Provider=postgres: the shared server replaces the LiteDB file (and the file sharing between processes).
            services.AddPaperBotPostgresStorage(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString ?? "");
        }
        else
        {
            services.AddPaperBotStorageSharing();
        }

        services.AddSingleton<PaperBot.Operations.DataOperations>();
        services.AddRunStatus();
        return services;
    }
}
