using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaperBot.Ingestion.Fetching;
using PaperBot.Ingestion.Telemetry;

namespace PaperBot.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sample corpus loader, the ingestor, the live fetchers (HF daily papers, arXiv) with their named
    /// HttpClients and resilience pipelines (hf, arxiv), and the "Ingestion" options. Needs AddPaperBotStorage for the store.
    /// </summary>
    public static IServiceCollection AddPaperBotIngestion(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IngestionOptions>()
            .BindConfiguration(IngestionOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => IsHttpUrl(o.HfBaseUrl) && IsHttpUrl(o.ArxivBaseUrl), "Ingestion:HfBaseUrl and Ingestion:ArxivBaseUrl must be absolute http(s) URLs.")
            .ValidateOnStart();
        services.AddIngestionHttpClients();
        services.AddSingleton<ResilientHttpFetcher>();
        services.AddSingleton<HfDailyPapersFetcher>();
        services.AddSingleton<ArxivFetcher>();
        services.AddSingleton<SampleCorpusLoader>();
        services.AddMetrics();
        services.TryAddSingleton<IngestionMetrics>();
        services.AddSingleton<PaperIngestor>();
        return services;
    }

    private static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
