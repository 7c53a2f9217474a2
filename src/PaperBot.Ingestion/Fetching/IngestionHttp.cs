using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Core.Http;

namespace PaperBot.Ingestion.Fetching;

/// <summary>
/// The ingestion HttpClients and their named resilience pipelines (Microsoft.Extensions.Http.Resilience, see
/// <see cref="PaperBot.Core.Http.HttpResilience"/>): one client and one pipeline per source, Hugging Face and arXiv,
/// so one source's open circuit breaker does not stop the other. Both read the Ingestion:* keys.
/// </summary>
public static class IngestionHttp
{
    public const string HfClient = "paperbot-hf";
    public const string ArxivClient = "paperbot-arxiv";
    public const string HfPipeline = "hf";
    public const string ArxivPipeline = "arxiv";

    public static IServiceCollection AddIngestionHttpClients(this IServiceCollection services)
    {
        Add(services, HfClient, HfPipeline);
        Add(services, ArxivClient, ArxivPipeline);
        return services;
    }

    private static void Add(IServiceCollection services, string client, string pipeline) =>
        services.AddHttpClient(client, (sp, c) => HttpResilience.ConfigureClient(c, Options(sp).UserAgent))
            .AddPaperBotResilience(pipeline, sp => Settings(Options(sp)));

    private static IngestionOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<IngestionOptions>>().Value;

    public static HttpPipelineSettings Settings(IngestionOptions o) => new()
    {
        ConfigPrefix = IngestionOptions.SectionName,
        MaxRetries = o.MaxRetries,
        BaseDelay = o.RetryBaseDelay,
        MaxDelay = o.RetryMaxDelay,
        MaxRetryAfter = o.MaxRetryAfter,
        AttemptTimeout = o.AttemptTimeout,
        TotalTimeout = o.TotalTimeout,
        BreakerFailureRatio = o.BreakerFailureRatio,
        BreakerMinimumThroughput = o.BreakerMinimumThroughput,
        BreakerSamplingDuration = o.BreakerSamplingDuration,
        BreakerBreakDuration = o.BreakerBreakDuration,
    };
}
