using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`reindex`: rebuilds the search index from the database.</summary>
public sealed class ReindexCommand(CliConsole console, DataOperations data, TimeProvider time) : ICliCommand
{
    public string Name => "reindex";

    public string Summary => "Rebuild the search index from the database (also while the bot runs: its index is rebuilt).";

    public string Usage => "reindex";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly();
        var started = time.GetTimestamp();
        var info = data.Reindex();
        await console.Out.WriteLineAsync($"search index rebuilt: {info.Documents:N0} papers at revision {info.IndexedRevision:N0} in {time.GetElapsedTime(started).TotalSeconds:N1} s ({info.Location})");
        return 0;
    }
}
