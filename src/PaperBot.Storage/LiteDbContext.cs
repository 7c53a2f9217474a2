using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>
/// Owns the single <see cref="LiteDatabase"/> for the configured file, shared (as a DI singleton) by the paper store and
/// every <c>IRecordStore&lt;T&gt;</c>. The file is opened lazily on first use, guarded by an exclusive lock file
/// ("&lt;db&gt;.lock"), so a second process gets <see cref="StoreErrorKind.Locked"/> (and PaperBot.Storage.Sharing then
/// talks to the process that owns the file) instead of writing into the same file.
/// <para>
/// Faults: a corrupt file is refused and left byte-identical; a read-only file or folder says so (and opens with
/// <see cref="StorageOptions.ReadOnly"/>); a full disk fails the write with <see cref="StoreErrorKind.DiskFull"/>,
/// and everything committed before stays. Every error is a <see cref="PaperStoreException"/> naming the file.
/// </para>
/// </summary>
public sealed class LiteDbContext : IDisposable
{
    internal const string MetaCollection = "meta";

    private const int HeaderOffset = 32;
    private const int PageSize = 8192;
    private static readonly byte[] HeaderMagic = "** This is a LiteDB file **"u8.ToArray();
    private readonly object _openLock = new();
    private LiteDatabase? _db;
    private FileStream? _lockFile;
    private SyncPointFileStream? _dataStream;
    private SyncPointFileStream? _logStream;
    private PaperStoreException? _failed;
    private readonly WriteFault _fault = new();

