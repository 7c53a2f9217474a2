using PaperBot.Core.Search.Synthetic;
using PaperBot.Hosting;
using PaperBot.Ingestion.Parsing;

namespace PaperBot.Cli.Commands;

/// <summary>`bench jsonl`: writes the synthetic papers `bench search` uses as a PaperBot JSONL file (for ingest benchmarks).</summary>
public sealed class BenchJsonlCommand(CliConsole console) : ICliCommand
{
    public string Name => "bench jsonl";

    public string Summary => "Write N synthetic papers (the bench search corpus) as a JSONL file, for ingest benchmarks.";

    public string Usage => "bench jsonl --count N --out FILE [--start N] [--seed N]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("count", "out", "start", "seed");
        var count = args.GetInt("count", 100_000, 1, 100_000_000);
        var start = args.GetInt("start", 0, 0, int.MaxValue - count);
        var seed = (ulong)args.GetInt("seed", 42, 0);
        var path = args.Get("out") ?? throw new CliUsageException($"--out FILE is required\nusage: paperbot {Usage}");
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
