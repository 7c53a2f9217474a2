using LiteDB;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>What `paperbot repair` did.</summary>
public sealed record RepairResult(string DatabasePath, string DamagedCopy, long PapersRecovered, int PagesWithErrors);

/// <summary>
/// Rebuilds a damaged database from what can still be read, without touching the damaged file: LiteDB's own rebuild
/// (which skips unreadable pages) runs on a copy; the result is checked and put in place, and the damaged file is kept
/// beside it as "&lt;db&gt;.damaged-&lt;UTC time&gt;". The database must not be in use.
/// </summary>
public static class LiteDbRepair
{
    public static RepairResult Repair(string databasePath, TimeProvider time)
    {
        var path = Path.GetFullPath(databasePath);
        if (!File.Exists(path))
        {
            throw new PaperStoreException($"database file '{path}' does not exist", path, null, StoreErrorKind.Io);
        }

        using var lockFile = AcquireLock(path);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var work = path + ".repair-" + stamp;
        var damaged = path + ".damaged-" + stamp;
        try
        {
            File.Copy(path, work, overwrite: true);
            var log = LiteDbContext.LogPathFor(path);
            if (File.Exists(log))
            {
                File.Copy(log, LiteDbContext.LogPathFor(work), overwrite: true);
            }

            // Ask LiteDB to rebuild the copy on open: the "invalid state" flag PaperBot never lets it set in place.
            using (var fs = new FileStream(work, FileMode.Open, FileAccess.ReadWrite))
            {
                fs.Position = SyncPointFileStream.InvalidStateFlagOffset;
                fs.WriteByte(1);
            }

            int errors;
            using (var db = new LiteDatabase(new ConnectionString { Filename = work, AutoRebuild = true, Connection = ConnectionType.Direct }))
            {
                errors = db.CollectionExists("_rebuild_errors") ? db.GetCollection("_rebuild_errors").Count() : 0;
                db.Checkpoint();
            }

            long papers;
            using (var check = new LiteDbContext(work))
            {
                var store = new LiteDbPaperStore(check);
                papers = store.Count();
                _ = store.All().Count();
            }

            File.Move(path, damaged);
            if (File.Exists(log))
            {
                File.Move(log, LiteDbContext.LogPathFor(damaged));
            }

            File.Move(work, path);
            return new RepairResult(path, damaged, papers, errors);
        }
        catch (LiteException ex)
        {
            throw new PaperStoreException($"repair of '{path}' failed: {ex.Message}. The damaged file is unchanged; restore a backup.", path, ex, StoreErrorKind.Corrupt);
        }
        finally
        {
            foreach (var leftover in new[] { work, LiteDbContext.LogPathFor(work), work + ".lock" })
            {
                if (File.Exists(leftover))
                {
                    File.Delete(leftover);
                }
            }

            foreach (var backup in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(work) + "*-backup*"))
            {
                File.Delete(backup);
            }
        }
    }

    private static FileStream AcquireLock(string path)
    {
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new PaperStoreException($"database file '{path}' is in use by another process: stop it (e.g. the bot) before 'paperbot repair'.", path, ex, StoreErrorKind.Locked);
        }
    }
}
