using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.Cli.Evaluation;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Dense;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Ingestion;
using PaperBot.Storage;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `eval questions FILE`: retrieval recall@5 per kind of question (the measure of the dev question set's README) on the bundled sample
/// corpus, through the product's search (a private temporary database, so the user's is not touched), plus the top
/// hit's relevance per kind (off_topic shows whether the "nothing relevant" threshold holds).
/// </summary>
public sealed class EvalQuestionsCommand(IServiceProvider services, CliConsole console, TimeProvider time) : ICliCommand<EvalQuestionsCommand.Input>
{
    public sealed record Input(string File, SearchMode Mode, int Top, bool Json);

    public static CliVerb Define()
    {
        var file = CliOptions.One("questions", "Questions (JSON Lines: id, question, kind, relevant_titles, …)");
        var mode = SearchCommand.ModeOption();
        var top = CliOptions.Int("--top", 5, 1, 100, "Recall at this many papers");
        var json = CliOptions.Json();
        return CliVerb.For<EvalQuestionsCommand, Input>("questions", "Retrieval recall@5 per kind of question on the sample corpus (lexical, semantic or hybrid).",
            [file, mode, top, json], r => new Input(r.GetValue(file)!, r.GetValue(mode), r.GetValue(top), r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var top = input.Top;
        var questions = QuestionFiles.Load(input.File);

        var embeddingOptions = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        var mode = input.Mode;
        if (mode == SearchMode.Auto)
        {
            mode = embeddingOptions.Enabled ? SearchMode.Hybrid : SearchMode.Lexical;
        }

        if (mode != SearchMode.Lexical && !embeddingOptions.Enabled)
        {
            throw new UserFacingException($"--mode {mode.ToString().ToLowerInvariant()} needs embeddings; Embeddings:Provider is none");
        }

        var dir = Path.Combine(Path.GetTempPath(), $"paperbot-evalq-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            QuestionEvaluation result;
            using (var db = new LiteDbContext(Path.Combine(dir, "sample.db")))
            {
                var store = new LiteDbPaperStore(db);
                await new SampleCorpusLoader(store, time).EnsureSampleLoadedAsync(cancellationToken);
                var papers = store.All().ToList();
                IDenseRetriever dense = new NoDenseRetriever();
                if (mode != SearchMode.Lexical)
                {
                    var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
                    var vectors = await EvalHarness.VectorsAsync(papers, generator, embeddingOptions, null, services.GetRequiredService<SampleVectors>(), null, cancellationToken);
                    dense = new InMemoryDenseRetriever(vectors, generator, embeddingOptions.ModelKey);
                }

                var configured = services.GetRequiredService<IOptions<SearchOptions>>().Value;
                var options = new SearchOptions
                {
                    K1 = configured.K1, B = configured.B, TitleBoost = configured.TitleBoost, Fusion = configured.Fusion, RrfK = configured.RrfK,
                    Candidates = configured.Candidates, RelevanceFloor = configured.RelevanceFloor,
                };
                using var harness = EvalHarness.Create(store, options, dense);
                result = QuestionEvaluator.Run(questions,
                    q => harness.Search.SearchAsync(new SearchQuery(q.Question) { Top = top, Mode = mode }, cancellationToken).GetAwaiter().GetResult(), top);
            }

            await WriteAsync(result, mode, input.Json);
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // a temp dir left behind is harmless
            }
        }
    }

    private async Task WriteAsync(QuestionEvaluation r, SearchMode mode, bool json)
    {
        static double? Num(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);
        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                mode = mode.ToString().ToLowerInvariant(),
                k = r.K,
                recall_overall = Num(r.OverallRecall),
                judged = r.OverallJudged,
                kinds = r.Kinds.Select(k => new
                {
                    kind = k.Kind, questions = k.Questions, judged = k.Judged, recall = Num(k.RecallAtK),
                    top_relevance_mean = Num(k.MeanTopRelevance), top_relevance_min = Num(k.MinTopRelevance), top_relevance_max = Num(k.MaxTopRelevance),
                }),
                questions = r.PerQuestion.Select(q => new { id = q.Id, kind = q.Kind, recall = Num(q.Recall), top_relevance = q.TopRelevance is { } t ? Math.Round(t, 3) : (double?)null }),
            }));
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var table = CliConsole.Table(("kind", false), ("questions", true), ($"recall@{r.K}", true), ("top relevance min", true), ("mean", true), ("max", true));
        foreach (var k in r.Kinds)
        {
            table.Row(k.Kind, k.Questions, double.IsNaN(k.RecallAtK) ? "-" : k.RecallAtK.ToString("F3", inv),
                k.MinTopRelevance.ToString("F2", inv), k.MeanTopRelevance.ToString("F2", inv), k.MaxTopRelevance.ToString("F2", inv));
        }

        table.Row("overall", r.OverallJudged, double.IsNaN(r.OverallRecall) ? "-" : r.OverallRecall.ToString("F3", inv), "", "", "");
        await console.Out.WriteLineAsync($"mode {mode.ToString().ToLowerInvariant()}, recall@{r.K} of the relevant titles (questions with none are not counted)\n");
        await console.WriteAsync(table);
    }
}
