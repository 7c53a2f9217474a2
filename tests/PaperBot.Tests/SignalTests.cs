using System.Diagnostics;
using System.Text.Json;
using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>
/// Signals reach a real paperbot process (the built CLI, started with `dotnet exec`): they cannot be sent to the test
/// process itself without stopping the test host.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private const int Papers = 40_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task Sigterm_during_ingest_stops_at_a_batch_boundary_keeps_what_was_stored_and_exits_143()
    {
        Skip.If(OperatingSystem.IsWindows(), "POSIX signals: Linux and macOS only");
        var jsonl = _dir.File("many.jsonl");
        var db = _dir.File("term.db");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "jsonl", "--count", Papers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", jsonl], TextWriter.Null, TextWriter.Null));

        var start = new ProcessStartInfo(DotnetHost(), ["exec", Path.Combine(AppContext.BaseDirectory, "paperbot.dll"), "--db", db, "ingest", "--no-progress", jsonl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.Path,
        };
        // Small batches: the first is stored quickly and most of the file is still to come when the signal arrives.
        start.Environment["PAPERBOT_Ingestion__BatchSize"] = "500";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start paperbot");
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var firstBatchStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            // Logged once the first batch is stored and the index has opened on it.
            if (e.Data.Contains("Search index built from the database", StringComparison.Ordinal))
            {
                firstBatchStored.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await firstBatchStored.Task.WaitAsync(timeout.Token);
            // As `kill PID`, `systemctl stop` or `timeout` would send it.
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
                Assert.Equal(0, kill.ExitCode);
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(CliApp.Terminated, process.ExitCode);
        var err = stderr.ToString();
        var match = System.Text.RegularExpressions.Regex.Match(err, @"cancelled: (\d+) added and 0 updated papers were stored");
        Assert.True(match.Success, err);
        var stored = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(stored, 500, Papers - 1);
        Assert.Equal(0, stored % 500);
        Assert.Contains($"{stored}", stdout.ToString(), StringComparison.Ordinal);

        // The database is intact and holds exactly the batches reported.
        var o = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["--db", db, "stats", "--json"], o, TextWriter.Null));
        using var stats = JsonDocument.Parse(o.ToString());
        Assert.Equal(stored, stats.RootElement.GetProperty("papers").GetInt32());
    }

    /// <summary>The dotnet host running this test (the SDK sets DOTNET_HOST_PATH for `dotnet test`).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
