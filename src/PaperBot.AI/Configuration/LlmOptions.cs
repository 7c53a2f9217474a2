using System.ComponentModel.DataAnnotations;

namespace PaperBot.AI.Configuration;

/// <summary>The chat-model backend ("Llm" section). Secrets (ApiKey) come only from env vars or user-secrets.</summary>
public sealed class LlmOptions : IValidatableObject
{
    public const string SectionName = "Llm";

    /// <summary>offline (default, no network) | openai | azure-openai | ollama | openai-compatible.</summary>
    [Required(ErrorMessage = "Llm:Provider is required (offline, openai, azure-openai, ollama or openai-compatible); set PAPERBOT_Llm__Provider")]
    public string Provider { get; set; } = LlmProviders.Offline;

    /// <summary>Model name (openai, ollama, openai-compatible). For azure-openai the deployment is used instead.</summary>
    public string? Model { get; set; }

    /// <summary>Secret; set PAPERBOT_Llm__ApiKey or user-secrets. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL for openai-compatible/ollama (e.g. http://localhost:11434/v1) or a custom OpenAI endpoint.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Azure OpenAI resource endpoint, e.g. https://my-resource.openai.azure.com.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Azure OpenAI deployment name.</summary>
    public string? Deployment { get; set; }

    public string AzureApiVersion { get; set; } = "2024-10-21";

    [Range(0.0, 2.0, ErrorMessage = "Llm:Temperature must be between 0 and 2")]
    public double? Temperature { get; set; }

    [Range(1, 128_000, ErrorMessage = "Llm:MaxTokens must be between 1 and 128000")]
    public int? MaxTokens { get; set; }

