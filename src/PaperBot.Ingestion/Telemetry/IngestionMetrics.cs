using System.Diagnostics.Metrics;
using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Telemetry;

/// <summary>The ingestor's instruments on the "PaperBot" meter: papers stored, by outcome (rate() of it is papers/s).</summary>
public sealed class IngestionMetrics(IMeterFactory meters)
{
    public const string MeterName = "PaperBot";

    private readonly Counter<long> _papers = meters.Create(MeterName)
        .CreateCounter<long>("paperbot.ingest.papers", "{paper}", "Papers written by ingest, by outcome (added, updated, unchanged)");

    public void Stored(UpsertResult r)
    {
        _papers.Add(r.Added, new KeyValuePair<string, object?>("outcome", "added"));
        _papers.Add(r.Updated, new KeyValuePair<string, object?>("outcome", "updated"));
        _papers.Add(r.Unchanged, new KeyValuePair<string, object?>("outcome", "unchanged"));
    }
}
