using Microsoft.Extensions.Options;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Syntax;

namespace PaperBot.Core.Tests.Search;

public sealed class QuerySyntaxTests
{
    [Fact]
    public void Parses_phrases_exclusions_fields_and_prefixes()
    {
        var q = ParsedQuery.Parse("\"video generation\" diffus* -robot NOT agents title:consistency author:\"Jane Smith\" -\"human feedback\"");
        Assert.Equal(["video generation"], q.Phrases);
        Assert.Equal(["diffus"], q.Prefixes);
        Assert.Equal(["robot", "agents", "human feedback"], q.Excluded);
        Assert.Equal(["consistency"], q.Title);
        Assert.Equal(["Jane Smith"], q.Authors);
        Assert.Equal("video generation diffus consistency", q.RankedText);
        Assert.Empty(q.Notes);
        Assert.True(q.HasConstraints);
    }

    [Theory]
    [InlineData("foo:bar baz", "'foo:' is not a search field")]
    [InlineData("\"open phrase", "was not closed")]
    [InlineData("diffusion AND video", "'AND' is not an operator")]
    [InlineData("*fix", "* works only at the end of a word")]
    [InlineData("video NOT", "'NOT' at the end")]
    [InlineData("-author:smith video", "Excluding an author is not supported")]
    public void What_is_not_supported_gets_a_one_line_explanation(string text, string expected)
    {
        var q = ParsedQuery.Parse(text);
        Assert.Contains(expected, q.Explanation);
        Assert.Contains(ParsedQuery.Help, q.Explanation);
        Assert.DoesNotContain('\n', q.Explanation);
    }

    [Fact]
    public void Plain_text_urls_and_hyphenated_words_are_left_alone()
    {
        var q = ParsedQuery.Parse("state-of-the-art https://arxiv.org/abs/2401.01234 e.g. x-ray");
        Assert.Empty(q.Notes);
        Assert.Empty(q.Excluded);
        Assert.Equal("state-of-the-art https://arxiv.org/abs/2401.01234 e.g. x-ray", q.RankedText);
    }
}

/// <summary>The syntax through the real Lucene index (lexical search service).</summary>
public sealed class QuerySyntaxSearchTests : IDisposable
{
    private readonly InMemoryPaperStore _store = new();
    private readonly LuceneSearchService _search;

    public QuerySyntaxSearchTests()
    {
        _store.Upsert(LuceneSearchServiceTests.Corpus());
        _search = new LuceneSearchService(_store, Options.Create(new SearchOptions { IndexPath = SearchOptions.InMemory }));
    }

    public void Dispose() => _search.Dispose();

    private List<string> Ids(string text) => _search.Search(new SearchQuery(text) { Top = 10 }).Select(h => h.Paper.Id).ToList();

    [Fact]
    public void Quoted_phrase_must_occur_in_order()
    {
        Assert.Contains("p-rl", Ids("reinforcement learning"));
        Assert.Equal(["p-rl"], Ids("\"reward models\""));
        Assert.Empty(Ids("\"models reward\""));
    }

    [Fact]
    public void Excluded_words_and_phrases_remove_papers()
    {
        var all = Ids("diffusion");
        Assert.Contains("p-undated", all);
        Assert.DoesNotContain("p-undated", Ids("diffusion -robot"));
        Assert.DoesNotContain("p-undated", Ids("diffusion NOT robot"));
        Assert.DoesNotContain("p-video", Ids("diffusion -\"temporal attention\""));
    }

    [Fact]
    public void Title_and_author_fields_restrict_the_match()
    {
        Assert.Equal(["p-image"], Ids("diffusion title:consistency"));
        Assert.Equal(["p-video", "p-undated"], Ids("diffusion author:\"Jane Smith\"").Order().Reverse().ToList());
        Assert.DoesNotContain("p-rl", Ids("author:\"Jane Smith\"")); // "Jane Smithson" is not "Jane Smith"
    }

    [Fact]
    public void Prefix_matches_words_starting_with_it()
    {
        var hits = Ids("transform*");
        Assert.Equal(["p-math"], hits);
        Assert.Empty(Ids("zzq*"));
    }

    [Fact]
    public void Hits_carry_a_calibrated_relevance_that_is_low_for_everyday_words()
    {
        var specific = _search.Search(new SearchQuery("consistency distillation image diffusion"));
        var everyday = _search.Search(new SearchQuery("what is the best large state of the art oven for pizza"));
        Assert.All(specific.Concat(everyday), h => Assert.InRange(h.Relevance!.Value, 0, 1));
        Assert.True(specific[0].Relevance > RelevanceModel.NothingRelevantBelow);
        Assert.True(everyday.Count == 0 || everyday[0].Relevance < RelevanceModel.NothingRelevantBelow);
    }
}
