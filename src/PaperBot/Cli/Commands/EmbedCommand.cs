using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.Hosting;
using PaperBot.Ingestion;
using PaperBot.Storage;

namespace PaperBot.Cli.Commands;

/// <summary>
/// paperbot embed: embeds every paper that has no vector of the configured model (new, changed, or made by another
/// model), with a progress bar on an interactive terminal. --write-sample-vectors FILE builds the bundled sample's
/// precomputed vectors (the file behind src/PaperBot.AI/Embeddings/Sample/sample-vectors.bin).
/// </summary>
public sealed class EmbedCommand(IServiceProvider services, CliConsole console, TimeProvider time) : ICliCommand
{
    public string Name => "embed";

    public string Summary => "Embed papers that have no vector yet (hybrid search); progress bar on a terminal.";

    public string Usage => "embed [--no-progress] [--json]\n       paperbot embed --write-sample-vectors FILE   (maintainers: the sample corpus's precomputed vectors)";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("no-progress", "json", "write-sample-vectors");
        if (args.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'\nusage: paperbot {Usage}");
        }

        var o = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        if (!o.Enabled)
        {
            throw new UserFacingException("embeddings are off (Embeddings:Provider=none); set PAPERBOT_Embeddings__Provider=local (the default) or a remote provider");
        }

        var showBar = console.IsInteractive && !args.Has("no-progress") && !args.Has("json");
        var bar = new ProgressLine(console.Error, showBar);
        if (args.Get("write-sample-vectors") is { } file)
        {
            return await WriteSampleAsync(file, o, bar, cancellationToken);
        }

        var embeddings = services.GetRequiredService<PaperEmbeddings>();
        var started = time.GetTimestamp();
        var n = await embeddings.BackfillAsync(cancellationToken, new SyncProgress<EmbeddingProgress>(bar.Report));
        bar.Done();
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        if (args.Has("json"))
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{{\"embedded\":{n},\"vectors\":{embeddings.Index.Count},\"model\":\"{o.ModelKey}\",\"seconds\":{seconds:F2}}}"));
        }
        else
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"embedded {n} paper(s) in {seconds:F1} s with {o.ModelKey}; {embeddings.Index.Count} vector(s) in the index"));
        }

        return 0;
    }

    private async Task<int> WriteSampleAsync(string file, EmbeddingsOptions o, ProgressLine bar, CancellationToken ct)
    {
        if (!o.IsLocal)
        {
            throw new UserFacingException("the sample's vectors are made with the local model; unset Embeddings:Provider (or set it to local)");
        }

        // A private temporary store, so the texts (and their hashes) are exactly what a fresh install stores.
        var dir = Path.Combine(Path.GetTempPath(), $"paperbot-sample-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            using var db = new LiteDbContext(Path.Combine(dir, "sample.db"));
            var store = new LiteDbPaperStore(db);
            await new SampleCorpusLoader(store, time).EnsureSampleLoadedAsync(ct);
            var papers = store.All().ToList();
            var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            await using var output = File.Create(file);
            var n = await SampleVectorsBuilder.WriteAsync(papers, generator, o.ModelKey, output, new SyncProgress<EmbeddingProgress>(bar.Report), ct);
            bar.Done();
            await console.Out.WriteLineAsync($"wrote {n} sample vector(s) of {o.ModelKey} to {file}");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot write '{file}': {ex.Message}", ex);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // a temp dir left behind is harmless
            }
        }
    }

    /// <summary>A one-line progress bar redrawn with '\r' (stderr), or nothing when not on a terminal.</summary>
    private sealed class ProgressLine(TextWriter w, bool enabled)
    {
        private bool _drawn;

        public void Report(EmbeddingProgress p)
        {
            if (!enabled || p.Total == 0)
            {
                return;
            }

            const int width = 30;
            var filled = (int)Math.Round(width * (double)p.Done / p.Total);
            var eta = p.PapersPerSecond > 0 ? TimeSpan.FromSeconds((p.Total - p.Done) / p.PapersPerSecond) : TimeSpan.Zero;
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"\rembedding [{new string('#', filled)}{new string('.', width - filled)}] {p.Done}/{p.Total} {p.PapersPerSecond:F1}/s, {eta:hh\\:mm\\:ss} left "));
            _drawn = true;
        }

        public void Done()
        {
            if (_drawn)
            {
                w.WriteLine();
            }
        }
    }
}
