using System.Text;
using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`export`: every paper as PaperBot JSONL, streamed to stdout or a file.</summary>
public sealed class ExportCommand(CliConsole console, DataOperations data) : ICliCommand
{
    public string Name => "export";

    public string Summary => "Export every paper as PaperBot JSONL (streams; ingest reads it back unchanged).";

    public string Usage => "export [--format jsonl] [--out FILE]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("format", "out");
        if (args.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'\nusage: paperbot {Usage}");
        }

        var format = args.Get("format") ?? "jsonl";
        if (!string.Equals(format, "jsonl", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUsageException($"--format must be jsonl (got '{format}')");
        }

        var outPath = args.Get("out");
        long n;
        if (outPath is null)
        {
            n = data.Export(console.Out, cancellationToken);
        }
        else
        {
            var temp = outPath + ".partial";
            try
            {
                await using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false), 1 << 20))
                {
                    n = data.Export(writer, cancellationToken);
                }

                File.Move(temp, outPath, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserFacingException($"cannot write '{outPath}': {ex.Message}", ex);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        await console.Error.WriteLineAsync($"exported {n:N0} papers{(outPath is null ? "" : " to " + outPath)}");
        return 0;
    }
}