    /// <summary>Per-command overrides, keyed by command: ask, summarize, compare, digest.</summary>
    public Dictionary<string, LlmCommandOptions> Commands { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Token bound of the conversation memory sent with each question.</summary>
    [Range(0, 100_000, ErrorMessage = "Llm:MemoryTokens must be between 0 and 100000")]
    public int MemoryTokens { get; set; } = 1500;

    /// <summary>Maximum papers a search returns to the model.</summary>
    [Range(1, 50, ErrorMessage = "Llm:SearchTop must be between 1 and 50")]
    public int SearchTop { get; set; } = 6;

    /// <summary>Model responses that may ask for tools in one turn; past it the turn is answered from what was retrieved.</summary>
    [Range(1, 20, ErrorMessage = "Llm:MaxToolRounds must be between 1 and 20")]
    public int MaxToolRounds { get; set; } = 4;

    public ResilienceSettings Resilience { get; set; } = new();

    public bool IsOffline => string.Equals(Provider, LlmProviders.Offline, StringComparison.OrdinalIgnoreCase);

    /// <summary>The model/temperature/max tokens for one command (override, else section defaults).</summary>
    public LlmCommandOptions For(string command)
    {
        Commands.TryGetValue(command, out var o);
        return new LlmCommandOptions
        {
            Model = o?.Model ?? Model,
            Temperature = o?.Temperature ?? Temperature,
            MaxTokens = o?.MaxTokens ?? MaxTokens,
        };
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ProviderValidation.Validate(SectionName, Provider, ApiKey, Model, BaseUrl, Endpoint, Deployment)
            .Concat(Resilience.Validate(SectionName));
}

public sealed class LlmCommandOptions
{
    public string? Model { get; set; }

    public double? Temperature { get; set; }

    public int? MaxTokens { get; set; }
}

/// <summary>Timeouts and retry limits of the named HTTP resilience pipelines ("Llm:Resilience", "Embeddings:Resilience").</summary>
public sealed class ResilienceSettings
{
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of the jittered exponential backoff (used when the server sends no Retry-After).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest Retry-After honoured; a longer one ends the retries (the offline answer is used instead).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Circuit breaker: failure ratio over the sampling window that opens it.</summary>
    public double BreakerFailureRatio { get; set; } = 0.8;

    public int BreakerMinimumThroughput { get; set; } = 6;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Checked by the owning section's validation (DataAnnotations do not descend into nested objects), with messages
    /// naming the full key, e.g. "Llm:Resilience:MaxRetries".
    /// </summary>
    public IEnumerable<ValidationResult> Validate(string section)
    {
        var p = section + ":Resilience:";
        if (MaxRetries is < 0 or > 10)
        {
            yield return new ValidationResult($"{p}MaxRetries must be between 0 and 10 (got {MaxRetries}).");
        }

        foreach (var (name, value, min, max) in new[]
                 {
                     ("BaseDelay", BaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1)),
                     ("MaxRetryAfter", MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
                     ("AttemptTimeout", AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
                     ("TotalTimeout", TotalTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
                     ("BreakerSamplingDuration", BreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
                     ("BreakerBreakDuration", BreakerBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
                 })
        {
            if (value < min || value > max)
            {
                yield return new ValidationResult($"{p}{name} must be between {min:c} and {max:c} (got {value:c}).");
            }
        }

        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult($"{p}TotalTimeout ({TotalTimeout:c}) must not be shorter than {p}AttemptTimeout ({AttemptTimeout:c}).");
        }

        if (BreakerFailureRatio is <= 0 or > 1)
        {
            yield return new ValidationResult($"{p}BreakerFailureRatio must be greater than 0 and at most 1 (got {BreakerFailureRatio}).");
        }

        if (BreakerMinimumThroughput < 2)
        {
            yield return new ValidationResult($"{p}BreakerMinimumThroughput must be at least 2 (got {BreakerMinimumThroughput}).");
        }
    }
}

public static class LlmProviders
{
    public const string Offline = "offline";
    public const string OpenAI = "openai";
    public const string AzureOpenAI = "azure-openai";
    public const string Ollama = "ollama";
    public const string OpenAICompatible = "openai-compatible";

    public static readonly IReadOnlyList<string> All = [Offline, OpenAI, AzureOpenAI, Ollama, OpenAICompatible];
}

internal static class ProviderValidation
{
    public static IEnumerable<ValidationResult> Validate(string section, string? provider, string? apiKey, string? model, string? baseUrl, string? endpoint, string? deployment, bool allowNone = false)
    {
        var p = (provider ?? "").Trim().ToLowerInvariant();
        var allowed = allowNone ? LlmProviders.All.Where(x => x != LlmProviders.Offline).Prepend("none").ToList() : LlmProviders.All.ToList();
        if (!allowed.Contains(p))
        {
            yield return new ValidationResult($"{section}:Provider '{provider}' is unknown; use one of {string.Join(", ", allowed)} (PAPERBOT_{section}__Provider)");
            yield break;
        }

        switch (p)
        {
            case LlmProviders.OpenAI:
                if (string.IsNullOrWhiteSpace(apiKey))
                {
                    yield return new ValidationResult($"{section}:ApiKey is required for provider openai; set PAPERBOT_{section}__ApiKey (or user-secrets)");
                }

                if (string.IsNullOrWhiteSpace(model))
                {
                    yield return new ValidationResult($"{section}:Model is required for provider openai; set PAPERBOT_{section}__Model");
                }

                break;
            case LlmProviders.AzureOpenAI:
                if (string.IsNullOrWhiteSpace(apiKey))
                {
                    yield return new ValidationResult($"{section}:ApiKey is required for provider azure-openai; set PAPERBOT_{section}__ApiKey (or user-secrets)");
                }

                if (!IsHttpUrl(endpoint))
                {
                    yield return new ValidationResult($"{section}:Endpoint must be an http(s) URL for provider azure-openai, e.g. https://my-resource.openai.azure.com; set PAPERBOT_{section}__Endpoint");
                }

                if (string.IsNullOrWhiteSpace(deployment))
                {
                    yield return new ValidationResult($"{section}:Deployment is required for provider azure-openai; set PAPERBOT_{section}__Deployment");
                }

                break;
            case LlmProviders.Ollama:
            case LlmProviders.OpenAICompatible:
                if (p == LlmProviders.OpenAICompatible && !IsHttpUrl(baseUrl))
                {
                    yield return new ValidationResult($"{section}:BaseUrl must be an http(s) URL for provider openai-compatible, e.g. http://localhost:8000/v1; set PAPERBOT_{section}__BaseUrl");
                }

                if (baseUrl is not null && !IsHttpUrl(baseUrl))
                {
                    yield return new ValidationResult($"{section}:BaseUrl '{baseUrl}' is not an http(s) URL; set PAPERBOT_{section}__BaseUrl");
                }

                if (string.IsNullOrWhiteSpace(model))
                {
                    yield return new ValidationResult($"{section}:Model is required for provider {p}; set PAPERBOT_{section}__Model");
                }

                break;
        }
    }

    private static bool IsHttpUrl(string? s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
