using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using PaperBot.AI.Configuration;

namespace PaperBot.AI.Llm;

/// <summary>
/// Builds the OpenAI SDK client for a provider: its transport is our HttpClient (which runs the named resilience pipeline)
/// and its own retries are off, so that pipeline is the only retry.
/// </summary>
public static class OpenAIClientFactory
{
    public const string OllamaDefaultUrl = "http://localhost:11434/v1";

    public static OpenAIClient Create(string provider, string? apiKey, string? baseUrl, string? endpoint, string? deployment, HttpClient httpClient, TimeSpan networkTimeout)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = EndpointFor(provider, baseUrl, endpoint, deployment),
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = networkTimeout,
            UserAgentApplicationId = "paperbot",
        };

        // Ollama and many openai-compatible servers ignore the key, but the SDK requires a non-empty one.
        var key = string.IsNullOrWhiteSpace(apiKey) ? "no-key" : apiKey;
        return new OpenAIClient(new ApiKeyCredential(key), options);
    }

    public static Uri EndpointFor(string provider, string? baseUrl, string? endpoint, string? deployment) =>
        provider.Trim().ToLowerInvariant() switch
        {
            LlmProviders.AzureOpenAI => new Uri(endpoint!.TrimEnd('/') + "/openai/deployments/" + Uri.EscapeDataString(deployment!)),
            LlmProviders.Ollama => new Uri((baseUrl ?? OllamaDefaultUrl).TrimEnd('/')),
            LlmProviders.OpenAICompatible => new Uri(baseUrl!.TrimEnd('/')),
            _ => new Uri((baseUrl ?? "https://api.openai.com/v1").TrimEnd('/')),
        };
}
