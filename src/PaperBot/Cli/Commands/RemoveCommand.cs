using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`remove &lt;id&gt;...`: deletes papers (search, answers and subscriptions stop seeing them).</summary>
public sealed class RemoveCommand(CliConsole console, DataOperations data) : ICliCommand<RemoveCommand.Input>
{
    public sealed record Input(IReadOnlyList<string> Ids);

    public static CliVerb Define()
    {
        var ids = CliOptions.Words("id", "Paper ids (an arXiv id or link works too)");
        return CliVerb.For<RemoveCommand, Input>("remove", "Remove papers by id (or arXiv id/link); exit 1 when an id is unknown.",
            [ids], r => r.GetValue(ids) is { Length: > 0 } v ? new Input(v) : throw new CliUsageException("no id given: paperbot remove <id>..."));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var outcomes = data.Remove(input.Ids);
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
