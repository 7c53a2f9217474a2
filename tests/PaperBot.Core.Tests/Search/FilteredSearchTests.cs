using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Synthetic;

namespace PaperBot.Core.Tests.Search;

/// <summary>
/// Date and upvote filters (<see cref="Int32RangeFilter"/> through <see cref="DocValuesFilterStrategy"/>) and the
/// indexed sort keys, on a synthetic index of several segments with some papers that have no date or upvotes.
/// </summary>
public sealed class FilteredSearchTests : IDisposable
{
    private readonly List<Paper> _papers;
    private readonly PaperIndex _index = PaperIndex.CreateInMemory(PaperIndexSettings.Default);
    private readonly SyntheticCorpus _corpus = new(seed: 5);

    public FilteredSearchTests()
    {
        _papers = _corpus.Papers(600).ToList();
        for (var i = 0; i < _papers.Count; i += 7)
        {
            // Papers without a date (stored as 0, which no date range admits) and without upvotes (counted as 0).
            _papers[i].Published = null;
            _papers[i].FeaturedOn = null;
            _papers[i].Upvotes = null;
        }

        for (var i = 0; i < _papers.Count; i++)
        {
            _index.Add(_papers[i]);
            if (i % 100 == 99)
            {
                _index.Commit(new Dictionary<string, string>()); // several segments, as at scale
            }
        }

        _index.Commit(new Dictionary<string, string>());
        _index.Refresh();
    }

    public void Dispose() => _index.Dispose();

    [Fact]
    public void A_filtered_search_equals_the_unfiltered_search_with_the_filter_applied_after_it()
    {
        Assert.True(_index.SegmentCount > 1, $"{_index.SegmentCount} segment(s)");
        var byId = _papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var rng = new Random(3);
        var checkedHits = 0;
        foreach (var plain in _corpus.Queries(60, _papers.Count).Select(q => q with { From = null, To = null, MinUpvotes = null, AuthorOrOrganization = null }))
        {
            var from = SyntheticCorpus.FirstDate.AddDays(rng.Next(1500));
            var filtered = new[]
            {
                plain with { From = from, To = from.AddDays(60 + rng.Next(400)) },
                plain with { From = from },
                plain with { To = from },
                plain with { MinUpvotes = rng.Next(60) },
                plain with { MinUpvotes = 0 },
                plain with { From = from, MinUpvotes = rng.Next(30) },
            };
            var all = _index.Search(plain, _papers.Count);
            foreach (var q in filtered)
            {
                var expected = all.Where(h => Admits(q, byId[h.Id])).Take(20).ToList();
                var actual = _index.Search(q, 20);
                Assert.Equal(expected.Select(h => h.Id), actual.Select(h => h.Id));
                Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score));
                checkedHits += actual.Count;
            }
        }

        Assert.True(checkedHits > 500, $"only {checkedHits} filtered hits compared");
    }

    [Fact]
    public void A_date_or_upvote_sorted_filtered_search_keeps_only_papers_in_range()
    {
        var byId = _papers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var found = 0;
        foreach (var q in _corpus.Queries(40, _papers.Count, seed: 9))
        {
            var ranged = q with { From = SyntheticCorpus.FirstDate.AddDays(200), MinUpvotes = 5, Sort = SearchSort.Date };
            var hits = _index.Search(ranged, 50);
            Assert.All(hits, h => Assert.True(Admits(ranged, byId[h.Id]), h.Id));
            var dates = hits.Select(h => DateKey(byId[h.Id])).ToList();
            Assert.Equal(dates.OrderDescending(), dates);
            found += hits.Count;
        }

        Assert.True(found > 0);
    }

    [Fact]
    public void Sort_keys_are_the_indexed_date_and_upvotes_and_unknown_ids_have_none()
    {
        var ids = _papers.Where((_, i) => i % 3 == 0).Select(p => p.Id).Append("no-such-paper").ToList();
        var keys = _index.SortKeysOf(ids);
        Assert.Equal(ids.Count - 1, keys.Count);
        Assert.False(keys.ContainsKey("no-such-paper"));
        foreach (var p in _papers.Where((_, i) => i % 3 == 0))
        {
            Assert.Equal(new SortKeys(DateKey(p), p.Upvotes ?? 0), keys[p.Id]);
        }

        Assert.Contains(keys.Values, k => k.Date == 0);
        Assert.Empty(_index.SortKeysOf([]));
    }

    private static int DateKey(Paper p) => (p.Published ?? p.FeaturedOn) is { } d ? d.Year * 10000 + d.Month * 100 + d.Day : 0;

    private static bool Admits(SearchQuery q, Paper p)
    {
        var date = p.Published ?? p.FeaturedOn;
        if ((q.From is not null || q.To is not null) && (date is null || date < q.From || date > q.To))
        {
            return false;
        }

        return q.MinUpvotes is not { } min || (p.Upvotes ?? 0) >= min;
    }
}
