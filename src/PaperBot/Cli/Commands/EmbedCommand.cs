using System.ClientModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;

namespace PaperBot.Cli.Commands;

/// <summary>`embed`: computes embeddings for every paper that has none (or changed) — the hybrid-search backfill.</summary>
public sealed class EmbedCommand(IServiceProvider services, CliConsole console) : ICliCommand<EmbedCommand.Input>
{
    public sealed record Input(bool NoProgress);

    public static CliVerb Define()
    {
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw a progress bar");
        return CliVerb.For<EmbedCommand, Input>("embed", "Backfill paper embeddings for hybrid search (needs an Embeddings provider).",
            [noProgress], r => new Input(r.GetValue(noProgress)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        if (!options.Enabled)
        {
            throw new UserFacingException("no embedding backend is configured; set Embeddings:Provider (e.g. PAPERBOT_Embeddings__Provider=openai) and its model/key");
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

        await console.Out.WriteLineAsync($"embedded {n} paper(s); {embeddings.Index.Count} vector(s) in the index");
        return 0;
    }

    private static string FirstLine(string s) => s.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
}
