using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.AI.Offline;
using PaperBot.AI.Tests.Support;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;

namespace PaperBot.AI.Tests;

/// <summary>
/// Sentence vectors precomputed at backfill (local provider): stored apart from the paper vectors, used by the
/// offline answerer's sentence evidence without a model run, invalidated by a text or model change, computed on
/// demand when absent, and shipped with the sample (a versioned resource).
/// </summary>
public sealed class SentenceVectorStoreTests
{
    private const string LocalKey = "local/all-MiniLM-L6-v2/384";

    /// <summary>A deterministic stand-in for the local model (hashed words, 384 dimensions) that records what it embedded.</summary>
    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly Lock _gate = new();

        public List<string> Texts { get; } = [];

        public int Calls { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            lock (_gate)
            {
                Calls++;
                Texts.AddRange(texts);
            }

            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Vector(t)))));
        }

        public static float[] Vector(string text)
        {
            var v = new float[384];
            foreach (var w in text.ToLowerInvariant().Split([' ', '.', ',', ';', ':', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
            {
                v[(int)((uint)StringComparer.Ordinal.GetHashCode(w) % 383)] += 1;
            }

            v[383] = 0.5f;
            return v;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class Stores
    {
        public InMemoryRecordStore<PaperEmbeddingRecord> Papers { get; } = new();

        public InMemoryRecordStore<PaperSentenceVectorsRecord> Sentences { get; } = new();
    }

    private static ServiceProvider Host(CountingGenerator generator, Stores stores, IEnumerable<Paper>? papers = null, bool? sentenceVectors = null, SampleVectors? sample = null)
    {
        var config = new Dictionary<string, string?> { ["Embeddings:Provider"] = "local" };
        if (sentenceVectors is { } on)
        {
            config["Embeddings:SentenceVectors"] = on ? "true" : "false";
        }

        return AiTestHost.Build(config, papers, configure: services =>
        {
            services.RemoveAll<IEmbeddingGenerator<string, Embedding<float>>>();
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
            services.RemoveAll<IRecordStore<PaperEmbeddingRecord>>();
            services.AddSingleton<IRecordStore<PaperEmbeddingRecord>>(stores.Papers);
            services.RemoveAll<IRecordStore<PaperSentenceVectorsRecord>>();
            services.AddSingleton<IRecordStore<PaperSentenceVectorsRecord>>(stores.Sentences);
            services.RemoveAll<SampleVectors>();
            services.AddSingleton(sample ?? SampleVectors.Empty);
        });
    }

    private static int SentenceCount(IEnumerable<Paper> papers) => papers.Sum(p => AnalysedPaper.Of(p).Sentences.Count);

    [Fact]
    public async Task Backfill_stores_int8_sentence_vectors_and_the_evidence_uses_them_without_a_model_call()
    {
        var generator = new CountingGenerator();
        var stores = new Stores();
        using var sp = Host(generator, stores);
        var embeddings = sp.GetRequiredService<PaperEmbeddings>();
        Assert.True(embeddings.StoresSentenceVectors);

        Assert.Equal(4, await embeddings.BackfillAsync(default));
        Assert.Equal(4 + SentenceCount(TestPapers.All), generator.Texts.Count);
        foreach (var p in TestPapers.All)
        {
            var rec = stores.Sentences.Get(p.Id)!;
            Assert.Equal(LocalKey, rec.Model);
            Assert.Equal(TextAnalysis.SentenceSplitVersion, rec.Split);
            Assert.Equal(AnalysedPaper.Of(p).Sentences.Count, rec.Count);
            Assert.Equal(rec.Count * 384, rec.Data.Length);
            Assert.Equal(TextAnalysis.SentenceSplitVersion, stores.Papers.Get(p.Id)!.SentenceSplit);
        }

        // The question is embedded once; the sentence vectors come from the store (what the model gave, up to int8).
        var evidence = sp.GetRequiredService<SentenceEvidence>();
        var question = (await evidence.QuestionVectorAsync("how much faster is speculative decoding?", default))!;
        var before = generator.Texts.Count;
        var sims = await evidence.SimilaritiesAsync(question, TestPapers.SpecDecoding);
        Assert.Equal(before, generator.Texts.Count);
        var sentences = AnalysedPaper.Of(TestPapers.SpecDecoding).Sentences;
        Assert.Equal(sentences.Count, sims.Count);
        for (var i = 0; i < sentences.Count; i++)
        {
            var exact = Unit(CountingGenerator.Vector(sentences[i]));
            Assert.InRange(sims[i] - System.Numerics.Tensors.TensorPrimitives.Dot(question, exact), -0.01, 0.01);
        }

        // A second pass has nothing to do.
        Assert.Equal(0, await embeddings.BackfillAsync(default));
        Assert.Equal(before, generator.Texts.Count);
    }

    [Fact]
    public async Task A_changed_text_or_another_model_key_invalidates_stored_sentence_vectors()
    {
        var generator = new CountingGenerator();
        var stores = new Stores();
        using (var first = Host(generator, stores))
        {
            await first.GetRequiredService<PaperEmbeddings>().BackfillAsync(default);
        }

        // The same id with a new abstract: the stored sentences are not used; evidence embeds the new ones now.
        var changed = new Paper { Id = TestPapers.Diffusion.Id, Title = TestPapers.Diffusion.Title, Abstract = "We study video diffusion. It runs in real time on a phone." };
        var papers = TestPapers.All.Select(p => p.Id == changed.Id ? changed : p).ToList();
        using var second = Host(generator, stores, papers);
        var embeddings = second.GetRequiredService<PaperEmbeddings>();
        Assert.True(embeddings.EnsureLoaded());
        Assert.Null(embeddings.StoredSentenceVectors(changed, AnalysedPaper.Of(changed).Sentences));
        Assert.NotNull(embeddings.StoredSentenceVectors(TestPapers.Quantization, AnalysedPaper.Of(TestPapers.Quantization).Sentences));

        var evidence = second.GetRequiredService<SentenceEvidence>();
        var question = (await evidence.QuestionVectorAsync("video diffusion on a phone", default))!;
        var before = generator.Texts.Count;
        Assert.Equal(2, (await evidence.SimilaritiesAsync(question, changed)).Count);
        Assert.Equal(["We study video diffusion.", "It runs in real time on a phone."], generator.Texts.Skip(before));

        // The backfill embeds the changed paper (vector and sentences) and only it.
        before = generator.Texts.Count;
        Assert.Equal(1, await embeddings.BackfillAsync(default));
        Assert.Equal(3, generator.Texts.Count - before);
        Assert.NotNull(embeddings.StoredSentenceVectors(changed, AnalysedPaper.Of(changed).Sentences));

        // Sentence vectors of another model key are never used.
        var other = stores.Sentences.Get(TestPapers.Quantization.Id)!;
        other.Model = "openai-compatible/other/384";
        Assert.Null(embeddings.StoredSentenceVectors(TestPapers.Quantization, AnalysedPaper.Of(TestPapers.Quantization).Sentences));
    }

    [Fact]
    public async Task Papers_embedded_before_sentence_vectors_existed_get_only_their_sentences_at_the_next_backfill()
    {
        var generator = new CountingGenerator();
        var stores = new Stores();
        using (var off = Host(generator, stores, sentenceVectors: false))
        {
            var embeddings = off.GetRequiredService<PaperEmbeddings>();
            Assert.False(embeddings.StoresSentenceVectors);
            Assert.Equal(4, await embeddings.BackfillAsync(default));
            Assert.Equal(4, generator.Texts.Count);
            Assert.Empty(stores.Sentences.All());
            Assert.All(stores.Papers.All(), r => Assert.Equal(0, r.Value.SentenceSplit));
        }

        var paperTexts = TestPapers.All.Select(PaperEmbeddings.TextOf).ToHashSet();
        generator.Texts.Clear();
        using var on = Host(generator, stores);
        Assert.Equal(4, await on.GetRequiredService<PaperEmbeddings>().BackfillAsync(default));
        Assert.Equal(SentenceCount(TestPapers.All), generator.Texts.Count);
        Assert.DoesNotContain(generator.Texts, paperTexts.Contains); // the paper vectors are not embedded again
        Assert.Equal(4, stores.Sentences.All().Count);
        Assert.All(stores.Papers.All(), r => Assert.Equal(TextAnalysis.SentenceSplitVersion, r.Value.SentenceSplit));
    }

    [Fact]
    public async Task Without_stored_sentence_vectors_the_evidence_computes_them_on_demand_once()
    {
        var generator = new CountingGenerator();
        var stores = new Stores();
        using var sp = Host(generator, stores, sentenceVectors: false);
        await sp.GetRequiredService<PaperEmbeddings>().BackfillAsync(default);
        var evidence = sp.GetRequiredService<SentenceEvidence>();
        var question = (await evidence.QuestionVectorAsync("four-bit quantization accuracy", default))!;

        var before = generator.Texts.Count;
        var first = await evidence.SimilaritiesAsync(question, TestPapers.Quantization);
        Assert.Equal(AnalysedPaper.Of(TestPapers.Quantization).Sentences, generator.Texts.Skip(before));
        var second = await evidence.SimilaritiesAsync(question, TestPapers.Quantization);
        Assert.Equal(first, second);
        Assert.Equal(before + first.Count, generator.Texts.Count); // cached: no second model run
        Assert.Empty(stores.Sentences.All());
    }

    [Fact]
    public async Task The_sample_resource_s_sentence_vectors_are_used_without_a_model_run_or_a_store_write()
    {
        var paper = TestPapers.Retrieval;
        var hash = PaperEmbeddingRecord.HashOf(PaperEmbeddings.TextOf(paper));
        var sentences = AnalysedPaper.Of(paper).Sentences;
        var shipped = PaperSentenceVectorsRecord.From(sentences.Select(s => (ReadOnlyMemory<float>)CountingGenerator.Vector(s)).ToList(), sentences, LocalKey, hash);
        var sample = new SampleVectors(LocalKey,
            new Dictionary<string, PaperEmbeddingRecord> { [paper.Id] = PaperEmbeddingRecord.From(CountingGenerator.Vector(PaperEmbeddings.TextOf(paper)), LocalKey, 0, hash, quantize: true) },
            new Dictionary<string, PaperSentenceVectorsRecord> { [paper.Id] = shipped });
        var generator = new CountingGenerator();
        var stores = new Stores();
        using var sp = Host(generator, stores, [paper], sample: sample);

        var embeddings = sp.GetRequiredService<PaperEmbeddings>();
        Assert.Equal(0, await embeddings.BackfillAsync(default)); // the paper vector was taken from the sample at load
        Assert.Equal(1, embeddings.Index.Count);
        Assert.Empty(generator.Texts);
        Assert.Empty(stores.Sentences.All());
        var evidence = sp.GetRequiredService<SentenceEvidence>();
        var question = (await evidence.QuestionVectorAsync("speculative decoding with retrieval", default))!;
        var sims = await evidence.SimilaritiesAsync(question, paper);
        Assert.Equal(sentences.Count, sims.Count);
        Assert.Single(generator.Texts); // the question only
    }

    [Fact]
    public void Sample_vectors_round_trip_with_sentences_and_version_1_files_still_read()
    {
        var sentences = new[] { "First sentence.", "Second one here." };
        var vectors = sentences.Select(s => (ReadOnlyMemory<float>)CountingGenerator.Vector(s)).ToList();
        var paper = PaperEmbeddingRecord.From(CountingGenerator.Vector("paper"), LocalKey, 0, "h1", quantize: true);
        var sent = PaperSentenceVectorsRecord.From(vectors, sentences, LocalKey, "h1");

        using var v2 = new MemoryStream();
        SampleVectors.Write(v2, LocalKey, [("p1", paper)], [("p1", sent)]);
        v2.Position = 0;
        var read = SampleVectors.Read(v2);
        Assert.Equal(1, read.Count);
        Assert.Equal(1, read.SentenceCount);
        var back = read.FindSentences("p1", "h1", LocalKey)!;
        Assert.True(back.Fits(LocalKey, "h1", sentences));
        Assert.Equal(sent.Data, back.Data);
        Assert.Equal(sent.Scales, back.Scales);
        Assert.Null(read.FindSentences("p1", "other-text", LocalKey));
        Assert.Null(read.FindSentences("p1", "h1", "openai/x/384"));
        Assert.False(back.Fits(LocalKey, "h1", ["First sentence.", "A different second one."]));
        Assert.Equal(paper.Data, read.Find("p1", "h1", LocalKey)!.Data);

        // The version-1 layout (no sentence section) is still read: paper vectors only.
        using var v1 = new MemoryStream();
        using (var w = new BinaryWriter(v1, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("paperbot-sample-vectors/1");
            w.Write(LocalKey);
            w.Write(paper.Dimensions);
            w.Write(1);
            w.Write("p1");
            w.Write("h1");
            w.Write(paper.Scale);
            w.Write(paper.Data);
        }

        v1.Position = 0;
        var old = SampleVectors.Read(v1);
        Assert.Equal(paper.Data, old.Find("p1", "h1", LocalKey)!.Data);
        Assert.Equal(0, old.SentenceCount);
        Assert.Null(old.FindSentences("p1", "h1", LocalKey));

        // A newer version is rejected with a clear message.
        using var v9 = new MemoryStream();
        using (var w = new BinaryWriter(v9, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("paperbot-sample-vectors/9");
        }

        v9.Position = 0;
        var ex = Assert.Throws<InvalidDataException>(() => SampleVectors.Read(v9));
        Assert.Contains("version 9 is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sentence_vectors_need_the_local_provider()
    {
        var remote = new EmbeddingsOptions { Provider = "openai", ApiKey = "k", Model = "text-embedding-3-small", SentenceVectors = true };
        var errors = remote.Validate(new ValidationContext(remote)).ToList();
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Embeddings:SentenceVectors needs the local provider", StringComparison.Ordinal));
        Assert.False(new EmbeddingsOptions { Provider = "openai", ApiKey = "k", Model = "m" }.StoresSentenceVectors);
        Assert.True(new EmbeddingsOptions().StoresSentenceVectors);
        Assert.False(new EmbeddingsOptions { SentenceVectors = false }.StoresSentenceVectors);
        Assert.Empty(new EmbeddingsOptions { SentenceVectors = true }.Validate(new ValidationContext(new object())));
    }

    private static float[] Unit(float[] v)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        return v;
    }
}
