using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Synthetic;

namespace PaperBot.Core.Tests.Search;

/// <summary>An index split into many segments (searched segment-parallel) ranks exactly like a one-segment index.</summary>
public sealed class SegmentedSearchTests
{
    [Fact]
    public void Many_segments_give_the_same_hits_scores_and_order_as_one()
    {
        var corpus = new SyntheticCorpus(seed: 3);
        var papers = corpus.Papers(600).ToList();
        using var single = PaperIndex.CreateInMemory(PaperIndexSettings.Default);
        using var segmented = PaperIndex.CreateInMemory(PaperIndexSettings.Default);
        foreach (var p in papers)
        {
            single.Add(p);
        }

        single.Commit(new Dictionary<string, string>());
        single.Refresh();
        for (var i = 0; i < papers.Count; i++)
        {
            segmented.Add(papers[i]);
            if (i % 50 == 49)
            {
                segmented.Commit(new Dictionary<string, string>()); // one flushed segment per 50 papers
            }
        }

        segmented.Commit(new Dictionary<string, string>());
        segmented.Refresh();
        Assert.Equal(1, single.SegmentCount);
        Assert.True(segmented.SegmentCount > 1, $"{segmented.SegmentCount} segment(s)");

        var queries = corpus.Queries(60, papers.Count)
            .Concat(corpus.Queries(20, papers.Count, seed: 11).Select(q => q with { Sort = SearchSort.Date }))
            .Concat(corpus.Queries(20, papers.Count, seed: 12).Select(q => q with { Sort = SearchSort.Upvotes }))
            .ToList();
        var nonEmpty = 0;
        foreach (var q in queries)
        {
            var expected = single.Search(q, 20);
            var actual = segmented.Search(q, 20);
            Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
            Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score));
            nonEmpty += expected.Count > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty > queries.Count / 2, $"only {nonEmpty} of {queries.Count} queries found anything");
    }
}
