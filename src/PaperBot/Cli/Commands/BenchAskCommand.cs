using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.Core.Search.Evaluation;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `bench ask QUESTIONS.jsonl`: end-to-end latency of <c>ask</c> with the configured backend (offline by default) on
/// the database (the sample corpus when empty). One untimed warm-up question loads the model, the search index and
/// the vectors; then every question is asked once, in its own conversation, and timed: retrieval with the query
/// embedding, the relevance gate (sentence vectors read from the store or the sample's resource; computed here only
/// for papers without stored ones) and the answer text. Prints p50/p95/max and the machine's load average before and after (the machine may be shared).
/// </summary>
public sealed class BenchAskCommand(IServiceProvider services, CliConsole console) : ICliCommand<BenchAskCommand.Input>
{
    public sealed record Input(string Questions, bool Json);

    public static CliVerb Define()
    {
        var questions = CliOptions.One("questions", "Question file (JSONL, the eval/dev-questions.jsonl format)");
        var json = CliOptions.Json();
        return CliVerb.For<BenchAskCommand, Input>("ask", "Benchmark ask latency (p50/p95, query embedding included) over a question file.",
            [questions, json],
            r => new Input(r.GetValue(questions)!, r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var questions = QuestionFiles.Load(input.Questions);

        await services.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync(cancellationToken);
        var assistant = services.GetRequiredService<IPaperAssistant>();
        var loadBefore = LoadAverage();
        await AskAsync(assistant, "bench:warm-up", "warm-up question about transformer attention", cancellationToken);
        var ms = new List<double>(questions.Count);
        foreach (var q in questions)
        {
            var sw = Stopwatch.StartNew();
            await AskAsync(assistant, "bench:" + q.Id + ":" + Guid.NewGuid().ToString("N"), q.Question, cancellationToken);
            ms.Add(sw.Elapsed.TotalMilliseconds);
        }

        var loadAfter = LoadAverage();
        ms.Sort();
        double P(double p) => ms.Count == 0 ? 0 : ms[Math.Clamp((int)Math.Ceiling(ms.Count * p) - 1, 0, ms.Count - 1)];
        var inv = CultureInfo.InvariantCulture;
        await console.Out.WriteLineAsync(input.Json
            ? JsonSerializer.Serialize(new { questions = ms.Count, p50_ms = Math.Round(P(0.5), 1), p95_ms = Math.Round(P(0.95), 1), max_ms = Math.Round(ms.Count == 0 ? 0 : ms[^1], 1), load_before = loadBefore, load_after = loadAfter, cores = Environment.ProcessorCount })
            : string.Create(inv, $"ask latency over {ms.Count} questions: p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, max {(ms.Count == 0 ? 0 : ms[^1]):F1} ms; load average {loadBefore} before, {loadAfter} after ({Environment.ProcessorCount} cores)"));
        return 0;
    }

    private static Task<AssistantAnswer> AskAsync(IPaperAssistant assistant, string key, string question, CancellationToken ct) =>
        assistant.AskAsync(new AskRequest { ConversationKey = key, UserId = "bench", Question = question }, ct);

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "unknown".</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
