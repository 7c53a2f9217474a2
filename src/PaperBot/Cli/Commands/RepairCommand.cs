using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`repair`: rebuilds a damaged database from what can be read; the damaged file is kept beside it.</summary>
public sealed class RepairCommand(CliConsole console, DataOperations data) : ICliCommand<RepairCommand.Input>
{
    public sealed record Input;

    public static CliVerb Define() =>
        CliVerb.For<RepairCommand, Input>("repair", "Rebuild a damaged database from its readable pages (the damaged file is kept as <db>.damaged-<time>).", [], _ => new Input());

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var r = data.Repair();
        await console.Out.WriteLineAsync($"repaired {r.DatabasePath}: {r.PapersRecovered:N0} papers recovered{(r.PagesWithErrors > 0 ? $", {r.PagesWithErrors} unreadable pages skipped" : "")}; the damaged file is kept as {r.DamagedCopy}");
        return 0;
    }
}
