using Microsoft.Extensions.Options;
using PaperBot.Hosting;
using PaperBot.Operations;
using PaperBot.Storage;
using PaperBot.Storage.Postgres;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `migrate --from litedb:PATH --to postgres`: copies a LiteDB database (papers, embeddings and every record) into the
/// PostgreSQL database of Storage:ConnectionString, creating its schema. Idempotent: run it again to copy what is new.
/// </summary>
public sealed class MigrateCommand(CliConsole console, IOptions<StorageOptions> storage) : ICliCommand<MigrateCommand.Input>
{
    public const string FromPrefix = "litedb:";

    public sealed record Input(string From, bool NoProgress, bool Json);

    public static CliVerb Define()
    {
        var from = CliOptions.Text("--from", "The source: litedb:PATH (the LiteDB file; stop the bot that uses it first)", "litedb:PATH");
        from.Required = true;
        var to = CliOptions.Choice("--to", "postgres", new Dictionary<string, string> { ["postgres"] = "postgres" }, ["postgres"],
            "The target: postgres (Storage:ConnectionString, from PAPERBOT_Storage__ConnectionString or user-secrets)");
        to.Required = true;
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw progress bars");
        var json = CliOptions.Json();
        return CliVerb.For<MigrateCommand, Input>("migrate", "Copy a LiteDB database into PostgreSQL (papers, embeddings, all records; safe to re-run).",
            [from, to, noProgress, json], r =>
            {
                var source = r.GetValue(from)!;
                if (!source.StartsWith(FromPrefix, StringComparison.OrdinalIgnoreCase) || source.Length == FromPrefix.Length)
                {
                    throw new CliUsageException($"--from must be litedb:PATH (got '{source}')");
                }

                return new Input(source[FromPrefix.Length..], r.GetValue(noProgress), r.GetValue(json));
            });
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(input.From);
        if (!File.Exists(path))
        {
            throw new UserFacingException($"no LiteDB database at '{path}' (--from litedb:PATH)");
        }

        var connectionString = storage.Value.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ConfigurationErrorException(
                $"Storage:ConnectionString is not set: set the {StorageOptions.ConnectionStringVariable} environment variable (or user-secrets 'Storage:ConnectionString') to the target database, e.g. Host=db.example;Database=paperbot;Username=paperbot;Password=….");
        }

        using var target = new PostgresDatabase(connectionString);
        target.Migrate();
        using var context = new LiteDbContext(path, readOnly: true);
        var source = new LiteDbPaperStore(context);
        var result = await CliProgress.Run(console, !input.NoProgress && !input.Json, "items", p =>
            StoreMigration.Copy(source, new LiteDbRawRecords(context), new PostgresPaperStore(target), new PostgresRawRecords(target), p, cancellationToken));
        if (input.Json)
        {
            await console.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new
            {
                from = path,
                to = target.Description,
                papers = new { added = result.Papers.Added, updated = result.Papers.Updated, unchanged = result.Papers.Unchanged },
                records = result.Records.Select(r => new { collection = r.Collection, inserted = r.Inserted, existing = r.Existing }),
            }));
        }
        else
        {
            await console.Out.WriteLineAsync(
                $"migrated {path} to {target.Description}: papers {result.Papers.Added:N0} added, {result.Papers.Updated:N0} updated, {result.Papers.Unchanged:N0} unchanged; " +
                $"records {result.RecordsInserted:N0} copied, {result.Records.Sum(r => r.Existing):N0} already there ({result.Records.Count} collection(s))");
        }

        return 0;
    }
}
