using PaperBot.Core.Progress;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PaperBot.Cli;

/// <summary>
/// Spectre.Console progress on stderr for long verbs: one bar per stage with items/s and ETA. Drawn only on a terminal
/// (and not with --json or --no-progress); otherwise the work runs with no progress sink and stderr stays clean.
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(CliConsole console, bool enabled, string unit, Func<IProgress<WorkProgress>?, Task<T>> work)
    {
        if (!enabled || !console.IsInteractive)
        {
            return await work(null);
        }

        return await console.RichError.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RateColumn(unit),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(ctx => work(new Reporter(ctx)));
    }

    /// <summary>Synchronous work (benchmarks, evaluation) run on the thread pool while the bars are drawn.</summary>
    public static Task<T> Run<T>(CliConsole console, bool enabled, string unit, Func<IProgress<WorkProgress>?, T> work) =>
        RunAsync(console, enabled, unit, p => p is null ? Task.FromResult(work(null)) : Task.Run(() => work(p)));

    /// <summary>Adapts a job's own progress type (e.g. ingest's per-file counts) to the bars.</summary>
    public static IProgress<T>? Map<T>(IProgress<WorkProgress>? target, Func<T, WorkProgress> map) =>
        target is null ? null : new Mapped<T>(target, map);

    private sealed class Mapped<T>(IProgress<WorkProgress> target, Func<T, WorkProgress> map) : IProgress<T>
    {
        public void Report(T value) => target.Report(map(value));
    }

    /// <summary>Maps reports to Spectre tasks: a new stage name finishes the previous bar and starts another.</summary>
    private sealed class Reporter(ProgressContext ctx) : IProgress<WorkProgress>
    {
        private readonly Lock _lock = new();
        private ProgressTask? _task;
        private string? _stage;

        public void Report(WorkProgress p)
        {
            lock (_lock)
            {
                if (_task is null || _stage != p.Stage)
                {
                    if (_task is not null)
                    {
                        _task.Value = _task.MaxValue;
                        _task.StopTask();
                    }

                    _stage = p.Stage;
                    _task = ctx.AddTask(Markup.Escape(p.Stage), maxValue: Math.Max(1, p.Total));
                }

                _task.MaxValue = Math.Max(1, p.Total);
                _task.Value = Math.Min(p.Done, _task.MaxValue);
            }
        }
    }

    /// <summary>Items per second of a bar ("1,234 papers/s").</summary>
    private sealed class RateColumn(string unit) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.Speed is { } speed
                ? new Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{speed:N0} {unit}/s"), new Style(Color.Grey))
                : new Text("");
    }
}
