using System.Text.Json;
using PaperBot.Core.Papers;
using PaperBot.Core.Progress;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`ingest &lt;file|dir|url&gt;...`: detect, parse and merge papers into the store; counts on stdout, errors on stderr.</summary>
public sealed class IngestCommand(CliConsole console, PaperIngestor ingestor) : ICliCommand<IngestCommand.Input>
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public sealed record Input(IReadOnlyList<string> Sources, bool Json, bool NoProgress, bool Replace = false);

    public static CliVerb Define()
    {
        var sources = CliOptions.Words("source", "Files, directories or http(s) URLs (format detected from the content)");
        var json = CliOptions.Json("Counts as one JSON object");
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw a progress bar");
        var replace = CliOptions.Flag("--replace", "Corrections: the fields each record carries win (without it, merges never downgrade)");
        return CliVerb.For<IngestCommand, Input>("ingest", "Ingest papers from files, directories or URLs (HF page text, HF daily_papers JSON, arXiv Atom, JSONL).",
            [sources, json, noProgress, replace],
            r => r.GetValue(sources) is { Length: > 0 } s
                ? new Input(s, r.GetValue(json), r.GetValue(noProgress), r.GetValue(replace))
                : throw new CliUsageException("nothing to ingest: paperbot ingest <file|dir|url>... (see paperbot ingest --help)"));
    }

    /// <summary>
    /// The exit-code rule: 0 when every readable input was stored (bad records are reported on stderr, counted in
    /// "errors" and skipped); 1 when no input could be read at all, or the database failed (corrupt, locked,
    /// read-only, full disk): what was stored before is kept and printed; 130 on Ctrl+C (143 on SIGTERM), after printing what was stored.
    /// </summary>
    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var json = input.Json;
        var request = new IngestRequest(input.Sources) { Mode = input.Replace ? MergeMode.Replace : MergeMode.Merge };
        var report = await CliProgress.RunAsync(console, !json && !input.NoProgress, "MiB", progress =>
            ingestor.IngestAsync(request, CliProgress.Map<IngestProgress>(progress, p => new WorkProgress(
                $"[{p.FileIndex + 1}/{p.FileCount}] {Name(p.Source)}: {p.Done:N0} papers", p.BytesRead >> 20, p.BytesTotal >> 20)), cancellationToken));

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
        else if (console.IsInteractive)
        {
            var table = CliConsole.Table(("source", false), ("format", false), ("added", true), ("updated", true), ("skipped", true), ("errors", true));
            foreach (var f in report.Files)
            {
                table.Row(Shorten(f.Source, 60), f.Format, f.Counts.Added, f.Counts.Updated, f.Counts.Unchanged, f.Issues.Count);
            }

            if (report.Files.Count > 1)
            {
                table.Row("total", "", totals.Added, totals.Updated, totals.Unchanged, report.ErrorCount);
            }

            await console.WriteAsync(table);
        }
        else
        {
            // The plain report keeps its historical layout (scripts parse it): no rule under the headers.
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
            await console.Error.WriteLineAsync($"cancelled: {totals.Added} added and {totals.Updated} updated papers were stored (every batch before Ctrl+C or SIGTERM); run the same ingest again to finish.");
            return CliApp.Cancelled;
        }

        // Exit 1 when nothing at all could be read; partial success (some bad records) still exits 0.
        var anyRead = report.Files.Any(f => f.Parsed > 0);
        return report.ErrorCount > 0 && !anyRead ? 1 : 0;
    }

    private static string Shorten(string s, int width) => s.Length <= width ? s : "…" + s[^(width - 1)..];

    private static string Name(string source)
    {
        var name = Path.GetFileName(source.TrimEnd('/'));
        return name.Length > 40 ? "…" + name[^39..] : name;
    }
}
