namespace PaperBot.AI.Embeddings;

/// <summary>
/// Clustered random unit vectors for benchmarks (`bench search --mode hybrid`): 1,000 topic centroids plus noise, so
/// the scan sees realistic value ranges. Only the scan's cost is measured with them, not retrieval quality.
/// </summary>
public static class SyntheticVectors
{
    public static void Fill(VectorIndex index, int count, Func<int, string> idOf, int dimensions = Local.MiniLmModel.Dimensions, int seed = 11)
    {
        var rng = new Random(seed);
        var centroids = Enumerable.Range(0, 1000).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        index.Reserve(count, dimensions);
        var v = new float[dimensions];
        var q = new sbyte[dimensions];
        for (var i = 0; i < count; i++)
        {
            var c = centroids[rng.Next(centroids.Length)];
            for (var d = 0; d < dimensions; d++)
            {
                v[d] = c[d] + (float)(rng.NextDouble() - 0.5) * 1.2f;
            }

            var scale = VectorIndex.Quantize(v, q);
            index.Upsert(idOf(i), q, scale);
        }
    }
}
