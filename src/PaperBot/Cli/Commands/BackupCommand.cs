using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`backup &lt;file&gt;`: a consistent snapshot of the database, also while the bot runs.</summary>
public sealed class BackupCommand(CliConsole console, DataOperations data) : ICliCommand<BackupCommand.Input>
{
    public sealed record Input(string File);

    public static CliVerb Define()
    {
        var file = CliOptions.One("file", "The backup file to write");
        return CliVerb.For<BackupCommand, Input>("backup", "Write a consistent snapshot of the database to a file (works while the bot runs).",
            [file], r => new Input(r.GetValue(file)!));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(input.File);
        if (string.Equals(target, data.DatabasePath, StringComparison.Ordinal))
        {
            throw new CliUsageException("the backup file must not be the database itself");
        }

        try
        {
            var papers = data.Backup(target);
            await console.Out.WriteLineAsync($"backup of {papers:N0} papers written to {target} ({new FileInfo(target).Length / (1024.0 * 1024):N1} MiB); restore it with --db {target} or by copying it over the database while nothing runs");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot write the backup '{target}': {ex.Message}", ex);
        }
    }
}
