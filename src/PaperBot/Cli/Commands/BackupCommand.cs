using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`backup &lt;file&gt;`: a consistent snapshot of the database, also while the bot runs.</summary>
public sealed class BackupCommand(CliConsole console, DataOperations data) : ICliCommand
{
    public string Name => "backup";

    public string Summary => "Write a consistent snapshot of the database to a file (works while the bot runs).";

    public string Usage => "backup <file>";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly();
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException($"give one backup file\nusage: paperbot {Usage}");
        }

        var target = Path.GetFullPath(args.Positionals[0]);
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
