using System.Reflection;
using PaperBot.Hosting;

namespace PaperBot.Cli.Commands;

public sealed class VersionCommand(CliConsole console) : ICliCommand
{
    public string Name => "version";

    public string Summary => "Print the PaperBot version.";

    public string Usage => "version";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly();
        var v = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        await console.Out.WriteLineAsync($"paperbot {v}");
        return 0;
    }
}
