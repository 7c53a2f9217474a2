using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Ingestion.Fetching;
using PaperBot.Ingestion.Parsing;
using PaperBot.Ingestion.Telemetry;

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

    /// <summary>Ctrl+C stopped the run at a batch boundary: <see cref="Totals"/> is what was stored.</summary>
    public bool Cancelled { get; set; }

    /// <summary>The database failed (corrupt, read-only, full disk…): the run stopped; <see cref="Totals"/> is what was stored before.</summary>
    public PaperStoreException? StoreError { get; set; }

    /// <summary>How long the search index took to catch up after the last write (null when it was not updated).</summary>
    public TimeSpan? IndexTime { get; set; }
}

/// <summary>
/// Progress after each stored batch: which input, how many of its papers are stored so far, and the bytes read of
/// the input's length (0 when unknown).
/// </summary>
public readonly record struct IngestProgress(string Source, int FileIndex, int FileCount, int Done, long BytesRead, long BytesTotal);

/// <summary>How to ingest.</summary>
public sealed record IngestRequest(IReadOnlyList<string> Inputs)
{
    /// <summary><see cref="MergeMode.Replace"/>: corrected fields in the input win (`ingest --replace`).</summary>
    public MergeMode Mode { get; init; } = MergeMode.Merge;

    /// <summary>Bring the search index up to date at the end of the run (so the first search needs no rebuild).</summary>
    public bool UpdateIndex { get; init; } = true;
}

/// <summary>
/// Ingests files, directories (recursively) and http(s) URLs: detects each input's format by content, parses it, and
/// upserts the papers in batches. JSONL is streamed (memory stays flat whatever the file size); other formats are API
/// pages, read whole up to <see cref="IngestionOptions.MaxDocumentBytes"/>. A bad or oversized record is reported with
/// file and position and skipped; an unreadable input is reported and the next one goes on. A database failure stops
/// the run (reported in <see cref="IngestReport.StoreError"/>, never as a record error), and Ctrl+C stops it at the
/// next batch; in both cases what was stored is in the report. At the end, the search index is brought up to date.
/// </summary>
public sealed class PaperIngestor
{
    private readonly IPaperStore _store;
    private readonly ResilientHttpFetcher _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PaperLimits _limits;
    private readonly ISearchIndexMaintenance? _index;
    private readonly IngestionOptions _options;
    private readonly IngestionMetrics? _metrics;

    public PaperIngestor(
        IPaperStore store,
        ResilientHttpFetcher http,
        TimeProvider time,
        ILogger<PaperIngestor>? logger = null,
        PaperLimits? limits = null,
        ISearchIndexMaintenance? index = null,
        IOptions<IngestionOptions>? options = null,
        IngestionMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store;
        _http = http;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _limits = limits ?? PaperLimits.Default;
        _index = index;
        _options = options?.Value ?? new IngestionOptions();
    }

    public Task<IngestReport> IngestAsync(IReadOnlyList<string> inputs, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default) =>
        IngestAsync(new IngestRequest(inputs), progress, cancellationToken);

    public async Task<IngestReport> IngestAsync(IngestRequest request, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = new IngestReport();
        var expanded = Expand(request.Inputs, report);
        var wrote = false;
        using var indexer = request.UpdateIndex && _index is not null ? new IndexFeed(_index, _logger) : null;
        for (var i = 0; i < expanded.Count && !report.Cancelled && report.StoreError is null; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                report.Cancelled = true;
                break;
            }

            var source = expanded[i];
            var file = new IngestFileReport { Source = source };
            report.Files.Add(file);
            var run = new FileRun(this, request.Mode, file, report, progress, i, expanded.Count, indexer, cancellationToken);
            try
            {
                if (IsUrl(source))
                {
                    var content = await _http.GetStringAsync(new Uri(source), cancellationToken).ConfigureAwait(false);
                    run.Document(content, content.Length);
                }
                else
                {
                    await using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
                    run.Stream(stream);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                report.Cancelled = true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FetchException or UriFormatException or DecoderFallbackException)
            {
                file.Issues.Add(new IngestIssue(source, "", ex switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "file not found",
                    UnauthorizedAccessException => "permission denied",
                    _ => ex.Message,
                }));
            }
            catch (PaperStoreException ex)
            {
                report.StoreError = ex;
            }

            wrote |= file.Counts.Added + file.Counts.Updated > 0;
            _logger.LogInformation(
                "{Source}: {Format}, {Added} added, {Updated} updated, {Unchanged} unchanged, {Errors} errors",
                source, file.Format, file.Counts.Added, file.Counts.Updated, file.Counts.Unchanged, file.Issues.Count);
        }

