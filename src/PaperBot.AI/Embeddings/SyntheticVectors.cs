using System.Numerics.Tensors;
using PaperBot.AI.Embeddings.Sample;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// Synthetic unit vectors for benchmarks and ANN tests: each is a point between two topic centroids plus Gaussian
/// noise (cosine about 0.75 to its topic). `bench search --mode hybrid` takes the centroids from the bundled sample's
/// real all-MiniLM-L6-v2 vectors (<see cref="FromSample"/>), so real query embeddings land among them as they would in
/// a real corpus; <see cref="RandomCentroids"/> gives model-free centroids for tests.
/// </summary>
public static class SyntheticVectors
{
    /// <summary>Per-dimension noise (σ): |noise|² = 384·σ² ≈ 0.78, i.e. cosine ≈ 0.75 to the unnoised point.</summary>
    public const float Noise = 0.045f;

    public static void Fill(VectorIndex index, int count, Func<int, string> idOf, IReadOnlyList<float[]> centroids, int seed = 11)
    {
        var dimensions = centroids[0].Length;
        var rng = new Random(seed);
        index.Reserve(count, dimensions);
        var v = new float[dimensions];
        var q = new sbyte[dimensions];
        for (var i = 0; i < count; i++)
        {
            Next(rng, centroids, v);
            var scale = VectorIndex.Quantize(v, q);
            index.Upsert(idOf(i), q, scale);
        }
    }

    /// <summary>One vector of the distribution (a query from the same distribution as the corpus).</summary>
    public static void Next(Random rng, IReadOnlyList<float[]> centroids, Span<float> into)
    {
        var a = centroids[rng.Next(centroids.Count)];
        var b = centroids[rng.Next(centroids.Count)];
        var t = (float)(rng.NextDouble() * 0.5);
        for (var d = 0; d < into.Length; d++)
        {
            into[d] = a[d] + t * (b[d] - a[d]) + Noise * Gaussian(rng);
        }

        var norm = TensorPrimitives.Norm(into);
        TensorPrimitives.Divide(into, norm > 0 ? norm : 1f, into);
    }

    /// <summary>The bundled sample's real vectors (unit length), or empty when the resource is absent.</summary>
    public static IReadOnlyList<float[]> FromSample()
    {
        var sample = SampleVectors.LoadEmbedded();
        var list = new List<float[]>(sample.Count);
        foreach (var id in sample.Ids.Order(StringComparer.Ordinal))
        {
            if (sample.Record(id) is { } r)
            {
                var v = new float[r.Dimensions];
                VectorIndex.Dequantize(SampleVectors.Values(r), r.Scale, v);
                TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
                list.Add(v);
            }
        }

        return list;
    }

    /// <summary>Random unit centroids (no model needed).</summary>
    public static IReadOnlyList<float[]> RandomCentroids(int count, int dimensions, int seed = 7)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var c = Enumerable.Range(0, dimensions).Select(_ => Gaussian(rng)).ToArray();
            TensorPrimitives.Divide(c, TensorPrimitives.Norm(c), c);
            return c;
        }).ToArray();
    }

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
