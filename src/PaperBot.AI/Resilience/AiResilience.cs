using PaperBot.AI.Configuration;
using PaperBot.Core.Http;

namespace PaperBot.AI.Resilience;

/// <summary>
/// The LLM and embedding HttpClients' named resilience pipelines ("llm", "embeddings") on
/// Microsoft.Extensions.Http.Resilience (see <see cref="HttpResilience"/>), configured from Llm:Resilience:* and
/// Embeddings:Resilience:*. They run inside the HttpClient the OpenAI SDK uses (its own retries are disabled), so
/// this is the only retry. A refused connection is not retried: the server is down and the offline answer is used at once.
/// </summary>
public static class AiResilience
{
    public const string LlmPipeline = "llm";
    public const string EmbeddingsPipeline = "embeddings";

    public static HttpPipelineSettings Settings(ResilienceSettings s, string section) => new()
    {
        ConfigPrefix = section + ":Resilience",
        MaxRetries = s.MaxRetries,
        BaseDelay = s.BaseDelay,
        MaxDelay = s.MaxRetryAfter,
        MaxRetryAfter = s.MaxRetryAfter,
        AttemptTimeout = s.AttemptTimeout,
        TotalTimeout = s.TotalTimeout,
        BreakerFailureRatio = s.BreakerFailureRatio,
        BreakerMinimumThroughput = Math.Max(2, s.BreakerMinimumThroughput),
        BreakerSamplingDuration = AtLeastHalfSecond(s.BreakerSamplingDuration),
        BreakerBreakDuration = AtLeastHalfSecond(s.BreakerBreakDuration),
        RetryRefusedConnections = false,
    };

    private static TimeSpan AtLeastHalfSecond(TimeSpan t) => t < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : t;
}

/// <summary>
/// Azure OpenAI wire format over the OpenAI SDK: the SDK posts to {endpoint}/openai/deployments/{d}/chat/completions;
/// this handler adds ?api-version=… and sends the key as the "api-key" header instead of a bearer token.
/// </summary>
public sealed class AzureOpenAIHandler(string? apiVersion) : DelegatingHandler
{
    /// <summary>Null api version = not Azure: requests pass through unchanged.</summary>
    public static AzureOpenAIHandler For(string provider, string apiVersion) =>
        new(string.Equals(provider, Configuration.LlmProviders.AzureOpenAI, StringComparison.OrdinalIgnoreCase) ? apiVersion : null);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (apiVersion is null)
        {
            return base.SendAsync(request, cancellationToken);
        }

        if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } key })
        {
            request.Headers.Authorization = null;
            request.Headers.Remove("api-key");
            request.Headers.TryAddWithoutValidation("api-key", key);
        }

        var uri = request.RequestUri!;
        if (!uri.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            var sep = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
            request.RequestUri = new Uri(uri + sep + "api-version=" + Uri.EscapeDataString(apiVersion));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
