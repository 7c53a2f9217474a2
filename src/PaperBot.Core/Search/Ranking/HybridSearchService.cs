using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Syntax;

namespace PaperBot.Core.Search.Ranking;

/// <summary>
/// The product's <see cref="ISearchService"/>: BM25 (<see cref="LuceneSearchService"/>) and, when the embedding index
/// has vectors, embedding similarity (<see cref="IDenseRetriever"/>), fused into one list.
/// <list type="bullet">
/// <item>Papers found only by embeddings are held to the same filters and query constraints as BM25 hits (checked in
/// the Lucene index), and get their exact BM25; papers without a vector are found by BM25 alone.</item>
/// <item>Every hit gets a calibrated <see cref="SearchHit.Relevance"/> (<see cref="RelevanceModel"/>).</item>
/// <item>A date or upvote sort orders the fused candidates whose relevance reaches Search:RelevanceFloor.</item>
/// <item>If embedding the query fails, the search is lexical and says so in the log.</item>
/// </list>
/// </summary>
public sealed class HybridSearchService(
    LuceneSearchService lexical,
    IDenseRetriever dense,
    IPaperStore store,
    IOptions<SearchOptions> options,
    ILogger<HybridSearchService>? logger = null) : ISearchService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public IDenseRetriever Dense => dense;

    /// <summary>The mode a query runs in: <see cref="SearchMode.Auto"/> resolved, and lexical when no vectors exist.</summary>
    public SearchMode Resolve(SearchMode requested)
    {
        var mode = requested == SearchMode.Auto ? options.Value.Mode : requested;
        if (mode == SearchMode.Auto)
        {
            mode = SearchMode.Hybrid;
        }

        return mode != SearchMode.Lexical && !dense.IsAvailable ? SearchMode.Lexical : mode;
    }

    SearchMode ISearchService.ResolveMode(SearchMode requested) => Resolve(requested);

    public IReadOnlyList<SearchHit> Search(SearchQuery query) =>
        // The local model embeds synchronously; a remote provider blocks this caller only (async callers use SearchAsync).
        SearchAsync(query, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Top <= 0)
        {
            return [];
        }

        var parsed = ParsedQuery.Parse(query.Text);
        var mode = Resolve(query.Mode);
        if (parsed.RankedText.Length == 0)
        {
            // Filters or constraints only: nothing to be relevant to, so Lucene's own order (or sort) and no relevance.
            return lexical.Search(query with { Text = query.Text ?? "" });
        }

        float[]? vector = null;
        if (mode != SearchMode.Lexical)
        {
            try
            {
                vector = await dense.EmbedQueryAsync(parsed.RankedText, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("embedding the query failed ({Error}); this search is lexical only", ex.GetType().Name);
                mode = SearchMode.Lexical;
            }
        }

        var ranked = Rank(query, parsed, mode, vector);
        return lexical.Hydrate(ranked, parsed.RankedText);
    }

    /// <summary>The fused, filtered and sorted ids (before hydration). Public for evaluation.</summary>
    public IReadOnlyList<RankedId> Rank(SearchQuery query, ParsedQuery parsed, SearchMode mode, float[]? vector)
    {
        var o = options.Value;
        var sorted = query.Sort != SearchSort.Relevance;
        var depth = Math.Max(o.Candidates, sorted ? Math.Max(query.Top * 2, 200) : query.Top * 2);
        var lex = mode == SearchMode.Semantic ? null : lexical.Candidates(query, parsed, depth);
        var maxScore = lex?.MaxScore ?? lexical.MaxScore(parsed.RankedText);
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        if (lex is not null)
        {
            for (var i = 0; i < lex.Hits.Count; i++)
            {
                var h = lex.Hits[i];
                candidates[h.Id] = new Candidate(h.Id) { Bm25 = h.Score, LexicalRank = i + 1 };
            }
        }

        var reference = 0f;
        if (vector is not null)
        {
            var constrained = PaperQueryBuilder.HasFilters(query) || parsed.HasConstraints;
            // Filters reject part of the nearest papers: look deeper so enough remain.
            var found = dense.Search(vector, constrained ? depth * 4 : depth);
            // The query's background similarity: what its 50th nearest paper scores. Relevance uses how far a paper
            // stands out above it, which is comparable across queries (a question about nothing in the corpus has a
            // flat neighbourhood; a raw cosine of 0.45 can be the best match for one question and noise for another).
            reference = found.Count == 0 ? 0f : found[Math.Min(found.Count, RelevanceModel.ReferenceRank) - 1].Cosine;
            var unseen = found.Where(d => !candidates.ContainsKey(d.Id)).Select(d => d.Id).ToList();
            var admitted = constrained || unseen.Count > 0
                ? lexical.Admit(query, parsed, constrained ? found.Select(d => d.Id).ToList() : unseen)
                : [];
            var rank = 0;
            foreach (var d in found)
            {
                if (candidates.TryGetValue(d.Id, out var c))
                {
                    c.DenseRank = ++rank;
                    c.Cosine = d.Cosine;
                }
                else if (admitted.TryGetValue(d.Id, out var bm25))
                {
                    candidates[d.Id] = new Candidate(d.Id) { Bm25 = bm25, Cosine = d.Cosine, DenseRank = ++rank };
                }

                if (rank >= depth)
                {
                    break;
                }
            }

            foreach (var c in candidates.Values)
            {
                c.Cosine ??= dense.Cosine(vector, c.Id);
            }
        }

        foreach (var c in candidates.Values)
        {
            var lexicalFeature = c.Lexical = RelevanceModel.LexicalFeature(c.Bm25, maxScore);
            c.Standout = c.Cosine - reference;
            c.Relevance = mode switch
            {
                SearchMode.Semantic => c.Standout is { } st ? RelevanceModel.Dense(st) : RelevanceModel.Lexical(lexicalFeature),
                _ => RelevanceModel.Of(c.Standout, lexicalFeature),
            };
            c.Fused = mode switch
            {
                SearchMode.Lexical => c.Bm25,
                SearchMode.Semantic => c.Cosine ?? -1,
                _ when o.Fusion == FusionMethod.Relevance => c.Relevance,
                _ => (c.LexicalRank > 0 ? 1.0 / (o.RrfK + c.LexicalRank) : 0) + (c.DenseRank > 0 ? 1.0 / (o.RrfK + c.DenseRank) : 0),
            };
        }

        IEnumerable<Candidate> list = candidates.Values;
        if (mode == SearchMode.Semantic)
        {
            list = list.Where(c => c.DenseRank > 0);
        }
        else if (mode == SearchMode.Hybrid)
        {
            // A paper that shares no word with the query is shown only when its meaning clearly stands out: nonsense
            // or off-topic text gets no list of random nearest neighbours.
            list = list.Where(c => c.Bm25 > 0 || c.Relevance >= RelevanceModel.NothingRelevantBelow);
        }

        var byRelevance = list.OrderByDescending(c => c.Fused).ThenBy(c => c.Id, StringComparer.Ordinal);
        IEnumerable<Candidate> ordered = byRelevance;
        if (sorted)
        {
            // The sort keys come from the index's doc values (the same date and upvotes the store holds, kept in step
            // with it): loading every candidate paper from the store only to read two numbers was a large share of
            // a sorted query's time at 1M papers. The store stays the truth for which papers exist (InStore).
            var kept = byRelevance.Where(c => c.Relevance >= o.RelevanceFloor).ToList();
            var keys = lexical.SortKeysOf(kept.Select(c => c.Id).ToList());
            kept = kept.Where(c => keys.ContainsKey(c.Id)).ToList();
            ordered = InStore(query.Sort == SearchSort.Date
                ? kept.OrderByDescending(c => keys[c.Id].Date).ThenByDescending(c => c.Fused)
                : kept.OrderByDescending(c => keys[c.Id].Upvotes).ThenByDescending(c => keys[c.Id].Date).ThenByDescending(c => c.Fused), query.Top);
        }

        return ordered.Take(query.Top).Select(c => new RankedId(c.Id, (float)c.Fused, c.Relevance) { Cosine = c.Cosine, Standout = c.Standout, Lexical = c.Lexical }).ToList();
    }

    public IReadOnlyList<SearchHit> Related(string id, int top = 5)
    {
        var paper = store.Get(id);
        if (paper is null || top <= 0)
        {
            return [];
        }

        var mlt = lexical.MoreLikeThis(paper.Id, Math.Max(top * 3, 30));
        var vector = dense.IsAvailable ? dense.VectorOf(paper.Id) : null;
        if (vector is null)
        {
            return lexical.Hydrate(mlt.Take(top).Select(h => new RankedId(h.Id, h.Score, null)).ToList(), paper.Title);
        }

        // Both lists by RRF; the relevance is the embedding similarity of the two papers.
        var k = options.Value.RrfK;
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < mlt.Count; i++)
        {
            fused[mlt[i].Id] = 1.0 / (k + i + 1);
        }

        var near = dense.Search(vector, Math.Max(Math.Max(top * 3, 30), RelevanceModel.ReferenceRank) + 1).Where(d => !string.Equals(d.Id, paper.Id, StringComparison.OrdinalIgnoreCase)).ToList();
        var reference = near.Count == 0 ? 0f : near[Math.Min(near.Count, RelevanceModel.ReferenceRank) - 1].Cosine;
        for (var i = 0; i < near.Count; i++)
        {
            fused[near[i].Id] = fused.GetValueOrDefault(near[i].Id) + 1.0 / (k + i + 1);
        }

        var ranked = fused.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top)
            .Select(kv => new RankedId(kv.Key, (float)kv.Value, dense.Cosine(vector, kv.Key) is { } c ? RelevanceModel.Dense(c - reference) : null))
            .ToList();
        return lexical.Hydrate(ranked, paper.Title);
    }

    /// <summary>
    /// <paramref name="ordered"/> without the candidates the store no longer has, read from the store a page of
    /// <paramref name="page"/> at a time (usually one page: the papers the caller shows).
    /// </summary>
    private IEnumerable<Candidate> InStore(IEnumerable<Candidate> ordered, int page)
    {
        foreach (var chunk in ordered.Chunk(Math.Max(1, page)))
        {
            var present = store.GetMany(chunk.Select(c => c.Id)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var c in chunk)
            {
                if (present.Contains(c.Id))
                {
                    yield return c;
                }
            }
        }
    }

    private sealed class Candidate(string id)
    {
        public string Id { get; } = id;

        public float Bm25 { get; init; }

        public int LexicalRank { get; init; }

        public int DenseRank { get; set; }

        public float? Cosine { get; set; }

        public float? Standout { get; set; }

        public double Relevance { get; set; }

        public double Lexical { get; set; }

        public double Fused { get; set; }
    }
}
