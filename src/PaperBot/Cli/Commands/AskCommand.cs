using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>paperbot ask "question" [--json] [--conversation KEY]: a grounded answer with numbered citations.</summary>
/// <remarks>The assistant is resolved when the verb runs, so listing commands never builds the AI stack.</remarks>
public sealed class AskCommand(IServiceProvider services, CliConsole console) : ICliCommand<AskCommand.Input>
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public sealed record Input(string Question, string Conversation, bool Json);

    public static CliVerb Define()
    {
        var question = CliOptions.Words("question", "The question");
        var conversation = CliOptions.Text("--conversation", "Memory key: follow-ups with the same key continue the conversation (default \"default\")", "KEY");
        var json = CliOptions.Json();
        return CliVerb.For<AskCommand, Input>("ask", "Ask a question about the stored papers (answer with numbered citations).",
            [question, conversation, json],
            r =>
            {
                var text = string.Join(' ', r.GetValue(question) ?? []).Trim();
                return text.Length == 0
                    ? throw new CliUsageException("ask needs a question, e.g. paperbot ask \"what is speculative decoding?\"")
                    : new Input(text, r.GetValue(conversation) ?? "default", r.GetValue(json));
            });
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var question = input.Question;

        // First use with an empty database: answer from the bundled sample corpus.
        await services.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync(cancellationToken);
        var assistant = services.GetRequiredService<IPaperAssistant>();
        var answer = await assistant.AskAsync(new AskRequest
        {
            ConversationKey = "cli:" + input.Conversation,
            UserId = "cli",
            Question = question,
        }, cancellationToken);

        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                answer = answer.Markdown,
                citations = answer.Citations,
                backend = answer.Backend,
                usedFallback = answer.UsedFallback,
                notice = answer.Notice,
                nothingFound = answer.NothingFound,
                usage = new { input = answer.Usage.InputTokens, output = answer.Usage.OutputTokens },
            }, Json));
            return 0;
        }

        if (answer.Notice is not null)
        {
            await console.Error.WriteLineAsync("note: " + answer.Notice);
        }

        await console.Out.WriteLineAsync(answer.ToMarkdownWithReferences());
        return 0;
    }
}
