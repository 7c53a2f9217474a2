using System.ComponentModel.DataAnnotations;
using PaperBot.AI.Embeddings.Local;

namespace PaperBot.AI.Configuration;

/// <summary>
/// The embedding backend ("Embeddings" section). Provider "local" (default) runs all-MiniLM-L6-v2 on the CPU, offline;
/// "none" keeps search lexical only; the remote providers are as for Llm.
/// </summary>
public sealed class EmbeddingsOptions : IValidatableObject
{
    public const string SectionName = "Embeddings";

    public const string LocalProvider = "local";

    /// <summary>local (default) | none | openai | azure-openai | ollama | openai-compatible.</summary>
    public string Provider { get; set; } = LocalProvider;

    /// <summary>The model; for local only all-MiniLM-L6-v2 (the default) is available.</summary>
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

    /// <summary>Papers per embedding call (one request for remote providers; a progress step).</summary>
    [Range(1, 2048, ErrorMessage = "Embeddings:BatchSize must be between 1 and 2048")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Local provider: tokens per text ([CLS]/[SEP] included); longer abstracts are cut.</summary>
    [Range(16, MiniLmModel.MaxPositions, ErrorMessage = "Embeddings:MaxTokens must be between 16 and 512 (default 256)")]
    public int MaxTokens { get; set; } = MiniLmModel.DefaultMaxTokens;

    /// <summary>Local provider: ONNX Runtime threads per embedding call; 0 = one per core.</summary>
    [Range(0, 256, ErrorMessage = "Embeddings:Threads must be between 0 (one per core) and 256")]
    public int Threads { get; set; }

    /// <summary>
    /// Local provider: also embed and store each paper's abstract sentences when it is embedded (the offline answerer's
    /// sentence evidence then needs no model run at question time). Unset = on for the local provider; it needs the
    /// local model (a remote provider would be charged per sentence). Costs about one model run per sentence at backfill.
    /// </summary>
    public bool? SentenceVectors { get; set; }

    /// <summary>True when sentence vectors are embedded at backfill (<see cref="SentenceVectors"/>, local provider).</summary>
    public bool StoresSentenceVectors => Enabled && IsLocal && SentenceVectors != false;

    /// <summary>
    /// Vectors from which searches use the approximate (inverted-file) index instead of the exhaustive scan; 0 = never
    /// (the default: on the benchmark's vectors its recall needs a large share of the lists scanned, see README).
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Embeddings:AnnMinVectors must be 0 (off) or a vector count such as 200000")]
    public int AnnMinVectors { get; set; }

    /// <summary>Share of the approximate index's lists each search scans (0.01-1; more = higher recall, slower).</summary>
    [Range(0.01, 1.0, ErrorMessage = "Embeddings:AnnProbeFraction must be between 0.01 and 1 (default 0.5)")]
    public double AnnProbeFraction { get; set; } = 0.5;

    /// <summary>How often the running bot embeds newly ingested papers.</summary>
    public TimeSpan BackfillInterval { get; set; } = TimeSpan.FromMinutes(10);

    public ResilienceSettings Resilience { get; set; } = new();

    public bool Enabled => !string.Equals(Provider?.Trim(), "none", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(Provider);

    public bool IsLocal => string.Equals(Provider?.Trim(), LocalProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>The model that is used (the local default filled in; the deployment for Azure).</summary>
    public string EffectiveModel => IsLocal
        ? (string.IsNullOrWhiteSpace(Model) ? MiniLmModel.Name : Model.Trim())
        : (string.Equals(Provider?.Trim(), LlmProviders.AzureOpenAI, StringComparison.OrdinalIgnoreCase) ? Deployment : Model)?.Trim() ?? "";

    /// <summary>
    /// Identifies the vector space: provider, model and requested dimensions. Stored with every vector; a vector with
    /// another key is never searched and is re-embedded, so two models are never mixed in one search.
    /// </summary>
    public string ModelKey => $"{Provider.Trim().ToLowerInvariant()}/{EffectiveModel}/{(IsLocal ? MiniLmModel.Dimensions : Dimensions)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        (!Enabled ? []
            : IsLocal ? ValidateLocal()
            : ValidateRemoteSentences().Concat(ProviderValidation.Validate(SectionName, Provider, ApiKey, Model, BaseUrl, Endpoint, Deployment, allowNone: true)
                .Select(r => r.ErrorMessage?.Contains("is unknown", StringComparison.Ordinal) == true
                    ? new ValidationResult($"{SectionName}:Provider '{Provider}' is unknown; use one of local, none, openai, azure-openai, ollama, openai-compatible (PAPERBOT_{SectionName}__Provider)")
                    : r)))
        .Concat(Resilience.Validate(SectionName));

    private IEnumerable<ValidationResult> ValidateRemoteSentences()
    {
        if (SentenceVectors == true)
        {
            yield return new ValidationResult($"{SectionName}:SentenceVectors needs the local provider (a remote provider would be charged per sentence); unset it or set {SectionName}:Provider=local");
        }
    }

    private IEnumerable<ValidationResult> ValidateLocal()
    {
        if (!string.Equals(EffectiveModel, MiniLmModel.Name, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{SectionName}:Model '{Model}' is not available locally; the local provider runs {MiniLmModel.Name} (leave {SectionName}:Model unset, or use a remote provider)");
        }

        if (Dimensions is { } d && d != MiniLmModel.Dimensions)
        {
            yield return new ValidationResult($"{SectionName}:Dimensions must be unset or {MiniLmModel.Dimensions} for the local provider ({MiniLmModel.Name} has {MiniLmModel.Dimensions})");
        }
    }
}
