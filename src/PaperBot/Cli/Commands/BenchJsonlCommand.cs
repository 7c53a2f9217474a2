using PaperBot.Core.Search.Synthetic;
using PaperBot.Hosting;
using PaperBot.Ingestion.Parsing;

namespace PaperBot.Cli.Commands;

/// <summary>`bench jsonl`: writes the synthetic papers `bench search` uses as a PaperBot JSONL file (for ingest benchmarks).</summary>
public sealed class BenchJsonlCommand(CliConsole console) : ICliCommand<BenchJsonlCommand.Input>
{
    public sealed record Input(int Count, int Start, int Seed, string Out);

    public static CliVerb Define()
    {
        var count = CliOptions.Int("--count", 100_000, 1, 100_000_000, "Papers to write");
        var start = CliOptions.Int("--start", 0, 0, int.MaxValue, "Index of the first synthetic paper");
        var seed = CliOptions.Int("--seed", 42, 0, int.MaxValue, "Corpus seed");
        var output = CliOptions.Text("--out", "The JSONL file to write", "FILE");
        return CliVerb.For<BenchJsonlCommand, Input>("jsonl", "Write N synthetic papers (the bench search corpus) as a JSONL file, for ingest benchmarks.",
            [count, start, seed, output],
            r => new Input(r.GetValue(count), r.GetValue(start), r.GetValue(seed), r.GetValue(output) ?? throw new CliUsageException("--out FILE is required (paperbot bench jsonl --help)")),
            usesHost: false);
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var (count, start, seed, path) = (input.Count, input.Start, (ulong)input.Seed, input.Out);
        var corpus = new SyntheticCorpus(seed);
        await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 20);
        foreach (var chunk in corpus.Papers(count, start).Chunk(5000))
        {
            cancellationToken.ThrowIfCancellationRequested();
            JsonlPaperFormat.Write(chunk, writer);
        }

        await writer.FlushAsync(cancellationToken);
        await console.Error.WriteLineAsync($"wrote {count:N0} papers to {path} ({new FileInfo(path).Length / (1024.0 * 1024):N0} MiB)");
        return 0;
    }
}
