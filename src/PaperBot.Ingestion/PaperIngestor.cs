using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PaperBot.Core.Papers;
using PaperBot.Ingestion.Fetching;
using PaperBot.Ingestion.Parsing;

namespace PaperBot.Ingestion;

/// <summary>What happened to one input (file or URL).</summary>
public sealed class IngestFileReport
{
    public required string Source { get; init; }

    public IngestFormat Format { get; set; }

    public int Parsed { get; set; }

    public UpsertResult Counts { get; set; }

    public List<IngestIssue> Issues { get; } = [];
}

/// <summary>The whole run: one report per input plus totals.</summary>
public sealed class IngestReport
{
    public List<IngestFileReport> Files { get; } = [];

    public UpsertResult Totals => Files.Aggregate(default(UpsertResult), (a, f) => a + f.Counts);

    public int ErrorCount => Files.Sum(f => f.Issues.Count);
}

/// <summary>Progress after each stored batch: which input, how many of its papers are stored so far, and of how many.</summary>
public readonly record struct IngestProgress(string Source, int FileIndex, int FileCount, int Done, int Total);

/// <summary>
/// Ingests files, directories (recursively) and http(s) URLs: detects each input's format by content, parses it, and
/// upserts the papers in batches. Bad records are reported with file and position and skipped; an unreadable input is
/// reported and the next one goes on.
/// </summary>
public sealed class PaperIngestor
{
    public const int BatchSize = 1000;
    private readonly IPaperStore _store;
    private readonly ResilientHttpFetcher _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PaperIngestor(IPaperStore store, ResilientHttpFetcher http, TimeProvider time, ILogger<PaperIngestor>? logger = null)
    {
        _store = store;
        _http = http;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<IngestReport> IngestAsync(IReadOnlyList<string> inputs, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var report = new IngestReport();
        var expanded = new List<string>();
        foreach (var input in inputs)
        {
            if (IsUrl(input) || !Directory.Exists(input))
            {
                expanded.Add(input);
                continue;
            }

            var files = Directory.EnumerateFiles(input, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                var empty = new IngestFileReport { Source = input };
                empty.Issues.Add(new IngestIssue(input, "", "directory has no files"));
                report.Files.Add(empty);
            }

            expanded.AddRange(files);
        }

        for (var i = 0; i < expanded.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = expanded[i];
            var file = new IngestFileReport { Source = source };
            report.Files.Add(file);
            string content;
            try
            {
                content = IsUrl(source)
                    ? await _http.GetStringAsync(new Uri(source), cancellationToken).ConfigureAwait(false)
                    : await File.ReadAllTextAsync(source, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FetchException or UriFormatException)
            {
                var reason = ex switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "file not found",
                    _ => ex.Message,
                };
                file.Issues.Add(new IngestIssue(source, "", reason));
                continue;
            }

            var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            var parsed = PaperParsers.Parse(content, source, today);
            file.Format = parsed.Format;
            file.Parsed = parsed.Papers.Count;
            file.Issues.AddRange(parsed.Issues);
            var done = 0;
            progress?.Report(new IngestProgress(source, i, expanded.Count, 0, parsed.Papers.Count));
            foreach (var chunk in parsed.Papers.Chunk(BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                file.Counts += _store.Upsert(chunk);
                done += chunk.Length;
                progress?.Report(new IngestProgress(source, i, expanded.Count, done, parsed.Papers.Count));
            }

            _logger.LogInformation(
                "{Source}: {Format}, {Added} added, {Updated} updated, {Unchanged} unchanged, {Errors} errors",
                source, parsed.Format, file.Counts.Added, file.Counts.Updated, file.Counts.Unchanged, file.Issues.Count);
        }

        return report;
    }

    private static bool IsUrl(string s) =>
        s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
