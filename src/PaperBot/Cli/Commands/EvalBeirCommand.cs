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
using PaperBot.Core.Search.Ranking;
using PaperBot.Core.Search.Syntax;
using PaperBot.Hosting;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `eval beir CORPUS QUERIES QRELS`: nDCG@10, Recall@100 and MRR@10 of the product's search (lexical, semantic or
/// hybrid) on a BEIR collection. The corpus vectors are cached in the temp folder (keyed by corpus and model).
/// </summary>
public sealed class EvalBeirCommand(IServiceProvider services, CliConsole console) : ICliCommand
{
    /// <summary>The relevance model is fitted on each query's top 10 (the hits people see), not the whole top 100.</summary>
    public const int RelevanceFitDepth = 10;

    public string Name => "eval beir";

    public string Summary => "Evaluate search on a BEIR collection (nDCG@10, Recall@100, MRR@10); lexical, semantic or hybrid.";

    public string Usage => "eval beir <corpus.jsonl[.gz]> <queries.tsv[.gz]> <qrels> [--mode lexical|semantic|hybrid] [--fusion rrf|relevance] [--rrf-k N] " +
                           "[--k1 X] [--b X] [--title-boost X] [--fit-relevance] [--json]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "k1", "b", "title-boost", "mode", "fusion", "rrf-k", "fit-relevance");
        if (args.Positionals.Count != 3)
        {
            throw new CliUsageException($"usage: paperbot {Usage}");
        }

        var defaults = SearchOptions.DefaultIndexSettings;
        var settings = defaults with
        {
            K1 = GetFloat(args, "k1", defaults.K1),
            B = GetFloat(args, "b", defaults.B),
            TitleBoost = GetFloat(args, "title-boost", defaults.TitleBoost),
        };
        var embeddingOptions = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        var configured = services.GetRequiredService<IOptions<SearchOptions>>().Value;
        var mode = SearchCommand.ParseMode(args.Get("mode"));
        if (mode == SearchMode.Auto)
        {
            mode = embeddingOptions.Enabled ? SearchMode.Hybrid : SearchMode.Lexical;
        }

        if (mode != SearchMode.Lexical && !embeddingOptions.Enabled)
        {
            throw new UserFacingException($"--mode {mode.ToString().ToLowerInvariant()} needs embeddings; Embeddings:Provider is none");
        }

        var options = new SearchOptions
        {
            K1 = settings.K1, B = settings.B, TitleBoost = settings.TitleBoost,
            Fusion = ParseFusion(args.Get("fusion")) ?? configured.Fusion,
            RrfK = args.GetInt("rrf-k", configured.RrfK, 1, 1000),
            Candidates = configured.Candidates,
        };

        BeirDataset data;
        try
        {
            data = BeirDataset.Load(args.Positionals[0], args.Positionals[1], args.Positionals[2]);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new UserFacingException(ex.Message, ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var papers = BeirEvaluator.Papers(data).ToList();
        var sw = Stopwatch.StartNew();
        IDenseRetriever dense = new NoDenseRetriever();
        if (mode != SearchMode.Lexical)
        {
            var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            var cache = Path.Combine(Path.GetTempPath(), "paperbot-eval-cache", CacheName(args.Positionals[0], embeddingOptions.ModelKey));
            var bar = console.IsInteractive && !args.Has("json");
            var vectors = await EvalHarness.VectorsAsync(papers, generator, embeddingOptions, cache, null,
                new SyncProgress<EmbeddingProgress>(p =>
                {
                    if (bar && p.Total > 0)
                    {
                        console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rembedding the corpus: {p.Done}/{p.Total} ({p.PapersPerSecond:F1}/s)   "));
                    }
                }), cancellationToken);
            dense = new InMemoryDenseRetriever(vectors, generator, embeddingOptions.ModelKey);
        }

        using var harness = EvalHarness.Create(new FixedPaperStore(papers), options, dense);
        var indexTime = sw.Elapsed;
        var fit = args.Has("fit-relevance") ? new List<(double[] X, bool Y, int Kind)>() : null;
        var r = BeirEvaluator.Run(data, q =>
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
        }, settings, indexTime);

        var fitted = fit is null ? null : FitRelevance(fit);
        if (args.Has("json"))
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                documents = r.Documents,
                queries = r.Queries,
                mode = mode.ToString().ToLowerInvariant(),
                fusion = mode == SearchMode.Hybrid ? options.Fusion.ToString().ToLowerInvariant() : null,
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
        if (console.IsInteractive)
        {
            await console.Error.WriteLineAsync();
        }

        await console.Out.WriteLineAsync(string.Create(inv, $"documents   {r.Documents,8}   (indexed{(mode == SearchMode.Lexical ? "" : " and embedded")} in {r.IndexTime.TotalSeconds:F2} s)"));
        await console.Out.WriteLineAsync(string.Create(inv, $"queries     {r.Queries,8}   (ran in {r.QueryTime.TotalSeconds:F2} s)"));
        await console.Out.WriteLineAsync(string.Create(inv, $"mode        {mode.ToString().ToLowerInvariant()}{(mode == SearchMode.Hybrid ? $" (fusion {options.Fusion.ToString().ToLowerInvariant()}{(options.Fusion == FusionMethod.Rrf ? $", k={options.RrfK}" : "")})" : "")}{(mode == SearchMode.Lexical ? "" : $", {embeddingOptions.ModelKey}")}"));
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

    /// <summary>The lexical-only and the dense+lexical logistic models of <see cref="RelevanceModel"/>, fitted on the judged candidates.</summary>
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

    public static FusionMethod? ParseFusion(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "rrf" => FusionMethod.Rrf,
        "relevance" => FusionMethod.Relevance,
        _ => throw new CliUsageException($"--fusion must be rrf or relevance (got '{raw}')"),
    };

    private static float GetFloat(CliArgs args, string name, float defaultValue)
    {
        var raw = args.Get(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!float.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0 || v > 100)
        {
            throw new CliUsageException($"--{name} must be a number between 0 and 100 (got '{raw}')");
        }

        return v;
    }
}
