using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.Storage.Postgres;

/// <summary>
/// Keeps this process's derived data (the local Lucene index, and the vectors through <see cref="PaperChangeSignal"/>)
/// in step with papers written by any process: LISTENs on <see cref="PostgresPaperStore.Channel"/> over a dedicated
/// connection and, on every NOTIFY of its store (payload: store id and the new revision), brings the index up to date from the store's change
/// feed (<see cref="ISearchIndexMaintenance.Synchronize"/>: ChangedSince/DeletedSince). On every (re)connect it reads
/// the current revision first, so changes made while it was disconnected are caught up too; while it is disconnected,
/// the store answers <see cref="IPaperStore.CurrentRevision"/> from the server, so a search never misses a change.
/// </summary>
public sealed class PostgresChangeListener(
    PostgresDatabase database,
    PostgresPaperStore store,
    ISearchIndexMaintenance index,
    PaperChangeSignal signal,
    TimeProvider time,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    /// <summary>Wait before reconnecting after the connection broke.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest a LISTEN connection idles before it checks the server is still there.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private long _pending = -1;

    /// <summary>Times the listener (re)connected (tests, diagnostics).</summary>
    public int Connections { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await database.OpenAsync(stoppingToken).ConfigureAwait(false);
                conn.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresPaperStore.Channel}", conn))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                // Catch-up: whatever changed before LISTEN took effect (or while disconnected) is in the change feed.
                _ = store.StoreId;
                Connections++;
                store.Observe(store.ReadRevision());
                store.Followed = true;
                CatchUp();
                logger.LogDebug("Following paper changes on {Database}", database.Description);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await conn.WaitAsync(KeepAlive, stoppingToken).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", conn);
                        await ping.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false);
                    }

                    if (Interlocked.Exchange(ref _pending, -1) >= 0)
                    {
                        CatchUp();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                store.Followed = false;
                logger.LogWarning("Lost the change feed of {Database} ({Error}); searches ask the server until it is back, reconnecting", database.Description, ex.GetType().Name + ": " + ex.Message);
                try
                {
                    await Task.Delay(ReconnectDelay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        store.Followed = false;
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (store.ParseAnnouncement(e.Payload) is { } revision)
        {
            store.Observe(revision);
            Interlocked.Exchange(ref _pending, revision);
        }
    }

    private void CatchUp()
    {
        var revision = store.CurrentRevision;
        try
        {
            index.Synchronize();
        }
        catch (Exception ex) when (ex is PaperStoreException or IOException)
        {
            logger.LogWarning("Could not bring the search index up to revision {Revision} ({Error}); the next search retries", revision, ex.Message);
        }

        signal.Notify(revision);
    }
}
