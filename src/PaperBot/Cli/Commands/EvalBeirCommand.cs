using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.Cli.Evaluation;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Syntax;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `eval beir CORPUS QUERIES QRELS`: nDCG@10, Recall@100 and MRR@10 of the product's search (lexical, semantic or
/// hybrid, through the same hybrid search service as `search`) on a BEIR collection. The corpus vectors are cached in
/// the temp folder (keyed by corpus file and model). --fit-relevance prints the logistic fit behind RelevanceModel.
/// </summary>
public sealed class EvalBeirCommand(CliConsole console, IServiceProvider services) : ICliCommand<EvalBeirCommand.Input>
{
    /// <summary>The relevance model is fitted on each query's top 10 (the hits people see), not the whole top 100.</summary>
    public const int RelevanceFitDepth = 10;

    public sealed record Input(string Corpus, string Queries, string Qrels, PaperIndexSettings Settings, SearchMode Mode, FusionMethod? Fusion, int? RrfK,
        bool FitRelevance, bool Json, bool NoProgress);

    public static readonly IReadOnlyDictionary<string, FusionMethod?> Fusions = new Dictionary<string, FusionMethod?>
    {
        [""] = null,
        ["rrf"] = FusionMethod.Rrf,
        ["relevance"] = FusionMethod.Relevance,
    };

