namespace PaperBot.Core.Http;

/// <summary>
/// The values one named HTTP resilience pipeline is built from. Each module maps its own option keys onto it
/// (Ingestion:*, Llm:Resilience:*, Embeddings:Resilience:*), so the keys stay where operators know them.
/// </summary>
public sealed record HttpPipelineSettings
{
    /// <summary>The configuration prefix named in messages, e.g. "Ingestion" or "Llm:Resilience".</summary>
    public required string ConfigPrefix { get; init; }

    public int MaxRetries { get; init; }

    public TimeSpan BaseDelay { get; init; }

    /// <summary>Cap of the jittered exponential backoff (a Retry-After is not capped by it).</summary>
    public TimeSpan MaxDelay { get; init; }

    /// <summary>A longer Retry-After ends the retries and the response is surfaced.</summary>
    public TimeSpan MaxRetryAfter { get; init; }

    public TimeSpan AttemptTimeout { get; init; }

    public TimeSpan TotalTimeout { get; init; }

    public double BreakerFailureRatio { get; init; }

    public int BreakerMinimumThroughput { get; init; }

    public TimeSpan BreakerSamplingDuration { get; init; }

    public TimeSpan BreakerBreakDuration { get; init; }

    /// <summary>
    /// False for the LLM: a refused connection (or an unknown host) means the server is down, so the caller falls back
    /// at once instead of waiting through the backoff.
    /// </summary>
    public bool RetryRefusedConnections { get; init; } = true;
}
