using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Local;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Syntax;
using PaperBot.Core.Search.Synthetic;

namespace PaperBot.Benchmarks.AI;

/// <summary>
/// Where a hybrid query's time goes on a synthetic corpus (the `bench search --store none --mode hybrid` workload):
/// per phase (BM25 candidates, vector scan, admitting dense-only hits, cosines, the sort's keys, hydration)
/// for plain and for filtered/sorted queries, next to the end-to-end Rank + Hydrate. The Lucene index is kept in
/// DIR between runs (a 1M build takes minutes), so iterating on the query path does not rebuild it.
/// Usage: hybrid-phases [size] [DIR] [queries]
/// </summary>
public sealed class HybridPhasesBenchmark : IBenchmark
{
    public string Name => "hybrid-phases";

    public string Description => "hybrid query time per phase on N synthetic papers (index kept in DIR between runs)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var n = args.Length > 0 ? int.Parse(args[0], inv) : 100_000;
        var dir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "paperbot-hybrid-phases");
        var count = args.Length > 2 ? int.Parse(args[2], inv) : 300;
        var corpus = new SyntheticCorpus();
        var store = new SyntheticPaperStore(corpus, n);
        var sw = Stopwatch.StartNew();
        using var lucene = new LuceneSearchService(store, Options.Create(new SearchOptions { IndexPath = Path.Combine(dir, $"index-{n}") }));
        lucene.Synchronize();
        Console.WriteLine($"index ready in {sw.Elapsed.TotalSeconds:F1} s");
        sw.Restart();
        var vectors = new VectorIndex();
        var centroids = SyntheticVectors.FromSample();
        SyntheticVectors.Fill(vectors, n, SyntheticCorpus.IdOf, centroids);
        Console.WriteLine($"{vectors.Count:N0} vectors in {sw.Elapsed.TotalSeconds:F1} s");

        using var generator = new LocalEmbeddingGenerator();
        var dense = new InMemoryDenseRetriever(vectors, generator, "bench");
        var options = new SearchOptions { Mode = SearchMode.Hybrid };
        var hybrid = new HybridSearchService(lucene, dense, store, Options.Create(options));
        var queries = corpus.Queries(count, n);
        var warm = corpus.Queries(100, n, seed: 8);
        var embedded = new List<(SearchQuery Query, ParsedQuery Parsed, float[] Vector)>();
        foreach (var q in warm.Concat(queries))
        {
            var parsed = ParsedQuery.Parse(q.Text);
            embedded.Add((q, parsed, await dense.EmbedQueryAsync(parsed.RankedText, cancellationToken)));
        }

        var phases = new[] { "lexical", "scan", "admit", "cosines", "sort keys", "hydrate", "rank", "total" };
        var times = new Dictionary<(bool, string), List<double>>();
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var (q, parsed, v) in pass == 0 ? embedded.Take(warm.Count) : embedded.Skip(warm.Count))
            {
                var filtered = PaperQueryBuilder.HasFilters(q) || q.Sort != SearchSort.Relevance;
                var kind = Kind(q);
                void Add(string phase, long t0)
                {
                    if (pass == 1)
                    {
                        AddTo((filtered, phase), t0);
                        if (filtered && phase is "lexical" or "total" or "lexical unfiltered")
                        {
                            AddTo((filtered, $"{phase} [{kind}]"), t0);
                        }
                    }
                }

                void AddTo((bool, string) key, long t0)
                {
                    {
                        if (!times.TryGetValue(key, out var list))
                        {
                            times[key] = list = [];
                        }

                        list.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    }
                }

                // The phases as HybridSearchService.Rank runs them.
                var sorted = q.Sort != SearchSort.Relevance;
                var depth = Math.Max(options.Candidates, sorted ? Math.Max(q.Top * 2, 200) : q.Top * 2);
                var constrained = PaperQueryBuilder.HasFilters(q) || parsed.HasConstraints;
                var t = Stopwatch.GetTimestamp();
                var lex = lucene.Candidates(q, parsed, depth);
                Add("lexical", t);
                if (filtered)
                {
                    t = Stopwatch.GetTimestamp();
                    lucene.Candidates(q with { From = null, To = null, MinUpvotes = null, AuthorOrOrganization = null }, parsed, depth);
                    Add("lexical unfiltered", t);
                }

                t = Stopwatch.GetTimestamp();
                var found = dense.Search(v, constrained ? depth * 4 : depth);
                Add("scan", t);
                var seen = lex.Hits.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
                var unseen = found.Where(d => !seen.Contains(d.Id)).Select(d => d.Id).ToList();
                t = Stopwatch.GetTimestamp();
                var admitted = lucene.Admit(q, parsed, constrained ? found.Select(d => d.Id).ToList() : unseen);
                Add("admit", t);
                t = Stopwatch.GetTimestamp();
                foreach (var id in seen)
                {
                    dense.Cosine(v, id);
                }

                Add("cosines", t);
                if (sorted)
                {
                    t = Stopwatch.GetTimestamp();
                    lucene.SortKeysOf(seen.Concat(admitted.Keys).Distinct().ToList());
                    Add("sort keys", t);
                }

                t = Stopwatch.GetTimestamp();
                var ranked = hybrid.Rank(q, parsed, SearchMode.Hybrid, v);
                Add("rank", t);
                var t1 = Stopwatch.GetTimestamp();
                lucene.Hydrate(ranked, parsed.RankedText);
                Add("hydrate", t1);
                Add("total", t);
            }
        }

        foreach (var filtered in new[] { false, true })
        {
            Console.WriteLine(filtered ? "filtered/sorted queries:" : "plain queries:");
            foreach (var (key, ms) in times.Where(kv => kv.Key.Item1 == filtered).OrderBy(kv => Array.IndexOf(phases, kv.Key.Item2.Split(' ')[0])).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {key.Item2,-28} {Stats.Summary(ms)}");
            }
        }

        static string Kind(SearchQuery q) =>
            q.From is not null ? "dates" : q.MinUpvotes is not null ? "upvotes" : q.AuthorOrOrganization is not null ? "author" : q.Sort == SearchSort.Date ? "sort date" : "sort upvotes";

        Console.WriteLine($"peak RSS {SearchBenchmark.PeakRss() / 1048576.0:N0} MB; load {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}
