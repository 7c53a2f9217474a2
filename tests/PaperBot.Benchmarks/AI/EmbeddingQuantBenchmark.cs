using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using PaperBot.AI.Embeddings;

namespace PaperBot.Benchmarks.AI;

/// <summary>
/// Does int8 quantisation pay? Stored size per vector (the record store keeps JSON), load (dequantise) time, SIMD
/// brute-force search latency and recall@10 of int8 vs float32 vectors. Vectors are clustered synthetic 1536-d
/// (topic centroid + noise), like real text embeddings.
/// </summary>
public sealed class EmbeddingQuantBenchmark : IBenchmark
{
    public string Name => "embeddings-quant";

    public string Description => "int8 vs float32 embeddings: bytes stored, load, search p50/p95, recall@10; args: [docs=20000] [dims=1536]";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var docs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var dims = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1536;
        var rng = new Random(7);
        var centroids = Enumerable.Range(0, 200).Select(_ => RandomVector(rng, dims, 1f)).ToArray();
        float[] Sample() => centroids[rng.Next(centroids.Length)].Zip(RandomVector(rng, dims, 0.6f), (c, n) => c + n).ToArray();
        var vectors = Enumerable.Range(0, docs).Select(_ => Sample()).ToArray();
        var queries = Enumerable.Range(0, 200).Select(_ => Sample()).ToArray();

        var results = new Dictionary<bool, (VectorIndex Index, long Bytes, double LoadMs)>();
        foreach (var quantize in new[] { false, true })
        {
            long bytes = 0;
            var records = vectors.Select(v => PaperEmbeddingRecord.From(v, "m", 1, "", quantize)).ToArray();
            foreach (var r in records.Take(200))
            {
                bytes += JsonSerializer.Serialize(r).Length;
            }

            var sw = Stopwatch.StartNew();
            var index = new VectorIndex();
            for (var i = 0; i < records.Length; i++)
            {
                index.Upsert("p" + i, records[i].ToVector());
            }

            results[quantize] = (index, bytes / 200, sw.Elapsed.TotalMilliseconds);
        }

        var recall = 0.0;
        var times = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        foreach (var q in queries)
        {
            var sw = Stopwatch.StartNew();
            var exact = results[false].Index.Search(q, 10).Select(x => x.Id).ToHashSet();
            times[false].Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var approx = results[true].Index.Search(q, 10).Select(x => x.Id);
            times[true].Add(sw.Elapsed.TotalMilliseconds);
            recall += approx.Count(exact.Contains) / 10.0;
        }

        Console.WriteLine($"{docs} vectors × {dims} dims, {queries.Length} queries");
        foreach (var quantize in new[] { false, true })
        {
            var (_, bytes, load) = results[quantize];
            Console.WriteLine($"{(quantize ? "int8   " : "float32")}: stored {bytes:N0} B/vector (JSON record), load {load:F0} ms, search {Stats.Summary(times[quantize])}");
        }

        Console.WriteLine($"int8 recall@10 vs float32: {recall / queries.Length:F3}; storage ratio {(double)results[true].Bytes / results[false].Bytes:F2}");
        return Task.FromResult(0);
    }

    private static float[] RandomVector(Random rng, int dims, float scale)
    {
        var v = new float[dims];
        for (var i = 0; i < dims; i++)
        {
            // Box-Muller normal.
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)) * scale;
        }

        TensorPrimitives.Multiply((ReadOnlySpan<float>)v, 1f / TensorPrimitives.Norm((ReadOnlySpan<float>)v), (Span<float>)v);
        return v;
    }
}
