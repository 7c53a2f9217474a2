using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Ingestion.Tests;

public sealed class SampleCorpusLoaderTests
{
    [Fact]
    public void Embedded_pages_are_the_seed_pages()
    {
        var pages = SampleCorpusLoader.ReadEmbeddedPages();
        var seed = Directory.GetFiles(TestPaths.SeedPagesDir, "*.txt").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(seed.Select(Path.GetFileName), pages.Select(p => p.Name));
        for (var i = 0; i < seed.Count; i++)
        {
            Assert.Equal(File.ReadAllText(seed[i]), pages[i].Text);
        }
    }

    [Fact]
    public async Task Loads_the_sample_into_an_empty_store_once()
    {
        using var dir = new TempDir();
        using var ctx = new LiteDbContext(dir.File("s.db"));
        var store = new LiteDbPaperStore(ctx);
        var loader = new SampleCorpusLoader(store, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));
        var first = await loader.EnsureSampleLoadedAsync();
        Assert.Equal(336, first!.Value.Added);
        Assert.Equal(336, store.Count());
        Assert.Null(await loader.EnsureSampleLoadedAsync());

        // A non-empty store is left alone by a fresh loader too.
        var other = new SampleCorpusLoader(store, TimeProvider.System);
        Assert.Null(await other.EnsureSampleLoadedAsync());
        Assert.Equal(336, store.Count());
    }

    [Fact]
    public async Task Does_not_load_into_a_store_that_has_papers()
    {
        using var dir = new TempDir();
        using var ctx = new LiteDbContext(dir.File("s.db"));
        var store = new LiteDbPaperStore(ctx);
        store.Upsert([new Paper { Title = "Mine" }]);
        Assert.Null(await new SampleCorpusLoader(store, TimeProvider.System).EnsureSampleLoadedAsync());
        Assert.Equal(1, store.Count());
    }
}
