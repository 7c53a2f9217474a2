using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.AI.Evaluation;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `eval answers QUESTIONS.jsonl`: the answer-quality measure (per kind) of the configured answer backend on the
/// database (the sample corpus when it is empty). The logic is <see cref="AnswerEvaluator"/>; this only binds.
/// </summary>
public sealed class EvalAnswersCommand(IServiceProvider services, CliConsole console) : ICliCommand<EvalAnswersCommand.Input>
{
    public sealed record Input(string Questions, bool Json, bool Details);

    public static CliVerb Define()
    {
        var questions = CliOptions.One("questions", "Question file (JSONL, the eval/dev-questions.jsonl format)");
        var json = CliOptions.Json();
        var details = CliOptions.Flag("--details", "List every answer that scored below 1");
        return CliVerb.For<EvalAnswersCommand, Input>("answers", "Score answers to a question file per kind (right paper first, evidence, off-topic, false premise).",
            [questions, json, details],
            r => new Input(r.GetValue(questions)!, r.GetValue(json), r.GetValue(details)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var questions = QuestionFiles.Load(input.Questions);

        await services.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync(cancellationToken);
        var evaluator = new AnswerEvaluator(services.GetRequiredService<IPaperAssistant>(), services.GetRequiredService<IPaperStore>());
        var missing = evaluator.MissingTitles(questions);
        if (missing.Count > 0)
        {
            await console.Error.WriteLineAsync($"warning: {missing.Count} relevant title(s) are not in the database (first: \"{missing[0]}\"); those questions cannot score.");
        }

        var result = await evaluator.RunAsync(questions, cancellationToken);
        await console.Out.WriteLineAsync(input.Json
            ? JsonSerializer.Serialize(AnswerEvaluationReport.Json(result))
            : AnswerEvaluationReport.Text(result, input.Details));
        return 0;
    }
}