    public static CliVerb Define()
    {
        var corpus = CliOptions.One("corpus", "BEIR corpus.jsonl or corpus.jsonl.gz");
        var queries = CliOptions.One("queries", "queries.tsv[.gz] (id, text) or queries.jsonl[.gz]");
        var qrels = CliOptions.One("qrels", "Relevance judgments (TREC or BEIR tsv)");
        var k1 = CliOptions.Number("--k1", 0, 100, "BM25 k1 (default Search:K1's default)");
        var b = CliOptions.Number("--b", 0, 100, "BM25 b");
        var titleBoost = CliOptions.Number("--title-boost", 0, 100, "Extra weight of query terms in the title");
        var mode = SearchCommand.ModeOption();
        var fusion = CliOptions.Choice("--fusion", (FusionMethod?)null, Fusions, ["rrf", "relevance"], "Hybrid fusion (default Search:Fusion)");
        var rrfK = CliOptions.OptionalInt("--rrf-k", 1, 1000, "RRF constant k (default Search:RrfK)");
        var fit = CliOptions.Flag("--fit-relevance", "Print the logistic fit of the relevance model on the judged top 10");
        var json = CliOptions.Json();
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw a progress bar");
        return CliVerb.For<EvalBeirCommand, Input>("beir", "Evaluate search on a BEIR collection (nDCG@10, Recall@100, MRR@10): lexical, semantic or hybrid.",
            [corpus, queries, qrels, k1, b, titleBoost, mode, fusion, rrfK, fit, json, noProgress],
            r =>
            {
                var defaults = SearchOptions.DefaultIndexSettings;
                var settings = defaults with
                {
                    K1 = r.GetValue(k1) ?? defaults.K1,
                    B = r.GetValue(b) ?? defaults.B,
                    TitleBoost = r.GetValue(titleBoost) ?? defaults.TitleBoost,
                };
                return new Input(r.GetValue(corpus)!, r.GetValue(queries)!, r.GetValue(qrels)!, settings, r.GetValue(mode), r.GetValue(fusion), r.GetValue(rrfK),
                    r.GetValue(fit), r.GetValue(json), r.GetValue(noProgress));
            });
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var settings = input.Settings;
        var embeddingOptions = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        var configured = services.GetRequiredService<IOptions<SearchOptions>>().Value;
        var mode = input.Mode == SearchMode.Auto ? (embeddingOptions.Enabled ? SearchMode.Hybrid : SearchMode.Lexical) : input.Mode;
        if (mode != SearchMode.Lexical && !embeddingOptions.Enabled)
        {
            throw new UserFacingException($"--mode {mode.ToString().ToLowerInvariant()} needs embeddings; Embeddings:Provider is none");
        }

        var options = new SearchOptions
        {
            K1 = settings.K1, B = settings.B, TitleBoost = settings.TitleBoost,
            Fusion = input.Fusion ?? configured.Fusion,
            RrfK = input.RrfK ?? configured.RrfK,
            Candidates = configured.Candidates,
        };

        BeirDataset data;
        try
        {
            data = BeirDataset.Load(input.Corpus, input.Queries, input.Qrels);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new UserFacingException(ex.Message, ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var papers = BeirEvaluator.Papers(data).ToList();
        var fit = input.FitRelevance ? new List<(double[] X, bool Y, int Kind)>() : null;
        var r = await CliProgress.RunAsync(console, !input.Json && !input.NoProgress, "items", async progress =>
        {
            var sw = Stopwatch.StartNew();
            IDenseRetriever dense = new NoDenseRetriever();
            if (mode != SearchMode.Lexical)
            {
                var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
                var cache = Path.Combine(Path.GetTempPath(), "paperbot-eval-cache", CacheName(input.Corpus, embeddingOptions.ModelKey));
                var vectors = await EvalHarness.VectorsAsync(papers, generator, embeddingOptions, cache, null, progress, cancellationToken);
                dense = new InMemoryDenseRetriever(vectors, generator, embeddingOptions.ModelKey);
            }

            using var harness = EvalHarness.Create(new FixedPaperStore(papers), options, dense);
            var indexTime = sw.Elapsed;
            return BeirEvaluator.Run(data, q =>
            {
                var query = new SearchQuery(q.Text) { Top = BeirEvaluator.Depth + 1, Mode = mode };
                var parsed = ParsedQuery.Parse(q.Text);
                var vector = mode == SearchMode.Lexical ? null : dense.EmbedQueryAsync(parsed.RankedText, cancellationToken).GetAwaiter().GetResult();
                var ranked = harness.Search.Rank(query, parsed, mode, vector);
                if (fit is not null && data.Qrels.TryGetValue(q.Id, out var judged))
                {
                    foreach (var h in ranked.Take(RelevanceFitDepth))
                    {
                        var label = judged.TryGetValue(h.Id, out var g) && g > 0;
                        fit.Add(h.Standout is { } st ? ([st, h.Lexical], label, 2) : ([h.Lexical], label, 1));
                    }
                }

                return ranked.Select(h => (h.Id, h.Score)).ToList();
            }, settings, indexTime, progress);
        });

        var fitted = fit is null ? null : FitRelevance(fit);
        var fusionName = mode == SearchMode.Hybrid ? options.Fusion.ToString().ToLowerInvariant() : null;
        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                documents = r.Documents,
                queries = r.Queries,
                mode = mode.ToString().ToLowerInvariant(),
                fusion = fusionName,
                rrf_k = mode == SearchMode.Hybrid && options.Fusion == FusionMethod.Rrf ? options.RrfK : (int?)null,
                ndcg_at_10 = Math.Round(r.NdcgAt10, 4),
                recall_at_100 = Math.Round(r.RecallAt100, 4),
                mrr_at_10 = Math.Round(r.MrrAt10, 4),
                index_ms = (long)r.IndexTime.TotalMilliseconds,
                query_ms = (long)r.QueryTime.TotalMilliseconds,
                settings = new { k1 = settings.K1, b = settings.B, title_boost = settings.TitleBoost },
                relevance_fit = fitted,
            }));
            return 0;
        }

        var inv = CultureInfo.InvariantCulture;
        await console.Out.WriteLineAsync(string.Create(inv, $"documents   {r.Documents,8}   (indexed{(mode == SearchMode.Lexical ? "" : " and embedded")} in {r.IndexTime.TotalSeconds:F2} s)"));
        await console.Out.WriteLineAsync(string.Create(inv, $"queries     {r.Queries,8}   (ran in {r.QueryTime.TotalSeconds:F2} s)"));
        await console.Out.WriteLineAsync(string.Create(inv,
            $"mode        {mode.ToString().ToLowerInvariant()}{(fusionName is null ? "" : $" (fusion {fusionName}{(options.Fusion == FusionMethod.Rrf ? $", k={options.RrfK}" : "")})")}{(mode == SearchMode.Lexical ? "" : $", {embeddingOptions.ModelKey}")}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"BM25        k1={settings.K1:0.###} b={settings.B:0.###} title-boost={settings.TitleBoost:0.###}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"nDCG@10     {r.NdcgAt10,8:F4}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"Recall@100  {r.RecallAt100,8:F4}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"MRR@10      {r.MrrAt10,8:F4}"));
        if (fitted is not null)
        {
            await console.Out.WriteLineAsync("relevance fit (logistic; bias, weights): " + JsonSerializer.Serialize(fitted));
        }

        return 0;
    }

    /// <summary>The lexical-only, dense-only and dense+lexical logistic models of <see cref="RelevanceModel"/>, fitted on the judged candidates.</summary>
    private static object FitRelevance(List<(double[] X, bool Y, int Kind)> rows)
    {
        var lexical = rows.Select(r => (X: new[] { r.X[^1] }, r.Y)).ToList();
        var hybrid = rows.Where(r => r.Kind == 2).ToList();
        var dense = hybrid.Select(r => (X: new[] { r.X[0] }, r.Y)).ToList();
        return new
        {
            rows = rows.Count,
            positives = rows.Count(r => r.Y),
            lexical = LogisticFit.Fit(lexical.Select(r => r.X).ToList(), lexical.Select(r => r.Y).ToList()).Select(w => Math.Round(w, 3)),
            dense = dense.Count == 0 ? null : LogisticFit.Fit(dense.Select(r => r.X).ToList(), dense.Select(r => r.Y).ToList()).Select(w => Math.Round(w, 3)),
            hybrid = hybrid.Count == 0 ? null : LogisticFit.Fit(hybrid.Select(r => r.X).ToList(), hybrid.Select(r => r.Y).ToList()).Select(w => Math.Round(w, 3)),
        };
    }

    private static string CacheName(string corpus, string modelKey)
    {
        var info = new FileInfo(corpus);
        var key = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{modelKey}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 8)) + ".vectors";
    }
}
