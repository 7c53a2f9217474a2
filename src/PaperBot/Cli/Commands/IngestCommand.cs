using System.Text.Json;
using PaperBot.Hosting;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`ingest &lt;file|dir|url&gt;...`: detect, parse and merge papers into the store; counts on stdout, errors on stderr.</summary>
public sealed class IngestCommand(CliConsole console, PaperIngestor ingestor) : ICliCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public string Name => "ingest";

    public string Summary => "Ingest papers from files, directories or URLs (HF page text, HF daily_papers JSON, arXiv Atom, JSONL).";

    public string Usage => "ingest <file|dir|url>... [--replace] [--json] [--no-progress]";

    /// <summary>
    /// The exit-code rule: 0 when every readable input was stored (bad records are reported on stderr, counted in
    /// "errors" and skipped); 1 when no input could be read at all, or the database failed (corrupt, locked,
    /// read-only, full disk): what was stored before is kept and printed; 130 on Ctrl+C, after printing what was stored.
    /// </summary>
    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "no-progress", "replace");
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException($"nothing to ingest\nusage: paperbot {Usage}");
        }

        var json = args.Has("json");
        var showProgress = console.IsInteractive && !json && !args.Has("no-progress");
        var bar = showProgress ? new ProgressBar(console.Error) : null;
        var request = new IngestRequest(args.Positionals.ToList()) { Mode = args.Has("replace") ? MergeMode.Replace : MergeMode.Merge };
        var report = await ingestor.IngestAsync(request, bar, cancellationToken);
        bar?.Finish();

        foreach (var file in report.Files)
        {
            foreach (var issue in file.Issues)
            {
                await console.Error.WriteLineAsync($"error: {issue}");
            }
        }

        var totals = report.Totals;
        if (json)
        {
            var summary = new
            {
                added = totals.Added,
                updated = totals.Updated,
                skipped = totals.Unchanged,
                errors = report.ErrorCount,
                files = report.Files.Select(f => new
                {
                    source = f.Source,
                    format = f.Format.ToString(),
                    parsed = f.Parsed,
                    added = f.Counts.Added,
                    updated = f.Counts.Updated,
                    skipped = f.Counts.Unchanged,
                    errors = f.Issues.Select(i => new { position = i.Position, message = i.Message }),
                }),
                cancelled = report.Cancelled,
                storeError = report.StoreError?.Message,
                indexSeconds = report.IndexTime?.TotalSeconds,
            };
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(summary, JsonOptions));
        }
        else
        {
            var width = Math.Clamp(report.Files.Max(f => f.Source.Length), 6, 60);
            await console.Out.WriteLineAsync($"{"source".PadRight(width)}  {"format",-17} {"added",7} {"updated",7} {"skipped",7} {"errors",6}");
            foreach (var f in report.Files)
            {
                await console.Out.WriteLineAsync($"{Shorten(f.Source, width).PadRight(width)}  {f.Format,-17} {f.Counts.Added,7} {f.Counts.Updated,7} {f.Counts.Unchanged,7} {f.Issues.Count,6}");
            }

            if (report.Files.Count > 1)
            {
                await console.Out.WriteLineAsync($"{"total".PadRight(width)}  {"",-17} {totals.Added,7} {totals.Updated,7} {totals.Unchanged,7} {report.ErrorCount,6}");
            }
        }

        if (report.StoreError is { } storeError)
        {
            await console.Error.WriteLineAsync($"error: {storeError.Message}");
            await console.Error.WriteLineAsync($"stopped: {totals.Added + totals.Updated} papers were stored before the error and are kept.");
            return 1;
        }

        if (report.Cancelled)
        {
            await console.Error.WriteLineAsync($"cancelled: {totals.Added} added and {totals.Updated} updated papers were stored (every batch before Ctrl+C); run the same ingest again to finish.");
            return 130;
        }

        // Exit 1 when nothing at all could be read; partial success (some bad records) still exits 0.
        var anyRead = report.Files.Any(f => f.Parsed > 0);
        return report.ErrorCount > 0 && !anyRead ? 1 : 0;
    }

    private static string Shorten(string s, int width) => s.Length <= width ? s : "…" + s[^(width - 1)..];

    /// <summary>A one-line progress bar on stderr, redrawn in place (interactive terminals only).</summary>
    private sealed class ProgressBar(TextWriter err) : IProgress<IngestProgress>
    {
        private const int Width = 30;
        private bool _drawn;

        public void Report(IngestProgress p)
        {
            var fraction = p.BytesTotal == 0 ? 1.0 : Math.Clamp((double)p.BytesRead / p.BytesTotal, 0, 1);
            var filled = (int)Math.Round(fraction * Width);
            var name = Path.GetFileName(p.Source.TrimEnd('/'));
            if (name.Length > 30)
            {
                name = "…" + name[^29..];
            }

            err.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] file {p.FileIndex + 1}/{p.FileCount} {p.Done:N0} papers {name}".PadRight(100));
            _drawn = true;
        }

        public void Finish()
        {
            if (_drawn)
            {
                err.Write('\r' + new string(' ', 100) + '\r');
            }
        }
    }
}
