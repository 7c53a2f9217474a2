using Microsoft.Extensions.Options;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;

namespace PaperBot.Core.Tests.Search;

public sealed class HybridSearchServiceTests : IDisposable
{
    private readonly InMemoryPaperStore _store = new();
    private readonly LuceneSearchService _lucene;
    private readonly TopicVectors _dense;
    private readonly HybridSearchService _search;

    public HybridSearchServiceTests()
    {
        _store.Upsert(LuceneSearchServiceTests.Corpus());
        _lucene = new LuceneSearchService(_store, Options.Create(new SearchOptions { IndexPath = SearchOptions.InMemory }));
        _dense = new TopicVectors(_store);
        _search = new HybridSearchService(_lucene, _dense, _store, Options.Create(new SearchOptions()));
    }

    public void Dispose() => _lucene.Dispose();

    private async Task<List<string>> Ids(SearchQuery q) => (await _search.SearchAsync(q)).Select(h => h.Paper.Id).ToList();

    [Fact]
    public async Task Hybrid_adds_papers_that_share_the_meaning_but_not_the_words()
    {
        // No paper has these words, but the video and image generation papers share their topic.
        var q = new SearchQuery("synthesis of moving pictures") { Top = 5 };
        Assert.Empty(await Ids(q with { Mode = SearchMode.Lexical }));
        var hybrid = await Ids(q);
        Assert.Equal(["p-image", "p-video"], hybrid.Take(2).Order());
        Assert.Equal(SearchMode.Hybrid, _search.Resolve(SearchMode.Auto));
        var semantic = await _search.SearchAsync(q with { Mode = SearchMode.Semantic });
        Assert.Equal(["p-image", "p-video"], semantic.Take(2).Select(h => h.Paper.Id).Order());
        Assert.All(semantic, h => Assert.NotNull(h.Relevance));
    }

    [Fact]
    public async Task Filters_and_constraints_apply_to_embedding_only_hits()
    {
        var q = new SearchQuery("synthesis of moving pictures") { Top = 5 };
        Assert.DoesNotContain("p-video", await Ids(q with { MinUpvotes = 200 }));
        Assert.DoesNotContain("p-video", await Ids(q with { Text = "synthesis of moving pictures -temporal" }));
        Assert.All(await Ids(q with { From = new DateOnly(2025, 3, 1) }), id => Assert.Contains(id, new[] { "p-video", "p-agents" }));
    }

    [Fact]
    public async Task A_date_sort_orders_only_hits_above_the_relevance_floor()
    {
        // "diffusion" occurs in four papers; sorted by date they come newest first, and a paper that only shares an
        // everyday word with the query never leads the list.
        var byDate = await _search.SearchAsync(new SearchQuery("video diffusion models") { Sort = SearchSort.Date, Top = 10 });
        Assert.NotEmpty(byDate);
        Assert.All(byDate, h => Assert.True(h.Relevance >= RelevanceModel.SortFloor, $"{h.Paper.Id} {h.Relevance}"));
        var dates = byDate.Select(h => h.Paper.Published ?? DateOnly.MinValue).ToList();
        Assert.Equal(dates.OrderDescending(), dates);
        var byRelevance = await _search.SearchAsync(new SearchQuery("video diffusion models") { Top = 10 });
        Assert.True(byRelevance.Count >= byDate.Count);
    }

    [Fact]
    public async Task An_upvote_sort_orders_the_same_hits_as_the_date_sort_by_upvotes_then_date()
    {
        // Both sorts read the keys from the index and keep the same candidates above the floor.
        var q = new SearchQuery("video diffusion models") { Top = 10 };
        var byDate = await _search.SearchAsync(q with { Sort = SearchSort.Date });
        var byUpvotes = await _search.SearchAsync(q with { Sort = SearchSort.Upvotes });
        Assert.NotEmpty(byUpvotes);
        Assert.Equal(byDate.Select(h => h.Paper.Id).Order(), byUpvotes.Select(h => h.Paper.Id).Order());
        var keys = byUpvotes.Select(h => (h.Paper.Upvotes ?? 0, h.Paper.Published ?? h.Paper.FeaturedOn ?? DateOnly.MinValue)).ToList();
        Assert.Equal(keys.OrderByDescending(k => k.Item1).ThenByDescending(k => k.Item2), keys);
    }

    [Fact]
    public async Task When_the_query_cannot_be_embedded_the_search_is_lexical()
    {
        _dense.Fail = true;
        var hits = await _search.SearchAsync(new SearchQuery("consistency distillation"));
        Assert.Equal("p-image", hits[0].Paper.Id);
        Assert.NotNull(hits[0].Relevance);
    }

    [Fact]
    public void Related_fuses_embedding_neighbours_with_more_like_this()
    {
        var related = _search.Related("p-video", 3);
        Assert.DoesNotContain("p-video", related.Select(h => h.Paper.Id));
        Assert.Equal("p-image", related[0].Paper.Id); // same topic in the embedding space and shares "diffusion"
        Assert.All(related, h => Assert.NotNull(h.Relevance));
    }

    /// <summary>A deterministic "embedding": one dimension per topic keyword, so meaning is controlled by the test.</summary>
    private sealed class TopicVectors(InMemoryPaperStore store) : IDenseRetriever
    {
        private static readonly string[][] Topics =
        [
            ["video", "moving pictures", "frames", "image", "generat", "synthesis"],
            ["reward", "reinforcement", "feedback"],
            ["arithmetic", "digits", "numbers"],
            ["agent", "tools", "experiments"],
            ["robot", "manipulation", "policy"],
        ];

        public bool Fail { get; set; }

        private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

        public bool IsAvailable => true;

        public string ModelKey => "test/topics/6";

        public int Count => store.Count();

        private static float[] Embed(string text)
        {
            var t = text.ToLowerInvariant();
            var v = new float[Topics.Length + 1];
            for (var i = 0; i < Topics.Length; i++)
            {
                v[i] = Topics[i].Count(w => t.Contains(w, StringComparison.Ordinal));
            }

            v[^1] = 0.2f;
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }

        private float[] Of(string id) => Embed(store.Get(id)!.Title + " " + store.Get(id)!.Abstract);

        public Task<float[]> EmbedQueryAsync(string text, CancellationToken cancellationToken) =>
            Fail ? throw new HttpRequestException("embedding service down") : Task.FromResult(Embed(text));

        public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top)
        {
            var q = query.ToArray();
            return store.All().Select(p => new DenseHit(p.Id, Dot(Of(p.Id), q)))
                .OrderByDescending(h => h.Cosine).ThenBy(h => h.Id, StringComparer.Ordinal).Take(top).ToList();
        }

        public float? Cosine(ReadOnlySpan<float> query, string id) => store.Get(id) is null ? null : Dot(Of(id), query.ToArray());

        public float[]? VectorOf(string id) => store.Get(id) is null ? null : Of(id);
    }
}
