using System.ComponentModel.DataAnnotations;

namespace PaperBot.Ingestion.Fetching;

/// <summary>The "Ingestion" config section: where the live fetchers go and how hard they retry.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    [Required(ErrorMessage = "Ingestion:HfBaseUrl is not set: set it to the Hugging Face base URL, e.g. https://huggingface.co.")]
    [Url(ErrorMessage = "Ingestion:HfBaseUrl must be an absolute http(s) URL such as https://huggingface.co.")]
    public string HfBaseUrl { get; set; } = "https://huggingface.co";

    [Required(ErrorMessage = "Ingestion:ArxivBaseUrl is not set: set it to the arXiv API base URL, e.g. https://export.arxiv.org.")]
    [Url(ErrorMessage = "Ingestion:ArxivBaseUrl must be an absolute http(s) URL such as https://export.arxiv.org.")]
    public string ArxivBaseUrl { get; set; } = "https://export.arxiv.org";

    /// <summary>Sent with every request (arXiv asks API clients to identify themselves).</summary>
    [Required(ErrorMessage = "Ingestion:UserAgent must not be empty.")]
    public string UserAgent { get; set; } = "PaperBot/1.0 (research-paper Discord bot)";

    [Range(0, 10, ErrorMessage = "Ingestion:MaxRetries must be between 0 and 10.")]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Ingestion:RetryBaseDelay must be between 00:00:00 and 00:05:00.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Ingestion:RetryMaxDelay must be between 00:00:00 and 00:10:00.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A server asking (Retry-After) to wait longer than this is not retried: the error says when to come back.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Ingestion:MaxRetryAfter must be between 00:00:00 and 01:00:00.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Ingestion:AttemptTimeout must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Ingestion:TotalTimeout must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Circuit breaker: opens when at least this share of calls failed in the sampling window…</summary>
    [Range(0.01, 1.0, ErrorMessage = "Ingestion:BreakerFailureRatio must be between 0.01 and 1.")]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>…and at least this many calls were made in it.</summary>
    [Range(2, 1000, ErrorMessage = "Ingestion:BreakerMinimumThroughput must be between 2 and 1000.")]
    public int BreakerMinimumThroughput { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = "Ingestion:BreakerSamplingDuration must be between 00:00:00.500 and 01:00:00.")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = "Ingestion:BreakerBreakDuration must be between 00:00:00.500 and 01:00:00.")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest JSONL record (one line) read; a longer one is skipped unread and reported with its line.</summary>
    [Range(1024, 1024 * 1024 * 1024, ErrorMessage = "Ingestion:MaxRecordBytes must be between 1024 and 1073741824.")]
    public int MaxRecordBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Largest file read whole (HF JSON, arXiv Atom, HF page text: API pages of kilobytes). JSONL streams and has no
    /// size limit. A larger file is reported and skipped; convert it to JSONL.
    /// </summary>
    [Range(1024L, 4L * 1024 * 1024 * 1024, ErrorMessage = "Ingestion:MaxDocumentBytes must be between 1024 and 4294967296.")]
    public long MaxDocumentBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Papers per store write (one transaction and one durable sync point each). Up to four batches are in memory at
    /// once (being parsed, stored, queued for and analysed by the index); 2,500 kept a 1M-paper ingest under 500 MB
    /// (5,000: 541 MB) at the same rate.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Ingestion:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 2_500;
}
