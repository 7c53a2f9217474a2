using Microsoft.SemanticKernel;
using PaperBot.AI.Memory;

namespace PaperBot.AI.Orchestration;

/// <summary>
/// The token usage of one model response: the server's "usage" when it sent one, otherwise an estimate with the o200k
/// tokenizer over the messages sent (input) and the text and tool calls received (output). Servers that omit usage
/// (some OpenAI-compatible ones, or streaming) are therefore still charged.
/// </summary>
public sealed class UsageEstimator(TokenCounter tokens)
{
    /// <summary>Per-message overhead of the chat format (role and separators), as OpenAI documents it.</summary>
    private const int MessageOverhead = 4;

    public static TokenUsage? Reported(IReadOnlyDictionary<string, object?>? metadata) =>
        metadata?.TryGetValue("Usage", out var u) == true && u is OpenAI.Chat.ChatTokenUsage usage && usage.TotalTokenCount > 0
            ? new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount)
            : null;

    /// <summary>Usage of <paramref name="response"/>, given the history it answered (the response itself is skipped).</summary>
    public TokenUsage Of(ChatMessageContent? response, IEnumerable<ChatMessageContent> sent)
    {
        if (Reported(response?.Metadata) is { } reported)
        {
            return reported;
        }

        var input = sent.Where(m => !ReferenceEquals(m, response)).Sum(Count);
        return new TokenUsage(input, response is null ? 0 : Count(response));
    }

    /// <summary>Estimated output tokens of a plain text completion.</summary>
    public TokenUsage OfText(string prompt, string completion) => new(tokens.Count(prompt) + MessageOverhead, tokens.Count(completion));

    private long Count(ChatMessageContent m)
    {
        long n = MessageOverhead + tokens.Count(m.Content ?? "");
        foreach (var item in m.Items)
        {
            n += item switch
            {
                Microsoft.SemanticKernel.FunctionCallContent call => tokens.Count(call.FunctionName) + tokens.Count(call.Arguments is null ? "" : string.Join(' ', call.Arguments.Select(a => a.Key + " " + a.Value))),
                Microsoft.SemanticKernel.FunctionResultContent result => tokens.Count(result.Result as string ?? System.Text.Json.JsonSerializer.Serialize(result.Result)),
                _ => 0,
            };
        }

        return n;
    }
}
