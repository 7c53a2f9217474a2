using System.Numerics.Tensors;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Plugins;
using PaperBot.AI.Tests.Support;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>The AI module with the product's real search (Lucene in memory + hybrid service) over the test papers.</summary>
    private ServiceProvider HostWithRealSearch(Dictionary<string, string?> config, IRecordStore<PaperEmbeddingRecord>? records = null)
    {
        config["Search:IndexPath"] = ":memory:";
        return AiTestHost.Build(config, configure: services =>
        {
            services.RemoveAll<ISearchService>();
            services.AddPaperBotSearch();
            if (records is not null)
            {
                services.RemoveAll<IRecordStore<PaperEmbeddingRecord>>();
                services.AddSingleton(records);
            }
        });
    }

    [Fact]
    public async Task Fuses_bm25_with_embedding_similarity_and_holds_embedding_hits_to_the_filters()
    {
        using var sp = HostWithRealSearch(Config());
        Assert.IsType<SearchServiceRetriever>(sp.GetRequiredService<IPaperRetriever>());
        var search = sp.GetRequiredService<ISearchService>();

        // Before the vectors exist the search is lexical: only the RAG paper mentions "latency".
        var before = await search.SearchAsync(new SearchQuery("accelerate latency"));
        Assert.Equal([TestPapers.Retrieval.Id], before.Select(h => h.Paper.Id));

        await sp.GetRequiredService<PaperEmbeddings>().BackfillAsync(default);
        var lexical = await search.SearchAsync(new SearchQuery("accelerate latency") { Mode = SearchMode.Lexical });
        Assert.Equal([TestPapers.Retrieval.Id], lexical.Select(h => h.Paper.Id));

        // The embedding search adds TreeSpec (same topic, no shared word) right after the paper both lists rank.
        var hits = await sp.GetRequiredService<IPaperRetriever>().SearchAsync(new SearchQuery("accelerate latency") { Top = 3 }, default);
        Assert.Contains(TestPapers.SpecDecoding.Id, hits.Take(2).Select(h => h.Paper.Id));
        Assert.Contains(TestPapers.Retrieval.Id, hits.Take(2).Select(h => h.Paper.Id));
        Assert.All(hits, h => Assert.InRange(h.Relevance!.Value, 0, 1));

        // Filters also apply to papers found only by embeddings.
        var filtered = await search.SearchAsync(new SearchQuery("accelerate latency") { MinUpvotes = 100 });
        Assert.Equal(TestPapers.SpecDecoding.Id, filtered[0].Paper.Id);
        Assert.All(filtered, h => Assert.True(h.Paper.Upvotes >= 100));

        // So do the query's constraints: an excluded word removes the embedding-only hit too (TreeSpec's title has "Trees").
        var excluded = await search.SearchAsync(new SearchQuery("accelerate latency -tree"));
        Assert.DoesNotContain(TestPapers.SpecDecoding.Id, excluded.Select(h => h.Paper.Id));

        var req = _server.EmbeddingRequests[0];
        Assert.Equal("/v1/embeddings", req.Path);
        Assert.Equal("fake-embed", req.Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_model_invalidates_the_stored_vectors_and_they_are_never_mixed()
    {
        var records = new InMemoryRecordStore<PaperEmbeddingRecord>();
        using (var first = HostWithRealSearch(Config(), records))
        {
            Assert.Equal(4, await first.GetRequiredService<PaperEmbeddings>().BackfillAsync(default));
        }

        Assert.All(records.All(), r => Assert.Equal("openai-compatible/fake-embed/default", r.Value.Model));
        var other = Config();
        other["Embeddings:Model"] = "other-embed";
        using var second = HostWithRealSearch(other, records);
        var embeddings = second.GetRequiredService<PaperEmbeddings>();
        Assert.True(embeddings.EnsureLoaded());
        Assert.Equal(0, embeddings.Index.Count); // the old model's vectors are not searched
        Assert.Equal(4, await embeddings.BackfillAsync(default));
        Assert.All(records.All(), r => Assert.Equal("openai-compatible/other-embed/default", r.Value.Model));
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
        Assert.Equal("openai-compatible/fake-embed/default", rec.Model);

        // The next pass sees every paper again (this store reports all as changed): only the new text is embedded.
        var store = sp.GetRequiredService<IPaperStore>();
        store.Upsert([new Paper { Id = "2401.00009", Title = "Image diffusion again", Abstract = "Diffusion." }]);
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
        using var sp = HostWithRealSearch(Config());
        _server.EnqueueEmbeddings(FakeReply.Status(500), FakeReply.Status(500), FakeReply.Status(500), FakeReply.Status(500));
        sp.GetRequiredService<IRecordStore<PaperEmbeddingRecord>>().Put(TestPapers.Diffusion.Id, PaperEmbeddingRecord.From([0, 1, 0, 0, 0, 0, 0, 0.1f], "openai-compatible/fake-embed/default", 1, "h", quantize: true));
        Assert.True(sp.GetRequiredService<PaperEmbeddings>().EnsureLoaded());
        var hits = await sp.GetRequiredService<IPaperRetriever>().SearchAsync(new SearchQuery("accelerate latency"), default);
        Assert.Equal([TestPapers.Retrieval.Id], hits.Select(h => h.Paper.Id));
        Assert.Equal(4, _server.EmbeddingRequests.Count); // 1 + 3 retries of the named embeddings pipeline
    }

    [Fact]
    public async Task Without_an_embedding_backend_retrieval_is_lexical()
    {
        using var sp = HostWithRealSearch(new Dictionary<string, string?> { ["Embeddings:Provider"] = "none" });
        Assert.IsType<NoDenseRetriever>(sp.GetRequiredService<IDenseRetriever>());
        var hits = await sp.GetRequiredService<ISearchService>().SearchAsync(new SearchQuery("accelerate latency") { Mode = SearchMode.Hybrid });
        Assert.Equal([TestPapers.Retrieval.Id], hits.Select(h => h.Paper.Id));
        Assert.NotNull(hits[0].Relevance);
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
            var qa = PaperEmbeddingRecord.From(a, "m", 0, "", quantize: true).ToVector();
            var qb = PaperEmbeddingRecord.From(b, "m", 0, "", quantize: true).ToVector();
            Assert.InRange(TensorPrimitives.Dot(qa, qb) - exact, -0.01f, 0.01f);
        }
    }
}

