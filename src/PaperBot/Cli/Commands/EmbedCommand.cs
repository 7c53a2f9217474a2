using System.ClientModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.Ingestion;
using PaperBot.Storage;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `embed`: embeds every paper without a vector of the configured model (new, changed text, or another model) — the
/// hybrid-search backfill, with a progress bar. `--write-sample-vectors FILE` builds the bundled sample's precomputed
/// vectors (the file behind src/PaperBot.AI/Embeddings/Sample/sample-vectors.bin).
/// </summary>
public sealed class EmbedCommand(IServiceProvider services, CliConsole console, TimeProvider time) : ICliCommand<EmbedCommand.Input>
{
    public sealed record Input(bool NoProgress, string? WriteSampleVectors = null);

    public static CliVerb Define()
    {
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw a progress bar");
        var sample = CliOptions.Text("--write-sample-vectors", "Maintainers: write the bundled sample corpus's vectors to FILE", "FILE");
        return CliVerb.For<EmbedCommand, Input>("embed", "Embed papers that have no vector yet (hybrid search); progress bar on a terminal.",
            [noProgress, sample], r => new Input(r.GetValue(noProgress), r.GetValue(sample)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        if (!options.Enabled)
        {
            throw new UserFacingException("embeddings are off (Embeddings:Provider=none); set PAPERBOT_Embeddings__Provider=local (the default) or a remote provider and its model/key");
        }

        if (input.WriteSampleVectors is { } file)
        {
            return await WriteSampleAsync(file, options, !input.NoProgress, cancellationToken);
        }

        var embeddings = services.GetRequiredService<PaperEmbeddings>();
        int n;
        try
        {
            n = await CliProgress.RunAsync(console, !input.NoProgress, "papers",
                progress => embeddings.BackfillAsync(progress, cancellationToken));
        }
        catch (Exception ex) when (ex is ClientResultException or HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException
                                   || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // One line: where it tried and why (connection refused, 401, timeout…), not the SDK's stack trace.
            var server = options.BaseUrl ?? options.Endpoint ?? options.Provider;
            throw new UserFacingException($"embedding server {server} failed: {FirstLine(ex.Message)}", ex);
        }

        await console.Out.WriteLineAsync($"embedded {n} paper(s) with {options.ModelKey}; {embeddings.Index.Count} vector(s) in the index");
        return 0;
    }

    private async Task<int> WriteSampleAsync(string file, EmbeddingsOptions o, bool progress, CancellationToken ct)
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
            var generator = services.GetRequiredService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>();
            await using var output = File.Create(file);
            var n = await CliProgress.RunAsync(console, progress, "papers", p => SampleVectorsBuilder.WriteAsync(papers, generator, o.ModelKey, output, p, ct));
            await console.Out.WriteLineAsync($"wrote {n} sample vector(s) of {o.ModelKey}, with their abstract sentences' vectors, to {file}");
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

    private static string FirstLine(string s) => s.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
}
