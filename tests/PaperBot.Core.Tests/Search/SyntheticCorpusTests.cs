using PaperBot.Core.Search;
using PaperBot.Core.Search.Synthetic;
using PaperBot.Testing;

namespace PaperBot.Core.Tests.Search;

public sealed class SyntheticCorpusTests
{
    [Fact]
    public void Is_deterministic_and_paper_shaped()
    {
        var a = new SyntheticCorpus(seed: 5);
        var b = new SyntheticCorpus(seed: 5);
        for (var i = 0; i < 200; i++)
        {
            var p = a.Paper(i);
            var q = b.Paper(i);
            Assert.Equal(p.Title, q.Title);
            Assert.Equal(p.Abstract, q.Abstract);
            Assert.Equal(p.Authors, q.Authors);
            var words = p.Abstract.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.InRange(words, 150, 260);
            Assert.InRange(p.Authors.Count, 1, 8);
            Assert.InRange(p.Published!.Value, SyntheticCorpus.FirstDate, SyntheticCorpus.LastDate);
            Assert.True(p.Upvotes >= 0);
        }

        Assert.NotEqual(a.Paper(0).Abstract, new SyntheticCorpus(seed: 6).Paper(0).Abstract);
        Assert.Equal(1000, a.Papers(1000).Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Word_frequencies_are_zipfian()
    {
        var corpus = new SyntheticCorpus();
        var counts = corpus.Papers(300)
            .SelectMany(p => p.Abstract.ToLowerInvariant().Split([' ', '.'], StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(w => w)
            .Select(g => g.Count())
            .OrderDescending()
            .ToArray();
        // Rank 1 is roughly twice rank 2 and ten times rank 10 (s ≈ 1.07); a long tail of rare words.
        Assert.InRange((double)counts[0] / counts[1], 1.5, 2.8);
        Assert.InRange((double)counts[0] / counts[9], 7, 18);
        Assert.True(counts.Count(c => c == 1) > counts.Length / 4);
    }

    [Fact]
    public void Queries_are_varied_and_the_benchmark_reports_its_measurements()
    {
        var corpus = new SyntheticCorpus();
        var queries = corpus.Queries(300, 2000);
        Assert.InRange(queries.Select(q => q.Text).Distinct().Count(), 290, 300);
        Assert.Contains(queries, q => q.From is not null);
        Assert.Contains(queries, q => q.MinUpvotes is not null);
        Assert.Contains(queries, q => q.AuthorOrOrganization is not null);
        Assert.Contains(queries, q => q.Sort != SearchSort.Relevance);
        Assert.InRange(queries.Count(q => q.From is null && q.MinUpvotes is null && q.AuthorOrOrganization is null && q.Sort == SearchSort.Relevance), 150, 260);

        using var tmp = new TempDir();
        var stores = new List<InMemoryPaperStore>();
        var r = SearchBenchmark.Run(2000, tmp.Path, _ =>
        {
            var s = new InMemoryPaperStore();
            stores.Add(s);
            return s;
        }, queryCount: 100);
        Assert.Equal(2000, stores.Single().Count());
        Assert.Equal(2000, r.Papers);
        Assert.Equal(100, r.All.Count);
        Assert.Equal(r.All.Count, r.Plain.Count + r.Filtered.Count);
        Assert.True(r.All.P50Ms <= r.All.P95Ms && r.All.P95Ms <= r.All.P99Ms && r.All.P99Ms <= r.All.MaxMs);
        Assert.True(r.IngestPapersPerSecond > 0);
        Assert.True(r.IndexBytes > 100_000);
        Assert.True(r.PeakRssBytes > 10_000_000);
    }

    [Fact]
    public void Percentiles_use_nearest_rank()
    {
        var ms = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var s = LatencySummary.Of(ms);
        Assert.Equal(50, s.P50Ms);
        Assert.Equal(95, s.P95Ms);
        Assert.Equal(99, s.P99Ms);
        Assert.Equal(100, s.MaxMs);
    }
}
