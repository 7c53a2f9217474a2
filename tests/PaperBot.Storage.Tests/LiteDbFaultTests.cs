using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Storage.Tests;

public sealed class LiteDbFaultTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Corrupt_file_throws_naming_the_file_and_is_not_replaced()
    {
        var path = _dir.File("broken.db");
        var garbage = new byte[20000];
        new Random(42).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        using var ctx = new LiteDbContext(path);
        var store = new LiteDbPaperStore(ctx);
        var ex = Assert.Throws<PaperStoreException>(() => store.Count());
        Assert.Contains(path, ex.Message);
        Assert.Contains("corrupt", ex.Message);
        Assert.Contains("NOT changed", ex.Message);
        Assert.Contains("paperbot repair", ex.Message);
        Assert.Equal(StoreErrorKind.Corrupt, ex.Kind);
        Assert.Equal(garbage, File.ReadAllBytes(path));

        // Still failing on a second attempt: never an empty DB silently created over it.
        Assert.Throws<PaperStoreException>(() => store.Upsert([new Paper { Title = "x" }]));
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void Text_garbage_is_reported_as_corrupt()
    {
        var path = _dir.File("text.db");
        File.WriteAllText(path, "this is not a database\n");
        using var ctx = new LiteDbContext(path);
        var ex = Assert.Throws<PaperStoreException>(() => ctx.Database);
        Assert.Contains(path, ex.Message);
        Assert.Equal("this is not a database\n", File.ReadAllText(path));
    }

    [Fact]
    public void File_locked_by_another_store_gives_a_clear_error()
    {
        var path = _dir.File("locked.db");
        using var first = new LiteDbContext(path);
        new LiteDbPaperStore(first).Upsert([new Paper { Title = "Kept" }]);

        using var second = new LiteDbContext(path);
        var ex = Assert.Throws<PaperStoreException>(() => new LiteDbPaperStore(second).Count());
        Assert.Contains(path, ex.Message);
        Assert.Contains("locked", ex.Message);

        // The first owner is unaffected; after it closes, the file opens with the data intact.
        Assert.Equal(1, new LiteDbPaperStore(first).Count());
        first.Dispose();
        using var third = new LiteDbContext(path);
        Assert.Equal(1, new LiteDbPaperStore(third).Count());
    }

    [Fact]
    public void File_held_exclusively_by_another_handle_gives_a_clear_error()
    {
        var path = _dir.File("held.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert([new Paper { Title = "Kept" }]);
        }

        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            using var ctx = new LiteDbContext(path);
            var ex = Assert.Throws<PaperStoreException>(() => ctx.Database);
            Assert.Contains(path, ex.Message);
            Assert.Contains("locked", ex.Message);
        }

        using var again = new LiteDbContext(path);
        Assert.Equal(1, new LiteDbPaperStore(again).Count());
    }

    [Fact]
    public void Damaged_pages_in_a_real_database_are_reported_and_the_file_kept()
    {
        var path = _dir.File("damaged.db");
        using (var ctx = new LiteDbContext(path))
        {
            new LiteDbPaperStore(ctx).Upsert(Enumerable.Range(0, 300).Select(i => new Paper { Title = $"Paper {i}", Abstract = new string('x', 500) }));
        }

        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8192 * 4);
        var rng = new Random(7);
        var garbage = new byte[bytes.Length - 8192];
        rng.NextBytes(garbage);
        garbage.CopyTo(bytes, 8192); // keep the header page, trash every other page
        File.WriteAllBytes(path, bytes);

        using var broken = new LiteDbContext(path);
        var ex = Assert.Throws<PaperStoreException>(() => new LiteDbPaperStore(broken).All().ToList());
        Assert.Contains(path, ex.Message);
        Assert.Contains("corrupt", ex.Message);

        // Nothing replaced: every data page is byte-identical (LiteDB may only set its "invalid state" flag in the header page).
        var after = File.ReadAllBytes(path);
        Assert.Equal(bytes.Length, after.Length);
        Assert.Equal(bytes.AsSpan(8192).ToArray(), after.AsSpan(8192).ToArray());
        Assert.Equal("** This is a LiteDB file **"u8.ToArray(), after.AsSpan(32, 27).ToArray());
        Assert.Throws<PaperStoreException>(() => new LiteDbPaperStore(broken).All().ToList());
    }

    [Fact]
    public void Directory_as_database_path_is_rejected()
    {
        using var ctx = new LiteDbContext(_dir.Path);
        var ex = Assert.Throws<PaperStoreException>(() => ctx.Database);
        Assert.Contains("directory", ex.Message);
    }
}
