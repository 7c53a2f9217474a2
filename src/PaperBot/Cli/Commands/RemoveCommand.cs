using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`remove &lt;id&gt;...`: deletes papers (search, answers and subscriptions stop seeing them).</summary>
public sealed class RemoveCommand(CliConsole console, DataOperations data) : ICliCommand
{
    public string Name => "remove";

    public string Summary => "Remove papers by id (or arXiv id/link); exit 1 when an id is unknown.";

    public string Usage => "remove <id>...";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly();
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException($"no id given\nusage: paperbot {Usage}");
        }

        var outcomes = data.Remove(args.Positionals);
        foreach (var o in outcomes)
        {
            if (o.Removed)
            {
                await console.Out.WriteLineAsync($"removed {o.Id}");
            }
            else
            {
                await console.Error.WriteLineAsync($"error: no paper with id '{o.Requested}'");
            }
        }

        return outcomes.All(o => o.Removed) ? 0 : 1;
    }
}
