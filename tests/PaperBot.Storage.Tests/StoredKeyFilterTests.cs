using PaperBot.Core.Papers;
using PaperBot.Testing;
using static PaperBot.Testing.Storage.StoreContractTests;

namespace PaperBot.Storage.Tests;

public sealed class StoredKeyFilterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_added_key_may_be_stored_in_any_case_and_unseen_keys_mostly_are_not()
    {
        var filter = new StoredKeyFilter();
        var added = Enumerable.Range(0, 200_000).Select(i => $"2401.{i:000000}").ToList();
        added.ForEach(filter.Add);

        Assert.All(added, k => Assert.True(filter.MayContain(k)));
        Assert.True(filter.MayContain("2401.000017".ToUpperInvariant()));
        var unseen = Enumerable.Range(0, 20_000).Count(i => filter.MayContain($"t:{i:x16}"));
        Assert.InRange(unseen, 0, 20_000 / 20);
    }

    [Fact]
    public void Keys_that_are_not_printable_ascii_are_always_looked_up()
    {
        var filter = new StoredKeyFilter();
        Assert.True(filter.MayContain("t:é"));
        Assert.True(filter.MayContain("a\u0001b"));
        Assert.False(filter.MayContain("2401.00001"));
    }

    [Fact]
    public void A_store_opened_later_on_the_same_database_sees_what_the_first_wrote_into_it_when_empty()
    {
        using var ctx = new LiteDbContext(_dir.File("empty.db"));
        var first = new LiteDbPaperStore(ctx);
        Assert.Equal(new UpsertResult(3000, 0, 0), first.Upsert(Enumerable.Range(1, 3000).Select(i => P($"2401.{i:00000}", $"Paper {i}", i))));

        // A second store on the same open file, and a later batch: the same ids, a title-only sighting of a stored title.
        var second = new LiteDbPaperStore(ctx);
        var titleOnly = new Paper { Id = PaperId.FromTitle("Paper 5"), Title = "Paper 5", Abstract = "abstract", Sources = ["test"], Upvotes = 50 };
        var result = second.Upsert([P("2401.00007", "Paper 7", 700), titleOnly]);

        Assert.Equal(0, result.Added);
        Assert.Equal(3000, second.Count());
        Assert.Equal(700, first.Get("2401.00007")!.Upvotes);
        Assert.Null(second.Get(titleOnly.Id) is { } p && p.Id != "2401.00005" ? p : null);
    }
}
