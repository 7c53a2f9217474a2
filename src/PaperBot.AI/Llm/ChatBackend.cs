using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Azure.AI.OpenAI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.AzureOpenAI;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using PaperBot.AI.Configuration;

namespace PaperBot.AI.Llm;

/// <summary>
/// The SK chat-completion services for the configured provider, one per model (per-command overrides): SK's OpenAI
/// connector for openai / ollama / openai-compatible, SK's Azure OpenAI connector for azure-openai. The transport is
/// the named HttpClient (its resilience pipeline "llm" inside) and the SDKs' own retries are off.
/// </summary>
public sealed class ChatBackend
{
    public const string HttpClientName = "paperbot-llm";

    private readonly LlmOptions _options;
    private readonly Lazy<OpenAIClient>? _client;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ConcurrentDictionary<string, IChatCompletionService> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _rejectsTemperature = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _rejectsMaxTokens = new(StringComparer.Ordinal);

    public ChatBackend(IOptions<LlmOptions> options, IHttpClientFactory httpClientFactory, ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory;
        if (!_options.IsOffline)
        {
            var o = _options;
            _client = new Lazy<OpenAIClient>(() => IsAzure
                ? CreateAzure(o, httpClientFactory.CreateClient(HttpClientName))
                : OpenAIClientFactory.Create(o.Provider, o.ApiKey, o.BaseUrl, o.Endpoint, o.Deployment, httpClientFactory.CreateClient(HttpClientName), o.Resilience.TotalTimeout + TimeSpan.FromSeconds(5)));
        }
    }

    public bool IsOffline => _client is null;

    public string Provider => _options.Provider;

    /// <summary>
    /// The chat service and execution settings for a command ("ask", "summarize", "compare", "digest"): the prompt
    /// YAML's execution settings (all of them, not only temperature), overridden by Llm:* / Llm:Commands:* keys.
    /// temperature and max_tokens are sent only when one of them sets a value, and never to a model that rejected them.
    /// </summary>
    public (IChatCompletionService Service, OpenAIPromptExecutionSettings Settings) For(string command, PromptExecutionSettings? promptDefaults = null)
    {
        if (_client is null)
        {
            throw new InvalidOperationException("the LLM provider is 'offline'");
        }

        var c = _options.For(command);
        var model = IsAzure ? _options.Deployment! : c.Model ?? throw new InvalidOperationException($"Llm:Model is not set (command {command})");
        var service = _services.GetOrAdd(model, m => IsAzure
            ? new AzureOpenAIChatCompletionService(m, (AzureOpenAIClient)_client.Value, modelId: null, loggerFactory: _loggerFactory)
            : new OpenAIChatCompletionService(m, _client.Value, _loggerFactory));
        var settings = promptDefaults is null
            ? new OpenAIPromptExecutionSettings()
            : OpenAIPromptExecutionSettings.FromExecutionSettings(promptDefaults);
        settings = (OpenAIPromptExecutionSettings)settings.Clone();
        settings.ModelId = model;
        settings.ServiceId = null;
        settings.Temperature = c.Temperature ?? settings.Temperature;
        settings.MaxTokens = c.MaxTokens ?? settings.MaxTokens;
        if (_rejectsTemperature.ContainsKey(model))
        {
            settings.Temperature = null;
        }

        if (_rejectsMaxTokens.ContainsKey(model))
        {
            settings.MaxTokens = null;
        }

        return (service, settings);
    }

    /// <summary>The service already built for a model by <see cref="For"/>, or null.</summary>
    public IChatCompletionService? Service(string model) => _services.GetValueOrDefault(model);

    /// <summary>
    /// Reasoning models (o-series, some gpt-5 deployments) answer 400 for temperature or max_tokens. Remembers that
    /// for the model and returns true when the request is worth repeating without the parameter.
    /// </summary>
    public bool LearnRejectedParameter(string model, Exception error)
    {
        var message = LlmErrors.BadRequestMessage(error);
        if (message is null)
        {
            return false;
        }

        if (message.Contains("temperature", StringComparison.OrdinalIgnoreCase))
        {
            return _rejectsTemperature.TryAdd(model, 0);
        }

        if (message.Contains("max_tokens", StringComparison.OrdinalIgnoreCase))
        {
            return _rejectsMaxTokens.TryAdd(model, 0);
        }

        return false;
    }

    private bool IsAzure => string.Equals(_options.Provider, LlmProviders.AzureOpenAI, StringComparison.OrdinalIgnoreCase);

    /// <summary>SK's Azure connector over the Azure OpenAI SDK (deployment URLs, api-version, api-key header).</summary>
    private static AzureOpenAIClient CreateAzure(LlmOptions o, HttpClient http)
    {
        var options = Enum.TryParse<AzureOpenAIClientOptions.ServiceVersion>("V" + o.AzureApiVersion.Replace('-', '_').Replace("_preview", "_Preview", StringComparison.OrdinalIgnoreCase), out var version)
            ? new AzureOpenAIClientOptions(version)
            : throw new InvalidOperationException($"Llm:AzureApiVersion '{o.AzureApiVersion}' is not supported by the Azure OpenAI SDK; use e.g. 2024-10-21");
        options.Transport = new HttpClientPipelineTransport(http);
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        options.NetworkTimeout = o.Resilience.TotalTimeout + TimeSpan.FromSeconds(5);
        options.UserAgentApplicationId = "paperbot";
        return new AzureOpenAIClient(new Uri(o.Endpoint!), new ApiKeyCredential(o.ApiKey!), options);
    }
}

/// <summary>Reads what an LLM call failure says (status and message), whichever layer raised it.</summary>
public static class LlmErrors
{
    /// <summary>The error message of a 400 response, or null when the failure is something else.</summary>
    public static string? BadRequestMessage(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpOperationException { StatusCode: System.Net.HttpStatusCode.BadRequest } h:
                    return (h.ResponseContent ?? "") + " " + h.Message;
                case ClientResultException { Status: 400 } c:
                    return c.Message + " " + (c.GetRawResponse()?.Content?.ToString() ?? "");
            }
        }

        return null;
    }

    /// <summary>True for OpenAI's "context_length_exceeded" (and the wording other servers use for it).</summary>
    public static bool IsContextLength(Exception error) =>
        BadRequestMessage(error) is { } m &&
        (m.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase) ||
         m.Contains("maximum context length", StringComparison.OrdinalIgnoreCase) ||
         m.Contains("context window", StringComparison.OrdinalIgnoreCase) ||
         m.Contains("too many tokens", StringComparison.OrdinalIgnoreCase));
}
