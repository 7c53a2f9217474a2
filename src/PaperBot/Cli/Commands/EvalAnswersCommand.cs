using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.AI.Evaluation;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `eval answers QUESTIONS.jsonl`: the answer-quality measure (per kind) of the configured answer backend on the
/// database (the sample corpus when it is empty). The logic is <see cref="AnswerEvaluator"/>; this only parses.
/// </summary>
public sealed class EvalAnswersCommand(IServiceProvider services, CliConsole console) : ICliCommand
{
    public string Name => "eval answers";

    public string Summary => "Score answers to an evaluation question file (right paper first, evidence, off-topic, false premise).";

    public string Usage => "eval answers <questions.jsonl> [--json] [--details]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "details");
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException($"usage: paperbot {Usage}");
        }

        IReadOnlyList<EvalQuestion> questions;
        try
        {
            questions = QuestionSet.Load(args.Positionals[0]);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new UserFacingException(ex.Message, ex);
        }

        await services.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync(cancellationToken);
        var evaluator = new AnswerEvaluator(services.GetRequiredService<IPaperAssistant>(), services.GetRequiredService<IPaperStore>());
        var missing = evaluator.MissingTitles(questions);
        if (missing.Count > 0)
        {
            await console.Error.WriteLineAsync($"warning: {missing.Count} relevant title(s) are not in the database (first: \"{missing[0]}\"); those questions cannot score.");
        }

        var result = await evaluator.RunAsync(questions, cancellationToken);
        await console.Out.WriteLineAsync(args.Has("json")
            ? JsonSerializer.Serialize(AnswerEvaluationReport.Json(result))
            : AnswerEvaluationReport.Text(result, args.Has("details")));
        return 0;
    }
}
