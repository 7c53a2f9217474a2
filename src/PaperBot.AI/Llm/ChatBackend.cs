using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using PaperBot.AI.Configuration;

namespace PaperBot.AI.Llm;

/// <summary>The SK chat-completion services for the configured provider, one per model (per-command overrides).</summary>
public sealed class ChatBackend
{
    public const string HttpClientName = "paperbot-llm";

    private readonly LlmOptions _options;
    private readonly Lazy<OpenAIClient>? _client;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ConcurrentDictionary<string, IChatCompletionService> _services = new(StringComparer.Ordinal);

    public ChatBackend(IOptions<LlmOptions> options, IHttpClientFactory httpClientFactory, ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory;
        if (!_options.IsOffline)
        {
            var o = _options;
            _client = new Lazy<OpenAIClient>(() => OpenAIClientFactory.Create(
                o.Provider, o.ApiKey, o.BaseUrl, o.Endpoint, o.Deployment, httpClientFactory.CreateClient(HttpClientName), o.Resilience.TotalTimeout + TimeSpan.FromSeconds(5)));
        }
    }

    public bool IsOffline => _client is null;

    public string Provider => _options.Provider;

    /// <summary>The chat service and execution settings for a command ("ask", "summarize", "compare", "digest").</summary>
    public (IChatCompletionService Service, OpenAIPromptExecutionSettings Settings) For(string command, PromptExecutionSettings? promptDefaults = null)
    {
        if (_client is null)
        {
            throw new InvalidOperationException("the LLM provider is 'offline'");
        }

        var c = _options.For(command);
        var model = IsAzure ? _options.Deployment! : c.Model ?? throw new InvalidOperationException($"Llm:Model is not set (command {command})");
        var service = _services.GetOrAdd(model, m => new OpenAIChatCompletionService(m, _client.Value, _loggerFactory));
        var settings = new OpenAIPromptExecutionSettings
        {
            ModelId = model,
            Temperature = c.Temperature ?? Number(promptDefaults, "temperature"),
            MaxTokens = c.MaxTokens ?? (int?)Number(promptDefaults, "max_tokens"),
        };
        return (service, settings);
    }

    private bool IsAzure => string.Equals(_options.Provider, LlmProviders.AzureOpenAI, StringComparison.OrdinalIgnoreCase);

    private static double? Number(PromptExecutionSettings? s, string key) =>
        s?.ExtensionData?.TryGetValue(key, out var v) == true &&
        double.TryParse(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d
            : null;
}
