using LiteDB;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>
/// Owns the single <see cref="LiteDatabase"/> for the configured file, shared (as a DI singleton) by the paper store and
/// every <c>IRecordStore&lt;T&gt;</c>. The file is opened lazily on first use, guarded by an exclusive lock file
/// ("&lt;db&gt;.lock") so a second process gets a clear "locked" error instead of writing into the same file.
/// A corrupt or unreadable file is never replaced: opening it throws <see cref="PaperStoreException"/>.
/// </summary>
public sealed class LiteDbContext : IDisposable
{
    internal const string MetaCollection = "meta";

    private const int HeaderOffset = 32;
    private static readonly byte[] HeaderMagic = "** This is a LiteDB file **"u8.ToArray();
    private readonly object _openLock = new();
    private LiteDatabase? _db;
    private FileStream? _lockFile;
    private SyncPointFileStream? _dataStream;
    private SyncPointFileStream? _logStream;
    private bool _disposed;

    public LiteDbContext(IOptions<StorageOptions> options)
        : this(options.Value.DatabasePath)
    {
    }

    public LiteDbContext(string databasePath)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
        {
            throw new ArgumentException("Storage:DatabasePath is empty: set it in appsettings.json or pass --db PATH.", nameof(databasePath));
        }

        DatabasePath = Path.GetFullPath(databasePath);
    }

    public string DatabasePath { get; }

    /// <summary>LiteDB's write-ahead log file next to the database ("name-log.ext", LiteDB's own naming).</summary>
    internal string LogPath => Path.Combine(
        Path.GetDirectoryName(DatabasePath) ?? "",
        Path.GetFileNameWithoutExtension(DatabasePath) + "-log" + Path.GetExtension(DatabasePath));

    /// <summary>
    /// The durable sync point after a write operation: waits for LiteDB's log writer, checkpoints the log into the
    /// data file and fsyncs both files. Called once per upsert/delete/record write, not per page.
    /// </summary>
    internal void SyncToDisk()
    {
        var db = Database;
        lock (_openLock)
        {
            db.Checkpoint();
            _logStream?.SyncToDisk();
            _dataStream?.SyncToDisk();
        }
    }

    /// <summary>Serialises writers that need read-modify-write consistency (the paper upsert and revision counter).</summary>
    internal object WriteLock { get; } = new();

    /// <summary>The open database (opened on first access).</summary>
    public LiteDatabase Database
    {
        get
        {
            var db = Volatile.Read(ref _db);
            if (db is not null)
            {
                return db;
            }

            lock (_openLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _db ??= Open();
            }
        }
    }

    /// <summary>Runs a database operation, turning LiteDB's corruption errors into a <see cref="PaperStoreException"/> naming the file.</summary>
    internal T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (LiteException ex) when (ex.ErrorCode != LiteException.INDEX_DUPLICATE_KEY)
        {
            throw Corrupt(ex.Message, ex);
        }
        catch (IOException ex)
        {
            throw new PaperStoreException($"cannot read or write the database file '{DatabasePath}': {ex.Message}", DatabasePath, ex);
        }
    }

    internal void Guard(Action operation) => Guard(() =>
    {
        operation();
        return true;
    });

    private LiteDatabase Open()
    {
        var dir = Path.GetDirectoryName(DatabasePath);
        try
        {
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PaperStoreException($"cannot create the directory '{dir}' for the database file '{DatabasePath}': {ex.Message}", DatabasePath, ex);
        }

        if (Directory.Exists(DatabasePath))
        {
            throw new PaperStoreException($"database path '{DatabasePath}' is a directory, not a file: set Storage:DatabasePath (or --db) to a file path.", DatabasePath);
        }

        _lockFile = AcquireLock();
        try
        {
            CheckHeader();
        }
        catch
        {
            ReleaseLock();
            throw;
        }

        LiteDatabase? db = null;
        try
        {
            // LiteDB's own file streams fsync every time its log writer's queue runs dry (every page or two during a
            // bulk upsert); these streams leave durability to SyncToDisk, called once per write operation.
            _dataStream = new SyncPointFileStream(DatabasePath);
            _logStream = new SyncPointFileStream(LogPath);
            db = new LiteDatabase(_dataStream, mapper: null, logStream: _logStream);

            // Touch the header, the collection list and the meta collection so a damaged file fails here, not later.
            _ = db.GetCollectionNames().ToList();
            var meta = db.GetCollection(MetaCollection);
            _ = meta.FindAll().ToList();
            return db;
        }
        catch (Exception ex) when (ex is IOException && IsLockViolation((IOException)ex))
        {
            db?.Dispose();
            ReleaseLock();
            throw Locked(ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            db?.Dispose();
            ReleaseLock();
            throw Corrupt(ex.Message, ex);
        }
    }

    /// <summary>
    /// Refuses anything that is not a LiteDB file before LiteDB sees it: LiteDB would otherwise initialise a short
    /// non-database file as a fresh database, overwriting it.
    /// </summary>
    private void CheckHeader()
    {
        if (!File.Exists(DatabasePath))
        {
            return;
        }

        byte[] head;
        try
        {
            using var fs = new FileStream(DatabasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (fs.Length == 0)
            {
                return;
            }

            head = new byte[HeaderOffset + HeaderMagic.Length];
            var read = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (read < head.Length)
            {
                throw Corrupt($"only {fs.Length} bytes, too short for a LiteDB file", null);
            }
        }
        catch (IOException ex)
        {
            throw Locked(ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PaperStoreException($"cannot read the database file '{DatabasePath}': permission denied ({ex.Message}).", DatabasePath, ex);
        }

        if (!head.AsSpan(HeaderOffset).SequenceEqual(HeaderMagic))
        {
            throw Corrupt("it is not a LiteDB database file (wrong header; encrypted files are not supported)", null);
        }
    }

    private PaperStoreException Corrupt(string reason, Exception? inner) => new(
        $"database file '{DatabasePath}' is corrupt or unreadable: {reason.TrimEnd('.')}. It was NOT replaced: " +
        "restore it from a backup, or move it away (or point Storage:DatabasePath / --db elsewhere) to start a new database.",
        DatabasePath,
        inner);

    private FileStream AcquireLock()
    {
        var lockPath = DatabasePath + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw Locked(ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PaperStoreException($"cannot open the database file '{DatabasePath}': no permission to create '{lockPath}' ({ex.Message}).", DatabasePath, ex);
        }
    }

    private PaperStoreException Locked(Exception ex) => new(
        $"database file '{DatabasePath}' is locked by another process (is another paperbot running?). " +
        "Stop it, or use another file with --db / Storage:DatabasePath.",
        DatabasePath,
        ex);

    private static bool IsLockViolation(IOException ex) =>
        ex.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase) ||
        ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase) ||
        ex.HResult is 32 or 33 or unchecked((int)0x80070020) or unchecked((int)0x80070021) or 11;

    private void ReleaseLock()
    {
        _dataStream?.Dispose();
        _dataStream = null;
        _logStream?.Dispose();
        _logStream = null;
        _lockFile?.Dispose();
        _lockFile = null;
    }

    public void Dispose()
    {
        lock (_openLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _db?.Dispose();
            _db = null;
            try
            {
                _logStream?.SyncToDisk();
                _dataStream?.SyncToDisk();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Closing anyway: the OS still has every byte that was written.
            }

            ReleaseLock();
        }
    }
}
