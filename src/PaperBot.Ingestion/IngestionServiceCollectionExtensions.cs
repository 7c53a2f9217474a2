using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaperBot.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Registers parsers, the sample corpus loader, the ingestor and the live fetchers. Needs AddPaperBotStorage.</summary>
    public static IServiceCollection AddPaperBotIngestion(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SampleCorpusLoader>();
        return services;
    }
}
