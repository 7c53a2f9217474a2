using System.Globalization;
using System.Text.Json;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Core.Search.Indexing;
using PaperBot.Hosting;

namespace PaperBot.Cli.Commands;

/// <summary>`eval beir CORPUS QUERIES QRELS`: nDCG@10, Recall@100 and MRR@10 of the product's BM25 on a BEIR collection.</summary>
public sealed class EvalBeirCommand(CliConsole console) : ICliCommand
{
    public string Name => "eval beir";

    public string Summary => "Evaluate lexical search on a BEIR collection (nDCG@10, Recall@100, MRR@10).";

    public string Usage => "eval beir <corpus.jsonl[.gz]> <queries.tsv[.gz]> <qrels> [--k1 X] [--b X] [--title-boost X] [--json]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "k1", "b", "title-boost");
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
        var r = BeirEvaluator.Run(data, settings);
        if (args.Has("json"))
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
