namespace PaperBot.Core.Papers;

/// <summary>What went wrong with the database (drives the message, the exit code and whether a retry can help).</summary>
public enum StoreErrorKind
{
    /// <summary>The file is damaged or not a database. Nothing is changed; restore a backup or move it away.</summary>
    Corrupt,

    /// <summary>Another process holds the file and does not share it.</summary>
    Locked,

    /// <summary>The file or its folder cannot be written (permissions, read-only mount, or opened with --read-only).</summary>
    ReadOnly,

    /// <summary>The disk (or quota) is full: the write was refused, nothing committed was lost.</summary>
    DiskFull,

    /// <summary>Another I/O failure.</summary>
    Io,

    /// <summary>The process serving the database to others went away and no other could take over.</summary>
    Unavailable,
}

/// <summary>
/// The paper database cannot be used (corrupt, unreadable, read-only, full or locked). The message is meant for the
/// user as is: it names the file and says what to do. Nothing is ever replaced when this is thrown.
/// A single bad record is never reported this way: see <see cref="PaperRecordException"/>.
/// </summary>
public sealed class PaperStoreException(string message, string databasePath, Exception? inner = null, StoreErrorKind kind = StoreErrorKind.Corrupt)
    : Exception(message, inner)
{
    public string DatabasePath { get; } = databasePath;

    public StoreErrorKind Kind { get; } = kind;
}

/// <summary>One record was refused (over a size limit, a field the database cannot hold). The database is healthy.</summary>
public sealed class PaperRecordException(string message, string? paperId = null, Exception? inner = null) : ArgumentException(message, inner)
{
    public string? PaperId { get; } = paperId;
}
