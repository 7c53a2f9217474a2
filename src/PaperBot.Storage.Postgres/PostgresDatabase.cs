using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PaperBot.Core.Papers;

namespace PaperBot.Storage.Postgres;

/// <summary>
/// The PostgreSQL database every PaperBot process of a deployment shares: one <see cref="NpgsqlDataSource"/> (pooled
/// connections), the schema brought up to date on first use (<see cref="PostgresMigrations"/>), and the mapping of
/// server errors to <see cref="PaperStoreException"/>s. The connection string is a secret: only
/// <see cref="Description"/> (host, port, database) is ever logged or shown.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private volatile bool _migrated;

    public PostgresDatabase(string connectionString, ILogger<PostgresDatabase>? logger = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("the PostgreSQL connection string is empty", nameof(connectionString));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The message of a malformed string may quote it: say only that it is malformed.
            throw new ArgumentException("the PostgreSQL connection string is not valid (Npgsql key=value syntax, e.g. Host=…;Database=…;Username=…)", nameof(connectionString), ex.InnerException);
        }

        builder.ApplicationName ??= "paperbot";
        Description = $"postgres://{builder.Host}{(builder.Port != NpgsqlConnection.DefaultPort ? ":" + builder.Port : "")}/{builder.Database ?? builder.Username}";
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Host, port and database (never the user or password): for logs, `stats` and errors.</summary>
    public string Description { get; }

    /// <summary>A new connection to this database (pooled), the schema up to date.</summary>
    public NpgsqlConnection Open()
    {
        EnsureMigrated();
        return Run(() => _source.OpenConnection());
    }

    /// <summary>A connection for LISTEN (kept open by its owner), the schema up to date.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureMigrated();
        return await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies pending migrations now (also done on first use). Returns the migrations applied by this call.</summary>
    public IReadOnlyList<string> Migrate()
    {
        lock (_gate)
        {
            var applied = Run(() =>
            {
                using var conn = _source.OpenConnection();
                return PostgresMigrations.Apply(conn);
            });
            if (applied.Count > 0)
            {
                _logger.LogInformation("Applied {Count} schema migration(s) to {Database}: {Migrations}", applied.Count, Description, string.Join(", ", applied));
            }

            _migrated = true;
            return applied;
        }
    }

    private void EnsureMigrated()
    {
        if (!_migrated)
        {
            Migrate();
        }
    }

    /// <summary>Runs <paramref name="work"/>, turning connection and server failures into a <see cref="PaperStoreException"/> naming the database.</summary>
    public T Run<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            throw new PaperStoreException(failure.Message, Description, ex, failure.Kind);
        }
    }

    public void Run(Action work) => Run(() =>
    {
        work();
        return 0;
    });

    private (string Message, StoreErrorKind Kind)? Describe(Exception ex) => ex switch
    {
        PaperStoreException or PaperRecordException => null,
        PostgresException { SqlState: "53100" } => ($"the PostgreSQL server {Description} is out of disk space: the write was refused, nothing committed was lost", StoreErrorKind.DiskFull),
        PostgresException { SqlState: "25006" } => ($"the PostgreSQL database {Description} is read-only (a standby, or default_transaction_read_only): writes fail", StoreErrorKind.ReadOnly),
        PostgresException { SqlState: "28P01" or "28000" } pg => ($"the PostgreSQL server {Description} refused the login: {pg.MessageText}; check the user and password in Storage:ConnectionString", StoreErrorKind.Unavailable),
        PostgresException { SqlState: "3D000" } pg => ($"the PostgreSQL database {Description} does not exist ({pg.MessageText}); create it (createdb) or fix Storage:ConnectionString", StoreErrorKind.Unavailable),
        PostgresException pg => ($"PostgreSQL {Description} failed: {pg.MessageText} ({pg.SqlState})", StoreErrorKind.Io),
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } or NpgsqlException { IsTransient: true } =>
            ($"cannot reach the PostgreSQL server {Description}: {ex.InnerException?.Message ?? ex.Message}; is it running, and do Host/Port in Storage:ConnectionString point at it?", StoreErrorKind.Unavailable),
        NpgsqlException => ($"PostgreSQL {Description} failed: {ex.Message}", StoreErrorKind.Io),
        SocketException or TimeoutException => ($"cannot reach the PostgreSQL server {Description}: {ex.Message}", StoreErrorKind.Unavailable),
        _ => null,
    };

    public void Dispose() => _source.Dispose();
}
