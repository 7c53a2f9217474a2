using System.ComponentModel.DataAnnotations;

namespace PaperBot.AI.Configuration;

/// <summary>The embedding backend ("Embeddings" section). Provider "none" (default) keeps search lexical only.</summary>
public sealed class EmbeddingsOptions : IValidatableObject
{
    public const string SectionName = "Embeddings";

    /// <summary>none (default) | openai | azure-openai | ollama | openai-compatible.</summary>
    public string Provider { get; set; } = "none";

    public string? Model { get; set; }

    /// <summary>Secret; set PAPERBOT_Embeddings__ApiKey or user-secrets. Never logged.</summary>
    public string? ApiKey { get; set; }

    public string? BaseUrl { get; set; }

    public string? Endpoint { get; set; }

    public string? Deployment { get; set; }

    public string AzureApiVersion { get; set; } = "2024-10-21";

    /// <summary>Requested vector size (providers that support it); null = model default.</summary>
    [Range(8, 8192, ErrorMessage = "Embeddings:Dimensions must be between 8 and 8192")]
    public int? Dimensions { get; set; }

    /// <summary>Store vectors as int8 (4× smaller; see README.md, "Testing and benchmarks" for the measured recall).</summary>
    public bool Quantize { get; set; } = true;

    [Range(1, 2048, ErrorMessage = "Embeddings:BatchSize must be between 1 and 2048")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Reciprocal-rank-fusion constant k.</summary>
    [Range(1, 1000, ErrorMessage = "Embeddings:RrfK must be between 1 and 1000")]
    public int RrfK { get; set; } = 60;

    /// <summary>How often the running bot embeds newly ingested papers.</summary>
    public TimeSpan BackfillInterval { get; set; } = TimeSpan.FromMinutes(10);

    public ResilienceSettings Resilience { get; set; } = new();

    public bool Enabled => !string.Equals(Provider, "none", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(Provider);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        (Enabled
            ? ProviderValidation.Validate(SectionName, Provider, ApiKey, Model, BaseUrl, Endpoint, Deployment, allowNone: true)
            : []).Concat(Resilience.Validate(SectionName));
}
