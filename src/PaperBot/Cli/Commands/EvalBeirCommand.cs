using System.Globalization;
using System.Text.Json;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Core.Search.Indexing;

namespace PaperBot.Cli.Commands;

/// <summary>`eval beir CORPUS QUERIES QRELS`: nDCG@10, Recall@100 and MRR@10 of the product's BM25 on a BEIR collection.</summary>
public sealed class EvalBeirCommand(CliConsole console) : ICliCommand<EvalBeirCommand.Input>
{
    public sealed record Input(string Corpus, string Queries, string Qrels, PaperIndexSettings Settings, bool Json, bool NoProgress);

    public static CliVerb Define()
    {
        var corpus = CliOptions.One("corpus", "BEIR corpus.jsonl or corpus.jsonl.gz");
        var queries = CliOptions.One("queries", "queries.tsv[.gz] (id, text) or queries.jsonl[.gz]");
        var qrels = CliOptions.One("qrels", "Relevance judgments (TREC or BEIR tsv)");
        var k1 = CliOptions.Number("--k1", 0, 100, "BM25 k1 (default Search:K1's default)");
        var b = CliOptions.Number("--b", 0, 100, "BM25 b");
        var titleBoost = CliOptions.Number("--title-boost", 0, 100, "Extra weight of query terms in the title");
        var json = CliOptions.Json();
        var noProgress = CliOptions.Flag("--no-progress", "Do not draw a progress bar");
        return CliVerb.For<EvalBeirCommand, Input>("beir", "Evaluate lexical search on a BEIR collection (nDCG@10, Recall@100, MRR@10).",
            [corpus, queries, qrels, k1, b, titleBoost, json, noProgress],
            r =>
            {
                var defaults = SearchOptions.DefaultIndexSettings;
                var settings = defaults with
                {
                    K1 = r.GetValue(k1) ?? defaults.K1,
                    B = r.GetValue(b) ?? defaults.B,
                    TitleBoost = r.GetValue(titleBoost) ?? defaults.TitleBoost,
                };
                return new Input(r.GetValue(corpus)!, r.GetValue(queries)!, r.GetValue(qrels)!, settings, r.GetValue(json), r.GetValue(noProgress));
            },
            usesHost: false);
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var settings = input.Settings;
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
        var r = await CliProgress.Run(console, !input.Json && !input.NoProgress, "items", progress => BeirEvaluator.Run(data, settings, progress));
        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                documents = r.Documents,
                queries = r.Queries,
                ndcg_at_10 = Math.Round(r.NdcgAt10, 4),
                recall_at_100 = Math.Round(r.RecallAt100, 4),
                mrr_at_10 = Math.Round(r.MrrAt10, 4),
                index_ms = (long)r.IndexTime.TotalMilliseconds,
                query_ms = (long)r.QueryTime.TotalMilliseconds,
                settings = new { k1 = settings.K1, b = settings.B, title_boost = settings.TitleBoost },
            }));
            return 0;
        }

        var inv = CultureInfo.InvariantCulture;
        await console.Out.WriteLineAsync(string.Create(inv, $"documents   {r.Documents,8}   (indexed in {r.IndexTime.TotalSeconds:F2} s)"));
        await console.Out.WriteLineAsync(string.Create(inv, $"queries     {r.Queries,8}   (ran in {r.QueryTime.TotalSeconds:F2} s)"));
        await console.Out.WriteLineAsync(string.Create(inv, $"BM25        k1={settings.K1:0.###} b={settings.B:0.###} title-boost={settings.TitleBoost:0.###}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"nDCG@10     {r.NdcgAt10,8:F4}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"Recall@100  {r.RecallAt100,8:F4}"));
        await console.Out.WriteLineAsync(string.Create(inv, $"MRR@10      {r.MrrAt10,8:F4}"));
        return 0;
    }
}
