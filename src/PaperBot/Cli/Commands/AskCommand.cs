using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>paperbot ask "question" [--json] [--conversation KEY]: a grounded answer with numbered citations.</summary>
/// <remarks>The assistant is resolved when the verb runs, so listing commands never builds the AI stack.</remarks>
public sealed class AskCommand(IServiceProvider services, CliConsole console) : ICliCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name => "ask";

    public string Summary => "Ask a question about the stored papers (answer with numbered citations).";

    public string Usage => "ask \"<question>\" [--json] [--conversation KEY]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "conversation");
        var question = string.Join(' ', args.Positionals).Trim();
        if (question.Length == 0)
        {
            throw new CliUsageException("ask needs a question, e.g. paperbot ask \"what is speculative decoding?\"");
        }

        // First use with an empty database: answer from the bundled sample corpus.
        await services.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync(cancellationToken);
        var assistant = services.GetRequiredService<IPaperAssistant>();
        var answer = await assistant.AskAsync(new AskRequest
        {
            ConversationKey = "cli:" + (args.Get("conversation") ?? "default"),
            UserId = "cli",
            Question = question,
        }, cancellationToken);

        if (args.Has("json"))
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
