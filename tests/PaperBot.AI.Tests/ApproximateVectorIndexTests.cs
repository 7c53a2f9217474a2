using PaperBot.AI.Embeddings;

namespace PaperBot.AI.Tests;

/// <summary>The opt-in inverted-file index of <see cref="VectorIndex"/>: recall against the exhaustive scan, and staying in step with writes.</summary>
public sealed class ApproximateVectorIndexTests
{
    private const int Dims = 64;

    [Fact]
    public void Recall_at_10_against_the_exhaustive_scan_is_at_least_0_98_on_clustered_vectors()
    {
        // 200 topics, 20,000 vectors around them; queries drawn from the same distribution. Not timed.
        var centroids = SyntheticVectors.RandomCentroids(200, Dims, seed: 3);
        var index = new VectorIndex(annMinRows: 1_000) { AnnProbeFraction = 0.25 };
        SyntheticVectors.Fill(index, 20_000, i => "p" + i, centroids, seed: 5);
        index.BuildAnn();
        Assert.True(index.AnnReady);

        var rng = new Random(9);
        var q = new float[Dims];
        var recall = 0.0;
        const int queries = 200;
        for (var i = 0; i < queries; i++)
        {
            SyntheticVectors.Next(rng, centroids, q);
            var exact = index.SearchExact(q, 10).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
            var approx = index.Search(q, 10);
            Assert.Equal(10, approx.Count);
            recall += approx.Count(h => exact.Contains(h.Id)) / 10.0;
        }

        Assert.True(recall / queries >= 0.98, $"recall@10 {recall / queries:F4}");
    }

    [Fact]
    public void Probing_every_list_after_upserts_changes_and_removals_equals_the_exhaustive_scan()
    {
        // With every list probed the approximate search must be exact: that holds only if every row is in exactly one
        // list after the writes made once the lists exist (new vectors, changed vectors, removals moving rows).
        var centroids = SyntheticVectors.RandomCentroids(50, Dims, seed: 4);
        var index = new VectorIndex(annMinRows: 1_000) { AnnProbeFraction = 1.0 };
        SyntheticVectors.Fill(index, 5_000, i => "p" + i, centroids, seed: 6);
        index.BuildAnn();

        var rng = new Random(12);
        var v = new float[Dims];
        for (var i = 0; i < 600; i++)
        {
            SyntheticVectors.Next(rng, centroids, v);
            index.Upsert("new" + i, v); // new rows
            SyntheticVectors.Next(rng, centroids, v);
            index.Upsert("p" + rng.Next(5_000), v); // changed rows
            index.Remove("p" + rng.Next(5_000)); // removals (the last row moves into the hole)
        }

        index.Remove("new599");
        Assert.True(index.AnnReady);
        var q = new float[Dims];
        for (var i = 0; i < 50; i++)
        {
            SyntheticVectors.Next(rng, centroids, q);
            var exact = index.SearchExact(q, 20);
            var approx = index.Search(q, 20);
            Assert.Equal(exact.Select(h => h.Id), approx.Select(h => h.Id));
            Assert.DoesNotContain(approx, h => h.Id == "new599");
        }
    }

    [Fact]
    public void Below_the_threshold_and_by_default_searches_are_exhaustive()
    {
        var centroids = SyntheticVectors.RandomCentroids(10, Dims);
        var small = new VectorIndex(annMinRows: 10_000);
        SyntheticVectors.Fill(small, 2_000, i => "p" + i, centroids);
        var byDefault = new VectorIndex();
        SyntheticVectors.Fill(byDefault, 2_000, i => "p" + i, centroids);
        var q = new float[Dims];
        SyntheticVectors.Next(new Random(1), centroids, q);

        Assert.Equal(small.SearchExact(q, 10), small.Search(q, 10));
        Assert.Equal(byDefault.SearchExact(q, 10), byDefault.Search(q, 10));
        Assert.False(small.AnnReady);
        Assert.False(byDefault.AnnReady);
    }
}
