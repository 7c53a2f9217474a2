using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`reindex`: rebuilds the search index from the database.</summary>
public sealed class ReindexCommand(CliConsole console, DataOperations data, TimeProvider time) : ICliCommand<ReindexCommand.Input>
{
    public sealed record Input;

    public static CliVerb Define() =>
        CliVerb.For<ReindexCommand, Input>("reindex", "Rebuild the search index from the database (also while the bot runs: its index is rebuilt).", [], _ => new Input());

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var info = data.Reindex();
        await console.Out.WriteLineAsync($"search index rebuilt: {info.Documents:N0} papers at revision {info.IndexedRevision:N0} in {time.GetElapsedTime(started).TotalSeconds:N1} s ({info.Location})");
        return 0;
    }
}
