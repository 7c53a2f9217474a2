using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;

namespace PaperBot.Cli.Evaluation;

/// <summary>
/// The product's search stack over an evaluation corpus: an in-memory Lucene index, the vectors of the configured
/// model (read from a cache file when the texts match, else embedded and cached), and the hybrid search service with
/// the given options. Evaluation therefore measures exactly what `search` runs.
/// </summary>
public sealed class EvalHarness : IDisposable
{
    private readonly LuceneSearchService _lucene;

    private EvalHarness(LuceneSearchService lucene, HybridSearchService search)
    {
        _lucene = lucene;
        Search = search;
    }

    public HybridSearchService Search { get; }

    public static EvalHarness Create(IPaperStore store, SearchOptions options, IDenseRetriever dense)
    {
        options.IndexPath = SearchOptions.InMemory;
        var lucene = new LuceneSearchService(store, Options.Create(options));
        lucene.Synchronize();
        return new EvalHarness(lucene, new HybridSearchService(lucene, dense, store, Options.Create(options)));
    }

    /// <summary>
    /// Vectors for <paramref name="papers"/>: from <paramref name="known"/> (e.g. the sample's precomputed ones) or the
    /// cache file when model and text match, otherwise embedded now (the cache file is then rewritten).
    /// </summary>
    public static async Task<VectorIndex> VectorsAsync(IReadOnlyList<Paper> papers, IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingsOptions options,
        string? cacheFile, SampleVectors? known, IProgress<PaperBot.Core.Progress.WorkProgress>? progress, CancellationToken ct)
    {
        var key = options.ModelKey;
        var cache = known ?? SampleVectors.Empty;
        if (cacheFile is not null && File.Exists(cacheFile))
        {
            try
            {
                await using var s = File.OpenRead(cacheFile);
                var read = SampleVectors.Read(s);
                if (read.ModelKey == key)
                {
                    cache = read;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or EndOfStreamException)
            {
                // an unreadable cache is rebuilt
            }
        }

        var index = new VectorIndex();
        var records = new List<(string Id, PaperEmbeddingRecord Record)>(papers.Count);
        var missing = new List<(Paper Paper, string Text, string Hash)>();
        foreach (var p in papers)
        {
            var text = PaperEmbeddings.TextOf(p);
            var hash = PaperEmbeddingRecord.HashOf(text);
            if (cache.Find(p.Id, hash, key) is { } rec)
            {
                records.Add((p.Id, rec));
            }
            else
            {
                missing.Add((p, text, hash));
            }
        }

        var done = 0;
        foreach (var batch in missing.Chunk(64))
        {
            var vectors = await generator.GenerateAsync(batch.Select(b => b.Text), cancellationToken: ct).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                records.Add((batch[i].Paper.Id, PaperEmbeddingRecord.From(vectors[i].Vector.Span, key, 0, batch[i].Hash, quantize: true)));
            }

            done += batch.Length;
            progress?.Report(new PaperBot.Core.Progress.WorkProgress("embedding the corpus", done, missing.Count));
        }

        if (missing.Count > 0 && cacheFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheFile))!);
            await using var s = File.Create(cacheFile);
            SampleVectors.Write(s, key, records);
        }

        foreach (var (id, rec) in records)
        {
            rec.AddTo(index, id);
        }

        return index;
    }

    public void Dispose() => _lucene.Dispose();
}
