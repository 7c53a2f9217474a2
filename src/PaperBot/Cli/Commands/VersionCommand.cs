using System.Reflection;

namespace PaperBot.Cli.Commands;

/// <summary>`version`: the PaperBot version (no configuration, no host).</summary>
public sealed class VersionCommand(CliConsole console) : ICliCommand<VersionCommand.Input>
{
    public sealed record Input;

    public static CliVerb Define() => CliVerb.For<VersionCommand, Input>("version", "Print the PaperBot version.", [], _ => new Input(), usesHost: false);

    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        await console.Out.WriteLineAsync($"paperbot {Version}");
        return 0;
    }
}
