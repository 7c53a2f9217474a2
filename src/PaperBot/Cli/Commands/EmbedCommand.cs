using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.Hosting;

namespace PaperBot.Cli.Commands;

/// <summary>paperbot embed: computes embeddings for every paper that has none (or changed) — the hybrid-search backfill.</summary>
public sealed class EmbedCommand(IServiceProvider services, CliConsole console) : ICliCommand
{
    public string Name => "embed";

    public string Summary => "Backfill paper embeddings for hybrid search (needs an Embeddings provider).";

    public string Usage => "embed";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly();
        if (!services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Enabled)
        {
            throw new UserFacingException("no embedding backend is configured; set Embeddings:Provider (e.g. PAPERBOT_Embeddings__Provider=openai) and its model/key");
        }

        var embeddings = services.GetRequiredService<PaperEmbeddings>();
        var n = await embeddings.BackfillAsync(cancellationToken);
        await console.Out.WriteLineAsync($"embedded {n} paper(s); {embeddings.Index.Count} vector(s) in the index");
        return 0;
    }
}