    // Why a gate of our own: LiteDB 5.0.20's checkpoint clears its page cache and asserts that no page is in use
    // ("must have no pages in use when call Clear() cache", litedb-org/LiteDB #1940/#2480). Its own exclusive lock
    // did not always keep other threads' pages out, and the assertion leaves the engine unusable. Every database
    // operation runs inside Guard, which holds this gate shared; a checkpoint holds it exclusively, so it only runs
    // when no other thread of this process is inside LiteDB at all. LiteDB's automatic checkpoint (inside a commit,
    // while others read) is switched off; PaperBot checkpoints at its own sync points.
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);
    private readonly ThreadLocal<bool> _syncPending = new();

    /// <summary>Collections known to exist in the file (see <see cref="EnsureCollections"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _collections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key of the document that creates a collection (inserted and deleted in one exclusive step).</summary>
    private const string CreationMarker = "\u0001paperbot-create";
    private bool _disposed;

    /// <summary>The log size (LiteDB's default: 1000 pages) past which a long write checkpoints between its batches.</summary>
    internal const long CheckpointLogBytes = 1000L * PageSize;

    public LiteDbContext(IOptions<StorageOptions> options)
        : this(options.Value.DatabasePath, options.Value.ReadOnly)
    {
    }

    public LiteDbContext(string databasePath, bool readOnly = false)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
        {
            throw new ArgumentException("Storage:DatabasePath is empty: set it in appsettings.json or pass --db PATH.", nameof(databasePath));
        }

        DatabasePath = Path.GetFullPath(databasePath);
        ReadOnly = readOnly;
    }

    public string DatabasePath { get; }

    /// <summary>Opened with --read-only: nothing is written to the file or its folder.</summary>
    public bool ReadOnly { get; }

    /// <summary>LiteDB's write-ahead log file next to the database ("name-log.ext", LiteDB's own naming).</summary>
    internal string LogPath => LogPathFor(DatabasePath);

    internal static string LogPathFor(string databasePath) => Path.Combine(
        Path.GetDirectoryName(databasePath) ?? "",
        Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));

    /// <summary>True once the file has been opened by this process (it owns the lock).</summary>
    public bool IsOpen => Volatile.Read(ref _db) is not null;

    /// <summary>
    /// The durable sync point after a write operation: checkpoints the log into the data file and fsyncs both files.
    /// Called once per upsert/delete/record write, not per page.
    /// </summary>
    internal void SyncToDisk()
    {
        if (_gate.IsReadLockHeld)
        {
            // Inside an operation: the outermost Guard runs it once the operation has left LiteDB.
            _syncPending.Value = true;
            return;
        }

        Exclusive(CheckpointAndSync);
    }

    /// <summary>The write's log is large enough to be worth moving into the data file now (see <see cref="CheckpointLogBytes"/>).</summary>
    internal bool LogIsLarge => _logStream is { } log && log.Length > CheckpointLogBytes;

    private void CheckpointAndSync()
    {
        var db = Database;
        lock (_openLock)
        {
            db.Checkpoint();
            _logStream?.SyncToDisk();
            _dataStream?.SyncToDisk();
        }
    }

    /// <summary>Runs <paramref name="action"/> while no other thread of this process is inside LiteDB.</summary>
    private void Exclusive(Action action)
    {
        if (_gate.IsWriteLockHeld)
        {
            action();
            return;
        }

        _gate.EnterWriteLock();
        try
        {
            action();
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    /// <summary>Serialises every writer (paper upserts and the revision counter, record writes, backups).</summary>
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
                if (_failed is not null)
                {
                    throw _failed;
                }

                return _db ??= ReadOnly ? OpenReadOnly() : Open();
            }
        }
    }

    /// <summary>Opens the file now (errors surface here, as <see cref="PaperStoreException"/>).</summary>
    public void EnsureOpen() => _ = Database;

    /// <summary>Refuses a write on a read-only database with a message that says what to do.</summary>
    internal void EnsureWritable(string what)
    {
        if (ReadOnly)
        {
            throw new PaperStoreException(
                $"cannot {what}: the database '{DatabasePath}' was opened read-only (--read-only / Storage:ReadOnly). " +
                "Run the command without --read-only on a writable copy.", DatabasePath, null, StoreErrorKind.ReadOnly);
        }
    }

    /// <summary>
    /// Creates those of <paramref name="names"/> that do not exist yet, while no other thread of this process is inside
    /// LiteDB. Why: LiteDB 5.0.20 adds a new collection to its shared header page when the creating transaction commits,
    /// before the collection's page reaches the write-ahead index; a thread that reads the collection in between reads
    /// a page that is not there yet ("page type must be collection page") and the engine shuts down. Every write path
    /// calls this before it first writes to a collection; after that it is a dictionary lookup. Call it outside
    /// <see cref="Guard{T}"/>, with or without <see cref="WriteLock"/> held (the lock order is WriteLock, then the gate).
    /// </summary>
    internal void EnsureCollections(params ReadOnlySpan<string> names)
    {
        if (ReadOnly)
        {
            return;
        }

        List<string>? missing = null;
        foreach (var name in names)
        {
            if (!_collections.ContainsKey(name))
            {
                (missing ??= []).Add(name);
            }
        }

        if (missing is null)
        {
            return;
        }

        if (_gate.IsReadLockHeld)
        {
            throw new InvalidOperationException("EnsureCollections must be called outside a database operation.");
        }

        // Guard inside the exclusive gate: the same error handling, and SyncToDisk runs at once (no reader to wait for).
        Exclusive(() => Guard(() =>
        {
            var db = Database;
            var created = false;
            foreach (var name in missing)
            {
                if (!db.CollectionExists(name))
                {
                    // LiteDB has no "create collection": the first insert creates it; the marker goes again at once.
                    var collection = db.GetCollection(name);
                    collection.Insert(new BsonDocument { ["_id"] = CreationMarker });
                    collection.Delete(CreationMarker);
                    created = true;
                }
            }

            if (created)
            {
                SyncToDisk();
            }
        }));

        foreach (var name in missing)
        {
            _collections.TryAdd(name, true);
        }
    }

    /// <summary>Runs a database operation, turning LiteDB and I/O errors into a <see cref="PaperStoreException"/> naming the file.</summary>
    internal T Guard<T>(Func<T> operation)
    {
        if (_failed is not null)
        {
            throw new PaperStoreException(_failed.Message, DatabasePath, _failed, _failed.Kind);
        }

        var outermost = !_gate.IsReadLockHeld && !_gate.IsWriteLockHeld;
        try
        {
            T result;
            if (outermost)
            {
                _gate.EnterReadLock();
            }

            try
            {
                result = operation();
            }
            finally
            {
                if (outermost)
                {
                    _gate.ExitReadLock();
                }
            }

            if (outermost && _syncPending.Value)
            {
                _syncPending.Value = false;
                Exclusive(CheckpointAndSync);
            }

            ThrowIfWriteFailed();
            return result;
        }
        catch (PaperStoreException)
        {
            throw;
        }
        catch (Exception ex) when (_fault.Error is { } cause && ex is not OutOfMemoryException)
        {
            // Whatever LiteDB made of a write that failed underneath it, the cause is the failed write.
            throw Fail(IoError(cause));
        }
        catch (LiteException ex) when (IsRecordError(ex))
        {
            throw new PaperRecordException($"the database refused the record: {ex.Message}", null, ex);
        }
        catch (LiteException ex)
        {
            throw Fail(Corrupt(ex.Message, ex));
        }
        catch (IOException ex)
        {
            throw Fail(IoError(ex));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Fail(ReadOnlyError($"no permission to write it ({ex.Message})", ex));
        }
        catch (Exception ex) when (ex is ObjectDisposedException or LiteException { ErrorCode: LiteException.ENGINE_DISPOSED } && _failed is not null)
        {
            throw new PaperStoreException(_failed.Message, DatabasePath, ex, _failed.Kind);
        }
        finally
        {
            if (outermost)
            {
                // An operation that failed after asking for a sync point leaves its log for the next one.
                _syncPending.Value = false;
            }
        }
    }

    internal void Guard(Action operation) => Guard(() =>
    {
        operation();
        return true;
    });

    private void ThrowIfWriteFailed()
    {
        if (_fault.Error is { } cause)
        {
            throw Fail(IoError(cause));
        }
    }

    /// <summary>LiteDB errors about one document (not about the file).</summary>
    private static bool IsRecordError(LiteException ex) => ex.ErrorCode is LiteException.INDEX_DUPLICATE_KEY or LiteException.INVALID_INDEX_KEY
        or LiteException.DOCUMENT_MAX_DEPTH or LiteException.INVALID_NULL_CHAR_STRING or LiteException.INVALID_DATA_TYPE
        or LiteException.INVALID_FORMAT;

    /// <summary>
    /// After a failed write LiteDB closes its engine; later calls must get the same clear error (not an
    /// ObjectDisposedException), and the process must not write again until restarted.
    /// </summary>
    private PaperStoreException Fail(PaperStoreException error)
    {
        if (error.Kind is StoreErrorKind.Corrupt or StoreErrorKind.DiskFull or StoreErrorKind.Io)
        {
            lock (_openLock)
            {
                _failed ??= error;
            }
        }

        return error;
    }

    private PaperStoreException IoError(IOException ex) => IsDiskFull(ex)
        ? new PaperStoreException(
            $"the disk holding the database '{DatabasePath}' is full: the last write was refused and nothing stored before it was lost. " +
            "Free some space and run the command again.", DatabasePath, ex, StoreErrorKind.DiskFull)
        : IsReadOnlyFs(ex)
            ? ReadOnlyError("it is on a read-only file system", ex)
            : new PaperStoreException($"cannot read or write the database file '{DatabasePath}': {ex.Message}", DatabasePath, ex, StoreErrorKind.Io);

    internal static bool IsDiskFull(IOException ex) =>
        ex.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027) ||
        ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) ||
        ex.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase) ||
        (ex.InnerException is IOException inner && IsDiskFull(inner));

    private static bool IsReadOnlyFs(IOException ex) =>
        ex.HResult == 30 || ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);

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
            throw new PaperStoreException(
                $"cannot create the folder '{dir}' for the database file '{DatabasePath}': {ex.Message}", DatabasePath, ex,
                ex is UnauthorizedAccessException || (ex is IOException io && IsReadOnlyFs(io)) ? StoreErrorKind.ReadOnly : StoreErrorKind.Io);
        }

        if (Directory.Exists(DatabasePath))
        {
            throw new PaperStoreException($"database path '{DatabasePath}' is a directory, not a file: set Storage:DatabasePath (or --db) to a file path.", DatabasePath, null, StoreErrorKind.Io);
        }

        _lockFile = AcquireLock();
        try
        {
            CheckHeader();
            CheckWritable();
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
            _dataStream = new SyncPointFileStream(DatabasePath, isDataFile: true, _fault);
            _logStream = new SyncPointFileStream(LogPath, isDataFile: false, _fault);
            db = new LiteDatabase(_dataStream, mapper: null, logStream: _logStream);
            if (db.CheckpointSize != 0)
            {
                db.CheckpointSize = 0; // see _gate: checkpoints happen only at PaperBot's sync points
            }

            foreach (var name in Touch(db))
            {
                _collections.TryAdd(name, true);
            }

            return db;
        }
        catch (Exception ex) when (ex is IOException io && IsLockViolation(io))
        {
            DisposeQuietly(db);
            ReleaseLock();
            throw Locked(ex);
        }
        catch (IOException ex)
        {
            DisposeQuietly(db);
            ReleaseLock();
            throw IoError(ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DisposeQuietly(db);
            ReleaseLock();
            throw Corrupt(ex.Message, ex);
        }
    }

    /// <summary>
    /// `--read-only`: no lock file, no log file, nothing written. The log (normally empty: every write ends with a
    /// checkpoint) is read into memory, so a file left with a pending log still opens with its last commits.
    /// </summary>
    private LiteDatabase OpenReadOnly()
    {
        if (!File.Exists(DatabasePath))
        {
            throw new PaperStoreException($"database file '{DatabasePath}' does not exist (opened with --read-only, so it is not created).", DatabasePath, null, StoreErrorKind.Io);
        }

        CheckHeader();
        LiteDatabase? db = null;
        try
        {
            var data = new ReadOnlyDataStream(new FileStream(DatabasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, PageSize, FileOptions.RandomAccess));
            var log = new MemoryStream();
            if (File.Exists(LogPath))
            {
                using var fs = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                fs.CopyTo(log);
                log.Position = 0;
            }

            var engine = new LiteEngine(new EngineSettings { DataStream = data, LogStream = log, ReadOnly = true });
            db = new LiteDatabase(engine, mapper: null, disposeOnClose: true);
            _ = Touch(db);
            return db;
        }
        catch (UnauthorizedAccessException ex)
        {
            DisposeQuietly(db);
            throw new PaperStoreException($"cannot read the database file '{DatabasePath}': permission denied ({ex.Message}).", DatabasePath, ex, StoreErrorKind.ReadOnly);
        }
        catch (IOException ex)
        {
            DisposeQuietly(db);
            throw IoError(ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            DisposeQuietly(db);
            throw Corrupt(ex.Message, ex);
        }
    }

    /// <summary>
    /// Touches the header, the collection list and the meta collection so a damaged file fails on open, not later.
    /// Returns the collections in the file.
    /// </summary>
    private static List<string> Touch(LiteDatabase db)
    {
        var names = db.GetCollectionNames().ToList();
        _ = db.GetCollection(MetaCollection).FindAll().ToList();
        return names;
    }

    private static void DisposeQuietly(LiteDatabase? db)
    {
        try
        {
            db?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or LiteException or ObjectDisposedException)
        {
            // Already failing; the original error is what the user needs.
        }
    }

    /// <summary>
    /// Refuses anything that is not a LiteDB file before LiteDB sees it: LiteDB would otherwise initialise a short
    /// non-database file as a fresh database, overwriting it. A file LiteDB marked invalid before PaperBot guarded
    /// it is refused too (LiteDB would rebuild it in place).
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

            head = new byte[SyncPointFileStream.InvalidStateFlagOffset + 1];
            var read = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (read < head.Length)
            {
                throw Corrupt($"only {fs.Length} bytes, too short for a LiteDB file", null);
            }
        }
        catch (IOException ex)
        {
            throw IsLockViolation(ex) ? Locked(ex) : IoError(ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PaperStoreException($"cannot read the database file '{DatabasePath}': permission denied ({ex.Message}).", DatabasePath, ex, StoreErrorKind.ReadOnly);
        }

        if (!head.AsSpan(HeaderOffset, HeaderMagic.Length).SequenceEqual(HeaderMagic))
        {
            throw Corrupt("it is not a LiteDB database file (wrong header; encrypted files are not supported)", null);
        }

        if (head[SyncPointFileStream.InvalidStateFlagOffset] != 0)
        {
            throw Corrupt("LiteDB marked it as damaged (invalid datafile state)", null);
        }
    }

    /// <summary>A file the process may read but not write is reported as read-only, not as locked or corrupt.</summary>
    private void CheckWritable()
    {
        if (!File.Exists(DatabasePath))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(DatabasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw ReadOnlyError($"no permission to write it ({ex.Message})", ex);
        }
        catch (IOException ex) when (IsReadOnlyFs(ex))
        {
            throw ReadOnlyError("it is on a read-only file system", ex);
        }
    }

    private PaperStoreException ReadOnlyError(string reason, Exception? inner) => new(
        $"database file '{DatabasePath}' is read-only: {reason}. Make it (and its folder) writable, or add --read-only " +
        "to search, show, related, trending, ask or export it without writing.", DatabasePath, inner, StoreErrorKind.ReadOnly);

    private PaperStoreException Corrupt(string reason, Exception? inner) => new(
        $"database file '{DatabasePath}' is corrupt or unreadable: {reason.TrimEnd('.')}. It was NOT changed: " +
        $"run 'paperbot repair --db {DatabasePath}' to rebuild what can be read into a new file (the damaged one is kept), " +
        "or restore it from a backup ('paperbot backup' makes one), or move it away to start a new database.",
        DatabasePath,
        inner,
        StoreErrorKind.Corrupt);

    private FileStream AcquireLock()
    {
        var lockPath = DatabasePath + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PaperStoreException(
                $"database folder '{Path.GetDirectoryName(DatabasePath)}' is read-only: cannot create the lock file '{lockPath}' ({ex.Message}). " +
                "Make the folder writable, or add --read-only to search, show, related, trending, ask or export the database without writing.",
                DatabasePath, ex, StoreErrorKind.ReadOnly);
        }
        catch (IOException ex) when (IsReadOnlyFs(ex))
        {
            throw new PaperStoreException(
                $"database folder '{Path.GetDirectoryName(DatabasePath)}' is on a read-only file system. " +
                "Add --read-only to search, show, related, trending, ask or export the database without writing.",
                DatabasePath, ex, StoreErrorKind.ReadOnly);
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            throw IoError(ex);
        }
        catch (IOException ex)
        {
            throw Locked(ex);
        }
    }

    private PaperStoreException Locked(Exception ex) => new(
        $"database file '{DatabasePath}' is locked by another process that does not share it. " +
        "Stop it, or use another file with --db / Storage:DatabasePath.",
        DatabasePath,
        ex,
        StoreErrorKind.Locked);

    private static bool IsLockViolation(IOException ex) =>
        ex.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase) ||
        ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase) ||
        ex.HResult is 32 or 33 or unchecked((int)0x80070020) or unchecked((int)0x80070021) or 11;

    /// <summary>
    /// Copies a consistent snapshot of the database to <paramref name="destination"/> (a new file): writers are held
    /// off, the log is checkpointed into the data file, and the data file is copied. Returns the bytes copied.
    /// </summary>
    internal long SnapshotTo(Stream destination)
    {
        EnsureOpen();
        lock (WriteLock)
        {
            if (!ReadOnly)
            {
                Guard(SyncToDisk);
            }

            using var source = new FileStream(DatabasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            source.CopyTo(destination, 1 << 20);
            return source.Length;
        }
    }

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
        // LiteDB checkpoints on close: wait (bounded, so a stuck caller cannot hang shutdown) for operations in flight.
        var gated = !_gate.IsReadLockHeld && !_gate.IsWriteLockHeld && _gate.TryEnterWriteLock(TimeSpan.FromSeconds(30));
        try
        {
            DisposeCore();
        }
        finally
        {
            if (gated)
            {
                _gate.ExitWriteLock();
            }
        }
    }

    private void DisposeCore()
    {
        lock (_openLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            DisposeQuietly(_db);
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
