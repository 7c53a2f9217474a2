using System.Text;
using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`export`: every paper as PaperBot JSONL, streamed to stdout or a file.</summary>
public sealed class ExportCommand(CliConsole console, DataOperations data) : ICliCommand<ExportCommand.Input>
{
    public sealed record Input(string? Out);

    public static CliVerb Define()
    {
        var format = CliOptions.Choice("--format", "jsonl", new Dictionary<string, string> { ["jsonl"] = "jsonl" }, ["jsonl"], "Output format");
        var output = CliOptions.Text("--out", "Write to FILE (default: stdout)", "FILE");
        return CliVerb.For<ExportCommand, Input>("export", "Export every paper as PaperBot JSONL (streams; ingest reads it back unchanged).",
            [format, output], r => new Input(r.GetValue(output)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var outPath = input.Out;
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
