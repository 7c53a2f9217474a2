using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.Storage.Sharing;

/// <summary>
/// Decides, per process, who works on the database file. The first process to open it owns it (LiteDB's exclusive
/// lock file) and, once it has held it for <see cref="StorageOptions.ShareAfter"/>, serves it to other paperbot
/// processes over a Unix socket (<see cref="StoreServer"/>). A process that finds the file locked becomes a client of
/// the owner's socket (waiting up to <see cref="StorageOptions.WaitForOwner"/> for it to appear). When the owner
/// exits, its clients' next call takes over the file (or follows the next owner), and the call is retried once.
/// So the bot and any number of CLI commands work on one database at once, with one writer, one index and one sync
/// point; a process never writes into a file another process has open.
/// </summary>
public sealed class DatabaseRouter : IDisposable
{
    private readonly LiteDbContext _context;
    private readonly LiteDbPaperStore _store;
    private readonly LiteDbRawRecords _records;
    private readonly IServiceProvider _services;
    private ISearchService? _search;
    private readonly ISearchIndexMaintenance _index;
    private readonly StorageOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    /// <summary>
    /// Waits for another OS process (its lock, its socket) are real time, whatever clock the application injects:
    /// a test's FakeTimeProvider must not freeze them.
    /// </summary>
    private static readonly TimeProvider RealTime = TimeProvider.System;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Role _role;
    private RemoteStore? _remote;
    private Task<StoreServer?>? _server;
    private bool _disposed;

    public DatabaseRouter(
        LiteDbContext context,
        LiteDbPaperStore store,
        LiteDbRawRecords records,
        Core.Search.Indexing.LuceneSearchService search,
        IOptions<StorageOptions> options,
        ILoggerFactory loggers,
        IServiceProvider services)
    {
        _context = context;
        _store = store;
        _records = records;
        _services = services;
        _index = search;
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DatabaseRouter>();
    }

    private enum Role
    {
        None,
        Owner,
        Client,
    }

    /// <summary>True when this process owns the file (resolving it first if needed).</summary>
    public bool IsOwner => Resolve() == Role.Owner;

    /// <summary>The socket this database is (or would be) shared on.</summary>
    public string SocketPath => Wire.SocketPathFor(_context.DatabasePath);

    /// <summary>Waits until this process shares the database (tests, benchmarks); false when it is not the owner.</summary>
    public bool WaitUntilShared(TimeSpan timeout)
    {
        if (Resolve() != Role.Owner)
        {
            return false;
        }

        var server = _server;
        return server is not null && server.Wait(timeout) && server.Result is not null;
    }

    internal LiteDbPaperStore LocalStore => _store;

    /// <summary>
    /// The owner's product search (hybrid when vectors exist), resolved on first use: it depends on stores that route
    /// through this router, so it cannot be a constructor dependency.
    /// </summary>
    internal ISearchService LocalSearch => _search ??= _services.GetRequiredService<Core.Search.Ranking.HybridSearchService>();

    internal ISearchIndexMaintenance LocalIndex => _index;

    /// <summary>Runs <paramref name="local"/> in the owner and <paramref name="remote"/> in a client, taking over when the owner went away.</summary>
    internal T Run<T>(Func<T> local, Func<RemoteStore, T> remote)
    {
        for (var attempt = 0; ; attempt++)
        {
            var role = Resolve();
            if (role == Role.Owner)
            {
                return local();
            }

            try
            {
                return remote(_remote!);
            }
            catch (OwnerUnavailableException ex) when (attempt < 2)
            {
                _logger.LogInformation("The process sharing {Path} went away ({Error}); taking over or following the next owner", _context.DatabasePath, ex.Message);
                Reset();
            }
            catch (OwnerUnavailableException ex)
            {
                throw new PaperStoreException($"the process sharing the database '{_context.DatabasePath}' went away and no other could take over: {ex.Message}", _context.DatabasePath, ex, StoreErrorKind.Unavailable);
            }
        }
    }

    private void Reset()
    {
        lock (_gate)
        {
            if (_role == Role.Client)
            {
                _remote?.Dispose();
                _remote = null;
                _role = Role.None;
            }
        }
    }

    private Role Resolve()
    {
        var role = _role;
        if (role != Role.None)
        {
            return role;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_role != Role.None)
            {
                return _role;
            }

            var started = RealTime.GetTimestamp();
            while (true)
            {
                if (_context.ReadOnly)
                {
                    // Never takes the lock: reads the file itself unless a live owner shares it.
                    _role = TryConnect() ? Role.Client : Role.Owner;
                    return _role;
                }

                try
                {
                    _context.EnsureOpen();
                    _role = Role.Owner;
                    _server = ShareLaterAsync();
                    return _role;
                }
                catch (PaperStoreException ex) when (ex.Kind == StoreErrorKind.Locked)
                {
                    if (TryConnect())
                    {
                        _role = Role.Client;
                        _logger.LogDebug("{Path} is owned by another process; working through its socket {Socket}", _context.DatabasePath, SocketPath);
                        return _role;
                    }

                    var waited = RealTime.GetElapsedTime(started);
                    if (waited >= _options.WaitForOwner)
                    {
                        throw new PaperStoreException(
                            $"database file '{_context.DatabasePath}' is locked by another process that did not share it within {_options.WaitForOwner.TotalSeconds:0.#} s " +
                            $"(Storage:WaitForOwner; it shares at {SocketPath}). Is an older paperbot, or another program, holding it?",
                            _context.DatabasePath, ex, StoreErrorKind.Locked);
                    }

                    // The owner is a one-off command that finishes in moments, or one about to share: try again shortly.
                    Task.Delay(TimeSpan.FromMilliseconds(50), RealTime).GetAwaiter().GetResult();
                }
            }
        }
    }

    private bool TryConnect()
    {
        if (!File.Exists(SocketPath))
        {
            return false;
        }

        var remote = new RemoteStore(SocketPath, _context.DatabasePath);
        try
        {
            remote.Call<StoreInfo>("info", timeout: TimeSpan.FromSeconds(5));
            _remote = remote;
            return true;
        }
        catch (Exception ex) when (ex is OwnerUnavailableException or IOException or PaperStoreException)
        {
            remote.Dispose();
            return false;
        }
    }

    private async Task<StoreServer?> ShareLaterAsync()
    {
        if (_context.ReadOnly)
        {
            return null;
        }

        try
        {
            await Task.Delay(_options.ShareAfter, RealTime, _stopping.Token).ConfigureAwait(false);
            var server = await StoreServer.StartAsync(SocketPath, _store, _records, LocalSearch, _index, _loggers, _stopping.Token).ConfigureAwait(false);
            _logger.LogDebug("Sharing {Path} with other paperbot processes on {Socket}", _context.DatabasePath, SocketPath);
            return server;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Not fatal: this process keeps working; others wait for it to exit instead.
            _logger.LogWarning("Cannot share {Path} on {Socket}: {Error}. Other paperbot processes will wait until this one exits.", _context.DatabasePath, SocketPath, ex.Message);
            return null;
        }
    }

    public void Dispose()
    {
        Task<StoreServer?>? server;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            server = _server;
            _remote?.Dispose();
        }

        _stopping.Cancel();
        if (server is not null)
        {
            try
            {
                if (server.GetAwaiter().GetResult() is { } s)
                {
                    s.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                _logger.LogDebug("Stopping the database socket: {Error}", ex.Message);
            }
        }

        _stopping.Dispose();
    }
}
