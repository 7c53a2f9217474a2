using System.Numerics.Tensors;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Plugins;
using PaperBot.AI.Tests.Support;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.AI.Tests;

public sealed class HybridRetrievalTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        // A tiny "semantic" space: texts about making generation faster share a direction even without shared words.
        _server.Embed = text =>
        {
            var t = text.ToLowerInvariant();
            var v = new float[8];
            if (t.Contains("speculative") || t.Contains("accelerat") || t.Contains("faster") || t.Contains("speedup"))
            {
                v[0] = 1;
            }

            if (t.Contains("diffusion") || t.Contains("image"))
            {
                v[1] = 1;
            }

            if (t.Contains("quantiz") || t.Contains("memory"))
            {
                v[2] = 1;
            }

            v[7] = 0.1f;
            return v;
        };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Dictionary<string, string?> Config() => new()
    {
        ["Embeddings:Provider"] = "openai-compatible",
        ["Embeddings:BaseUrl"] = _server.V1,
        ["Embeddings:Model"] = "fake-embed",
        ["Embeddings:Resilience:BaseDelay"] = "00:00:00.020",
    };

    [Fact]
    public async Task Fuses_bm25_with_embedding_similarity()
    {
        using var sp = AiTestHost.Build(Config());
        var retriever = sp.GetRequiredService<IPaperRetriever>();
        Assert.IsType<HybridRetriever>(retriever);

        // Lexically only the RAG paper mentions "generation"; the embedding search adds TreeSpec (same topic, no shared word).
        var lexical = sp.GetRequiredService<ISearchService>().Search(new SearchQuery("accelerate generation"));
        Assert.Equal([TestPapers.Retrieval.Id], lexical.Select(h => h.Paper.Id));

        var hits = await retriever.SearchAsync(new SearchQuery("accelerate generation") { Top = 3 }, default);
        Assert.Equal(TestPapers.Retrieval.Id, hits[0].Paper.Id); // first in both lists
        Assert.Equal(TestPapers.SpecDecoding.Id, hits[1].Paper.Id);
        Assert.True(hits[0].Score > hits[1].Score);

        // Filters also apply to papers found only by embeddings.
        var filtered = await retriever.SearchAsync(new SearchQuery("accelerate generation") { MinUpvotes = 100 }, default);
        Assert.Equal(TestPapers.SpecDecoding.Id, filtered[0].Paper.Id);
        Assert.All(filtered, h => Assert.True(h.Paper.Upvotes >= 100));

        var req = _server.EmbeddingRequests[0];
        Assert.Equal("/v1/embeddings", req.Path);
        Assert.Equal("fake-embed", req.Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Backfill_stores_int8_vectors_once_and_embeds_only_new_papers()
    {
        using var sp = AiTestHost.Build(Config());
        var embeddings = sp.GetRequiredService<PaperEmbeddings>();
        Assert.Equal(4, await embeddings.BackfillAsync(default));
        var calls = _server.EmbeddingRequests.Count;
        Assert.Equal(0, await embeddings.BackfillAsync(default));
        Assert.Equal(calls, _server.EmbeddingRequests.Count);

        var records = sp.GetRequiredService<IRecordStore<PaperEmbeddingRecord>>();
        var rec = records.Get(TestPapers.Diffusion.Id)!;
        Assert.True(rec.Quantized);
        Assert.Equal(8, rec.Data.Length);
        Assert.Equal("fake-embed", rec.Model);

        sp.GetRequiredService<IPaperStore>().Upsert([new Paper { Id = "2401.00009", Title = "Image diffusion again", Abstract = "Diffusion." }]);
        Assert.Equal(1, await embeddings.BackfillAsync(default));
        Assert.Equal(5, embeddings.Index.Count);
        Assert.True(sp.GetRequiredService<Budget.TokenBudget>().UsedToday("user", PaperEmbeddings.UsageAccount) > 0);
    }

    [Fact]
    public async Task The_running_host_backfills_embeddings_in_the_background()
    {
        using var sp = AiTestHost.Build(Config());
        var service = sp.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<EmbeddingBackfillService>().Single();
        await service.StartAsync(default);
        var embeddings = sp.GetRequiredService<PaperEmbeddings>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (embeddings.Index.Count < 4 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        await service.StopAsync(default);
        Assert.Equal(4, embeddings.Index.Count);
        Assert.Equal(4, sp.GetRequiredService<IRecordStore<PaperEmbeddingRecord>>().All().Count);
    }

    [Fact]
    public async Task Embedding_outage_degrades_to_lexical_results()
    {
        using var sp = AiTestHost.Build(Config());
        _server.EnqueueEmbeddings(FakeReply.Status(500), FakeReply.Status(500), FakeReply.Status(500), FakeReply.Status(500));
        var hits = await sp.GetRequiredService<IPaperRetriever>().SearchAsync(new SearchQuery("accelerate generation"), default);
        Assert.Equal([TestPapers.Retrieval.Id], hits.Select(h => h.Paper.Id));
        Assert.Equal(4, _server.EmbeddingRequests.Count); // 1 + 3 retries of the named embeddings pipeline
    }

    [Fact]
    public void Without_an_embedding_backend_retrieval_is_lexical()
    {
        using var sp = AiTestHost.Build();
        Assert.IsType<LexicalRetriever>(sp.GetRequiredService<IPaperRetriever>());
    }

    [Fact]
    public void Int8_quantisation_keeps_cosine_similarity_within_a_hundredth()
    {
        var rng = new Random(42);
        for (var t = 0; t < 50; t++)
        {
            var a = Enumerable.Range(0, 768).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var b = a.Select(x => x + (float)(rng.NextDouble() - 0.5)).ToArray();
            var exact = TensorPrimitives.CosineSimilarity(a, b);
            var qa = PaperEmbeddingRecord.From(a, "m", 0, quantize: true).ToVector();
            var qb = PaperEmbeddingRecord.From(b, "m", 0, quantize: true).ToVector();
            Assert.InRange(TensorPrimitives.Dot(qa, qb) - exact, -0.01f, 0.01f);
        }
    }
}

public sealed class VectorIndexTests
{
    [Fact]
    public void Top_k_matches_a_full_sort_and_honours_the_filter_and_removals()
    {
        var rng = new Random(3);
        var index = new VectorIndex();
        var vectors = new Dictionary<string, float[]>();
        for (var i = 0; i < 500; i++)
        {
            var v = Enumerable.Range(0, 32).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var rec = PaperEmbeddingRecord.From(v, "m", 0, quantize: false).ToVector();
            vectors["p" + i] = rec;
            index.Upsert("p" + i, rec);
        }

        index.Remove("p7");
        vectors.Remove("p7");
        var q = Enumerable.Range(0, 32).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var qn = PaperEmbeddingRecord.From(q, "m", 0, quantize: false).ToVector();
        var expected = vectors.Where(kv => kv.Key.EndsWith('1'))
            .OrderByDescending(kv => TensorPrimitives.Dot(kv.Value, qn)).Take(10).Select(kv => kv.Key).ToList();

        var got = index.Search(q, 10, id => id.EndsWith('1'));

        Assert.Equal(expected, got.Select(g => g.Id));
        Assert.True(got.Zip(got.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(499, index.Count);
    }
}
