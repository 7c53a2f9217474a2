namespace PaperBot.Storage;

/// <summary>
/// A database file stream whose flushes reach the operating system but not the disk: LiteDB's log writer flushes
/// "to disk" every time its page queue runs empty, which during a bulk upsert means an fsync every one or two pages
/// (measured: 14,700 fsyncs for 20,000 papers). <see cref="LiteDbContext"/> instead makes one durable sync point
/// per write operation (<see cref="LiteDbContext.SyncToDisk"/>: checkpoint, then <see cref="SyncToDisk"/>).
/// A process crash loses nothing that was committed (the OS has the writes); only a power cut between two sync
/// points can lose the last operation, never corrupt older data, because LiteDB's log only confirms whole transactions.
/// <para>
/// It also keeps a damaged file byte-identical: when LiteDB meets a damaged page it marks the whole file invalid by
/// writing one byte in the header (so that the next open rebuilds, i.e. rewrites, it). PaperBot never lets it: the
/// error is reported, the file stays as it was, and `paperbot repair` rebuilds a copy.
/// </para>
/// </summary>
internal sealed class SyncPointFileStream : FileStream
{
    private readonly WriteFault _fault;

    /// <summary>LiteDB 5's header offset of its "invalid datafile state" flag (HeaderPage.P_INVALID_DATAFILE_STATE).</summary>
    internal const long InvalidStateFlagOffset = 191;

    public SyncPointFileStream(string path, bool isDataFile, WriteFault fault)
        : base(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 8192, FileOptions.RandomAccess)
    {
        IsDataFile = isDataFile;
        _fault = fault;
    }

    private bool IsDataFile { get; }

    /// <summary>True once LiteDB tried to mark the file invalid (it met a damaged page).</summary>
    public bool InvalidStateRefused { get; private set; }

    /// <summary>Writes buffered bytes to the OS; the durable flush is <see cref="SyncToDisk"/>.</summary>
    public override void Flush(bool flushToDisk) => Record(() => base.Flush(false));

    /// <summary>Flushes everything written so far to the storage device.</summary>
    public void SyncToDisk() => Record(() => base.Flush(true));

    /// <summary>
    /// Runs a write unless an earlier one failed. A failed write (ENOSPC, EIO) is recorded, not thrown: LiteDB meets it
    /// on its background writer thread, where it closes its engine and leaves the caller waiting forever (the issue's
    /// 10-minute hang) or failing with ObjectDisposedException. From the first failure on, nothing more reaches either
    /// file, so both stay as a power cut at that moment would leave them: the data file at its last checkpoint, the
    /// log with only whole, confirmed transactions replayed on the next open. The context sees the fault after the
    /// operation and reports it (<see cref="LiteDbContext"/>), and refuses every later write.
    /// </summary>
    private void Record(Action write)
    {
        if (_fault.Error is not null)
        {
            return;
        }

        try
        {
            write();
        }
        catch (IOException ex)
        {
            _fault.Set(ex);
        }
    }

    public override void SetLength(long value) => Record(() => base.SetLength(value));

    public override void WriteByte(byte value)
    {
        if (RefuseFlag([value]))
        {
            return;
        }

        Record(() => base.WriteByte(value));
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (RefuseFlag(buffer.AsSpan(offset, count)))
        {
            return;
        }

        Record(() => base.Write(buffer, offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (RefuseFlag(buffer))
        {
            return;
        }

        if (_fault.Error is not null)
        {
            return;
        }

        try
        {
            base.Write(buffer);
        }
        catch (IOException ex)
        {
            _fault.Set(ex);
        }
    }

    private bool RefuseFlag(ReadOnlySpan<byte> data)
    {
        // A healthy header always has 0 at the flag's offset, so a write putting anything else there is the mark
        // (LiteDB writes either the flag byte or the header page read back with the flag set): skip it whole.
        var pos = Position;
        if (IsDataFile && pos <= InvalidStateFlagOffset && pos + data.Length > InvalidStateFlagOffset && data[(int)(InvalidStateFlagOffset - pos)] != 0)
        {
            InvalidStateRefused = true;
            return true;
        }

        return false;
    }
}

/// <summary>The first write failure of a database's files (shared by its data and log streams).</summary>
internal sealed class WriteFault
{
    private IOException? _error;

    public IOException? Error => Volatile.Read(ref _error);

    public void Set(IOException ex) => Interlocked.CompareExchange(ref _error, ex, null);
}

/// <summary>A read-only view of a database file for LiteDB (`--read-only`): reads pass through, any write is refused.</summary>
internal sealed class ReadOnlyDataStream(FileStream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true; // LiteDB asks for a writable stream; writes never reach the file.

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => throw ReadOnly();

    public override void Write(byte[] buffer, int offset, int count) => throw ReadOnly();

    private static IOException ReadOnly() => new("the database was opened read-only (--read-only / Storage:ReadOnly)");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