public sealed class VectorIndexTests
{
    private static float[] Unit(Random rng, int dims)
    {
        var v = Enumerable.Range(0, dims).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    [Theory]
    [InlineData(500, 32)]
    [InlineData(70_000, 40)] // large enough for the parallel partitions
    public void Top_k_is_the_best_by_int8_cosine_and_honours_removals(int count, int dims)
    {
        var rng = new Random(3);
        var index = new VectorIndex();
        var vectors = new Dictionary<string, float[]>();
        for (var i = 0; i < count; i++)
        {
            var v = Unit(rng, dims);
            index.Upsert("p" + i, v);
            vectors["p" + i] = index.VectorOf("p" + i)!; // the int8 values the index scores with
        }

        index.Remove("p7");
        vectors.Remove("p7");
        var q = Unit(rng, dims);
        var expected = vectors.OrderByDescending(kv => TensorPrimitives.Dot(kv.Value, q)).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).ToList();

        var got = index.Search(q, 10);

        Assert.Equal(count - 1, index.Count);
        Assert.True(got.Zip(got.Skip(1)).All(p => p.First.Cosine >= p.Second.Cosine));
        // The query is quantised too: the same papers, scores within quantisation error.
        Assert.True(expected.Select(e => e.Key).Intersect(got.Select(g => g.Id)).Count() >= 9);
        foreach (var g in got)
        {
            Assert.InRange(g.Cosine - TensorPrimitives.Dot(vectors[g.Id], q), -0.02f, 0.02f);
            Assert.InRange(index.Cosine(q, g.Id)!.Value - TensorPrimitives.Dot(vectors[g.Id], q), -1e-4f, 1e-4f);
        }

        Assert.Null(index.Cosine(q, "p7"));
    }

    [Fact]
    public void Int8_dot_product_matches_the_scalar_sum()
    {
        var rng = new Random(5);
        foreach (var n in new[] { 1, 31, 32, 33, 384, 1000 })
        {
            var a = Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray();
            Assert.Equal(a.Zip(b).Sum(p => p.First * p.Second), VectorIndex.DotInt8(a, b));
        }
    }
}
