using PaperBot.Core.Papers;
using PaperBot.Core.Progress;
using PaperBot.Storage;
using PaperBot.Storage.Postgres;

namespace PaperBot.Operations;

/// <summary>What `migrate` copied: the papers' upsert outcome and, per record collection, records inserted and already there.</summary>
public sealed record MigrationResult(UpsertResult Papers, IReadOnlyList<(string Collection, int Inserted, int Existing)> Records)
{
    public int RecordsInserted => Records.Sum(r => r.Inserted);
}

/// <summary>
/// Copies a LiteDB database into PostgreSQL (`migrate --from litedb:PATH --to postgres`): every paper through the
/// target's merge upsert, then every record collection (embeddings, settings, subscriptions, memory, budgets, digest
/// claims, feed state…) with insert-if-absent. Idempotent: a second run adds nothing, and records the target already
/// has (written there since) are never overwritten.
/// </summary>
public static class StoreMigration
{
    public const string PapersStage = "copying papers";
    public const string RecordsStage = "copying records";
    private const int Chunk = 2000;

    public static MigrationResult Copy(LiteDbPaperStore source, LiteDbRawRecords sourceRecords, PostgresPaperStore target, PostgresRawRecords targetRecords,
        IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        var total = source.Count();
        var done = 0;
        var papers = default(UpsertResult);
        progress?.Report(new WorkProgress(PapersStage, 0, total));
        foreach (var chunk in source.All().Chunk(Chunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            papers += target.Upsert(chunk);
            done += chunk.Length;
            progress?.Report(new WorkProgress(PapersStage, done, Math.Max(total, done)));
        }

        var collections = sourceRecords.Collections();
        var counts = collections.ToDictionary(c => c, sourceRecords.Count, StringComparer.Ordinal);
        var recordTotal = counts.Values.Sum();
        var recordsDone = 0;
        var records = new List<(string Collection, int Inserted, int Existing)>();
        progress?.Report(new WorkProgress(RecordsStage, 0, recordTotal));
        foreach (var collection in collections)
        {
            var inserted = 0;
            var all = sourceRecords.All(collection);
            foreach (var chunk in all.Chunk(Chunk))
            {
                cancellationToken.ThrowIfCancellationRequested();
                inserted += targetRecords.InsertMissing(collection, chunk);
                recordsDone += chunk.Length;
                progress?.Report(new WorkProgress(RecordsStage, recordsDone, Math.Max(recordTotal, recordsDone)));
            }

            records.Add((collection, inserted, all.Count - inserted));
        }

        return new MigrationResult(papers, records);
    }
}