        // The index was fed each stored batch as it went (on its own thread); wait for the last one.
        var indexStarted = _time.GetTimestamp();
        indexer?.Complete();
        if (request.UpdateIndex && wrote && report.StoreError is null && _index is not null)
        {
            // Commit what was fed (and catch up on anything it could not take), so the first search needs no rebuild.
            _index.Synchronize();
            report.IndexTime = _time.GetElapsedTime(indexStarted);
        }

        return report;
    }

    private static List<string> Expand(IReadOnlyList<string> inputs, IngestReport report)
    {
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

        return expanded;
    }

    private static bool IsUrl(string s) =>
        s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>One input: parsing, limits, batching and progress.</summary>
    private sealed class FileRun(
        PaperIngestor owner,
        MergeMode mode,
        IngestFileReport file,
        IngestReport report,
        IProgress<IngestProgress>? progress,
        int index,
        int count,
        IndexFeed? indexer,
        CancellationToken cancellationToken)
    {
        private readonly List<(Paper Paper, string Position)> _batch = new(owner._options.BatchSize);
        private long _bytesTotal;
        private long _bytesRead;
        private int _done;

        public void Stream(FileStream stream)
        {
            _bytesTotal = stream.Length;
            var head = new byte[(int)Math.Min(64 * 1024, Math.Max(0, stream.Length))];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            var headText = Encoding.UTF8.GetString(head, 0, n);
            var format = PaperParsers.Detect(headText, file.Source);
            if (format == IngestFormat.Jsonl)
            {
                file.Format = format;
                foreach (var rec in JsonlPaperFormat.Read(stream, file.Source, owner._options.MaxRecordBytes))
                {
                    _bytesRead = rec.BytesRead;
                    if (rec.Issue is not null)
                    {
                        file.Issues.Add(rec.Issue);
                    }
                    else
                    {
                        Add(rec.Paper!, rec.Position);
                    }

                    if (report.Cancelled)
                    {
                        return;
                    }
                }

                Flush();
                return;
            }

            if (stream.Length > owner._options.MaxDocumentBytes)
            {
                file.Format = format;
                file.Issues.Add(new IngestIssue(file.Source, "", $"file is {stream.Length / (1024 * 1024):N0} MB, over the {owner._options.MaxDocumentBytes / (1024 * 1024):N0} MB read whole for {format} files (Ingestion:MaxDocumentBytes); convert it to JSONL, which streams"));
                return;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            Document(reader.ReadToEnd(), stream.Length);
        }

        public void Document(string content, long length)
        {
            _bytesTotal = length;
            var today = DateOnly.FromDateTime(owner._time.GetUtcNow().UtcDateTime);
            var parsed = PaperParsers.Parse(content, file.Source, today);
            file.Format = parsed.Format;
            file.Issues.AddRange(parsed.Issues);
            for (var i = 0; i < parsed.Papers.Count && !report.Cancelled; i++)
            {
                Add(parsed.Papers[i], $"record {i + 1}");
            }

            _bytesRead = length;
            Flush();
        }

        private void Add(Paper paper, string position)
        {
            file.Parsed++;
            _batch.Add((paper, position));
            if (_batch.Count >= owner._options.BatchSize)
            {
                Flush();
            }
        }

        private void Flush()
        {
            if (_batch.Count == 0 || report.Cancelled)
            {
                return;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: this batch is not written; every batch before it is stored and counted.
                report.Cancelled = true;
                return;
            }

            var ok = new List<Paper>(_batch.Count);
            foreach (var (paper, position) in _batch)
            {
                // The parsed record is this run's own object: normalised in place (the store clones what it keeps).
                var p = PaperMerger.Normalize(paper);
                var reason = owner._limits.Check(p) ?? (p.Title.Length == 0 && PaperId.IsTitleId(p.Id) ? "record has neither a title nor an arXiv id" : null);
                if (reason is null)
                {
                    ok.Add(p);
                }
                else
                {
                    file.Issues.Add(new IngestIssue(file.Source, position, $"{reason}; skipped"));
                }
            }

            _batch.Clear();
            if (ok.Count > 0)
            {
                var stored = Store(ok);
                owner._metrics?.Stored(stored);
                file.Counts += stored;
            }

            _done += ok.Count;
            progress?.Report(new IngestProgress(file.Source, index, count, _done, _bytesRead, _bytesTotal));
        }

        private UpsertResult Store(List<Paper> papers)
        {
            try
            {
                if (indexer is null)
                {
                    return owner._store.Upsert(papers, mode);
                }

                // The store reports each committed transaction's changes; the index thread takes them from here.
                var changes = new List<PaperChanges>();
                var stored = owner._store.Upsert(papers, mode, changes.Add);
                indexer.Post(changes);
                return stored;
            }
            catch (PaperRecordException ex) when (papers.Count > 1)
            {
                // The store refused one record the limits did not catch: store the rest one by one, report that one.
                var total = default(UpsertResult);
                foreach (var p in papers)
                {
                    try
                    {
                        total += owner._store.Upsert([p], mode);
                    }
                    catch (PaperRecordException one)
                    {
                        file.Issues.Add(new IngestIssue(file.Source, $"id {p.Id}", $"{one.Message}; skipped"));
                    }
                }

                owner._logger.LogDebug("batch refused ({Error}); stored record by record", ex.Message);
                return total;
            }
            catch (PaperRecordException ex)
            {
                file.Issues.Add(new IngestIssue(file.Source, $"id {papers[0].Id}", $"{ex.Message}; skipped"));
                return default;
            }
        }
    }

    /// <summary>
    /// Feeds the search index the changes of each stored batch on a thread of its own, so analysing batch N overlaps
    /// storing batch N+1 (and nothing is read back from the store). Bounded: the store waits when the index is two
    /// batches behind. Anything it cannot take (a failure, a batch stored without its changes) is left to the
    /// index's catch-up from the store's change feed at the end of the run.
    /// </summary>
    private sealed class IndexFeed : IDisposable
    {
        private readonly System.Collections.Concurrent.BlockingCollection<PaperChanges> _queue = new(boundedCapacity: 2);
        private readonly ISearchIndexMaintenance _index;
        private readonly ILogger _logger;
        private readonly Thread _thread;
        private volatile bool _failed;

        public IndexFeed(ISearchIndexMaintenance index, ILogger logger)
        {
            _index = index;
            _logger = logger;
            _thread = new Thread(Run) { IsBackground = true, Name = "ingest-index" };
            _thread.Start();
        }

        /// <summary>Queues the changes of one stored batch (waits while the index is two batches behind).</summary>
        public void Post(IEnumerable<PaperChanges> changes)
        {
            foreach (var c in changes)
            {
                if (!_failed && !_queue.IsAddingCompleted)
                {
                    _queue.Add(c);
                }
            }
        }

        /// <summary>No more batches: returns when the index has taken every queued one.</summary>
        public void Complete()
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            _thread.Join();
        }

        private void Run()
        {
            foreach (var changes in _queue.GetConsumingEnumerable())
            {
                if (_failed)
                {
                    continue;
                }

                try
                {
                    _index.Apply(changes);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The store has the papers; the index catches up from it (or reports the error) at the end.
                    _failed = true;
                    _logger.LogWarning("Indexing during ingest stopped ({Error}); the index catches up from the database at the end", ex.Message);
                }
            }
        }

        public void Dispose()
        {
            Complete();
            _queue.Dispose();
        }
    }
}
