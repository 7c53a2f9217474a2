using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Cli;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;
using PaperBot.Ingestion.Parsing;
using PaperBot.Storage;
using PaperBot.Storage.Postgres;
using PaperBot.Storage.Sharing;

namespace PaperBot.Operations;

/// <summary>Everything `stats` reports.</summary>
public sealed record DatabaseReport(
    string DatabasePath,
    long FileBytes,
    StoreStats Store,
    SearchIndexInfo Index,
    string EmbeddingsProvider,
    string? EmbeddingsModel,
    int Embeddings,
    bool SharedByAnotherProcess);

/// <summary>The outcome of removing one id.</summary>
public sealed record RemoveOutcome(string Requested, string? Id, bool Removed);

/// <summary>
/// The logic of the data verbs (stats, export, remove, backup, reindex, repair), independent of the command-line
/// parser: each takes plain arguments and returns a result the command prints.
/// </summary>
public sealed class DataOperations(
    IPaperStore store,
    ISearchIndexMaintenance index,
    IRecordStore<PaperEmbeddingRecord> embeddings,
    IOptions<EmbeddingsOptions> embeddingOptions,
    IOptions<StorageOptions> storage,
    IServiceProvider services,
    TimeProvider time)
{
    /// <summary>The LiteDB file, or the PostgreSQL server and database (never its credentials).</summary>
    public string DatabasePath => IsPostgres
        ? services.GetRequiredService<PostgresDatabase>().Description
        : Path.GetFullPath(storage.Value.DatabasePath);

    public bool IsPostgres => storage.Value.IsPostgres;

    /// <summary>The file-sharing layer (LiteDB only: PostgreSQL is a server every process talks to).</summary>
    private DatabaseRouter Router => services.GetRequiredService<DatabaseRouter>();

    public DatabaseReport Stats()
    {
        var stats = store.Stats();
        var file = IsPostgres ? null : new FileInfo(DatabasePath);
        var o = embeddingOptions.Value;
        return new DatabaseReport(
            DatabasePath,
            file is { Exists: true } ? file.Length : 0,
            stats,
            index.Describe(),
            o.Provider,
            o.EffectiveModel,
            embeddings.Count(),
            !IsPostgres && !Router.IsOwner);
    }

    /// <summary>Streams every paper as PaperBot JSONL (id order); ingesting the output into an empty database and exporting again gives the same bytes.</summary>
    public long Export(TextWriter writer, CancellationToken cancellationToken)
    {
        long n = 0;
        foreach (var chunk in store.All().Chunk(1000))
        {
            cancellationToken.ThrowIfCancellationRequested();
            JsonlPaperFormat.Write(chunk, writer);
            n += chunk.Length;
        }

        writer.Flush();
        return n;
    }

    /// <summary>Removes papers by id (an arXiv id or link works too). Unknown ids are reported, not an error of the others.</summary>
    public IReadOnlyList<RemoveOutcome> Remove(IEnumerable<string> ids)
    {
        var outcomes = new List<RemoveOutcome>();
        foreach (var raw in ids)
        {
            var id = raw.Trim();
            var paper = store.Get(id) ?? (PaperId.NormalizeArxivId(id) is { } arxiv ? store.Get(arxiv) : null);
            outcomes.Add(paper is null ? new RemoveOutcome(raw, null, false) : new RemoveOutcome(raw, paper.Id, store.Delete(paper.Id)));
        }

        return outcomes;
    }

    /// <summary>A consistent snapshot (also while the bot runs: the owning process takes it). Returns the papers in it.</summary>
    public long Backup(string path) => IsPostgres
        ? throw new UserFacingException($"backup writes LiteDB files; back up the PostgreSQL database {DatabasePath} with pg_dump")
        : services.GetRequiredService<SharedPaperStore>().Backup(path);

    public SearchIndexInfo Reindex() => index.Rebuild();

    public RepairResult Repair() => IsPostgres
        ? throw new UserFacingException($"repair mends LiteDB files; the PostgreSQL server {DatabasePath} keeps its own consistency (see its logs)")
        : LiteDbRepair.Repair(DatabasePath, time);
}
