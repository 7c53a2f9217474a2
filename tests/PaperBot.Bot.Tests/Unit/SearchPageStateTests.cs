using PaperBot.Bot.Paging;
using PaperBot.Core.Search;

namespace PaperBot.Bot.Tests.Unit;

public sealed class SearchPageStateTests
{
    [Fact]
    public void Round_trips_every_field()
    {
        var s = new SearchPageState("diffusion | models", 12, SearchSort.Upvotes, new DateOnly(2024, 2, 29), new DateOnly(2026, 11, 23), 150);
        var id = s.Encode();
        Assert.True(id.Length <= 100);
        Assert.True(SearchPageState.TryDecode(id, out var back));
        Assert.Equal(s, back);
    }

    [Fact]
    public void Round_trips_without_optional_fields()
    {
        var s = new SearchPageState("rlhf", 0);
        Assert.True(SearchPageState.TryDecode(s.Encode(), out var back));
        Assert.Equal(s, back);
        Assert.Null(back.From);
        Assert.Null(back.MinUpvotes);
    }

    [Fact]
    public void Longest_fitted_query_with_all_fields_stays_within_100_chars()
    {
        var q = SearchPageState.FitQuery(string.Concat(Enumerable.Repeat("transformer ", 30)));
        Assert.True(q.Length <= SearchPageState.MaxQueryLength);
        Assert.DoesNotContain("  ", q);
        var s = new SearchPageState(new string('x', SearchPageState.MaxQueryLength), 999, SearchSort.Date, new DateOnly(2099, 12, 31), new DateOnly(2099, 12, 31), 1_000_000);
        Assert.True(s.Encode().Length <= 100, s.Encode());
    }

    [Fact]
    public void Too_long_state_is_rejected_instead_of_truncated()
    {
        var s = new SearchPageState(new string('x', 95), 1);
        Assert.Throws<ArgumentException>(() => s.Encode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sum:2401.00001")]
    [InlineData("sp|1|0|||")]
    [InlineData("sp|1|9|||||q")]
    [InlineData("sp|-1|0||||q")]
    [InlineData("sp|1|0|!!|||q")]
    public void Rejects_foreign_or_malformed_ids(string? id)
    {
        Assert.False(SearchPageState.TryDecode(id, out _));
    }
}
