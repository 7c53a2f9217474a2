using System.Globalization;
using System.Text.Json;
using PaperBot.Hosting;
using PaperBot.Operations;

namespace PaperBot.Cli.Commands;

/// <summary>`stats`: counts by source, date ranges, index and embedding state.</summary>
public sealed class StatsCommand(CliConsole console, DataOperations data) : ICliCommand<StatsCommand.Input>
{
    public sealed record Input(bool Json);

    public static CliVerb Define()
    {
        var json = CliOptions.Json();
        return CliVerb.For<StatsCommand, Input>("stats", "Database statistics: papers by source, oldest and newest dates, search index and embedding state.",
            [json], r => new Input(r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var r = data.Stats();
        var s = r.Store;
        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                database = r.DatabasePath,
                fileBytes = r.FileBytes,
                papers = s.Papers,
                bySource = s.BySource.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
                published = new { oldest = D(s.OldestPublished), newest = D(s.NewestPublished) },
                featured = new { oldest = D(s.OldestFeatured), newest = D(s.NewestFeatured) },
                revision = s.Revision,
                storeId = s.StoreId,
                index = new { location = r.Index.Location, inMemory = r.Index.InMemory, revision = r.Index.IndexedRevision, current = r.Index.IsCurrent, documents = r.Index.Documents },
                embeddings = new { provider = r.EmbeddingsProvider, model = r.EmbeddingsModel, vectors = r.Embeddings },
                sharedByAnotherProcess = r.SharedByAnotherProcess,
            }, SearchOutput.Json));
            return 0;
        }

        var w = console.Out;
        await w.WriteLineAsync($"database   {r.DatabasePath} ({r.FileBytes / (1024.0 * 1024):N1} MiB){(r.SharedByAnotherProcess ? ", used through the process that has it open" : "")}");
        await w.WriteLineAsync($"papers     {s.Papers:N0}");
        foreach (var (source, n) in s.BySource.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            await w.WriteLineAsync($"  {source,-12} {n,10:N0}");
        }

        await w.WriteLineAsync($"published  {D(s.OldestPublished) ?? "—"} … {D(s.NewestPublished) ?? "—"}");
        await w.WriteLineAsync($"featured   {D(s.OldestFeatured) ?? "—"} … {D(s.NewestFeatured) ?? "—"}");
        await w.WriteLineAsync($"revision   {s.Revision:N0}");
        var indexState = r.Index.IndexedRevision < 0 ? "not built yet (the first search builds it; or run 'paperbot reindex')"
            : r.Index.IsCurrent ? "up to date" : $"at revision {r.Index.IndexedRevision:N0}, catches up on the next search";
        await w.WriteLineAsync($"index      {r.Index.Location}: {r.Index.Documents:N0} papers, {indexState}");
        await w.WriteLineAsync(string.Equals(r.EmbeddingsProvider, "none", StringComparison.OrdinalIgnoreCase)
            ? $"embeddings off (Embeddings:Provider=none); {r.Embeddings:N0} stored vectors"
            : $"embeddings {r.EmbeddingsProvider} {r.EmbeddingsModel}: {r.Embeddings:N0} of {s.Papers:N0} papers embedded");
        return 0;
    }

    private static string? D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
