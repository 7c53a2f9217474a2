using PaperBot.Core.Papers;

namespace PaperBot.AI;

/// <summary>
/// The AI facade used by the bot and the CLI: grounded answers with numbered citations, summaries, comparisons and
/// digest lines. Never throws for LLM trouble: when the model is unreachable or over budget the offline (extractive)
/// answer is returned with <see cref="AssistantAnswer.UsedFallback"/> set and a <see cref="AssistantAnswer.Notice"/>.
/// </summary>
public interface IPaperAssistant
{
    /// <summary>Answers a question (with conversation memory for <see cref="AskRequest.ConversationKey"/>).</summary>
    Task<AssistantAnswer> AskAsync(AskRequest request, CancellationToken cancellationToken = default);

    /// <summary>Summarises the given papers (unknown ids are reported in the notice).</summary>
    Task<AssistantAnswer> SummarizeAsync(IReadOnlyList<string> paperIds, SummaryStyle style, RequestContext? context = null, CancellationToken cancellationToken = default);

    /// <summary>Compares papers as a markdown table; aspects default to task, method, data, results, limitations.</summary>
    Task<AssistantAnswer> CompareAsync(IReadOnlyList<string> paperIds, IReadOnlyList<string>? aspects = null, RequestContext? context = null, CancellationToken cancellationToken = default);

    /// <summary>One short line per paper (same order and count as <paramref name="papers"/>) for the daily digest.</summary>
    Task<DigestLines> DigestLinesAsync(IReadOnlyList<Paper> papers, RequestContext? context = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A short digest of a discussion (lines "[reactions] text") about the paper titled <paramref name="title"/>, from the
    /// LLM (prompts/session-notes.yaml). Backend "offline" with empty Markdown when no LLM is configured, over budget or
    /// failing: the caller then builds its extractive digest.
    /// </summary>
    Task<AssistantAnswer> DiscussionNotesAsync(string title, IReadOnlyList<string> messages, RequestContext? context = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AssistantAnswer { Markdown = "", Backend = "offline" });
}

/// <summary>A question. ConversationKey identifies the memory (e.g. "guild:1/channel:2", "thread:3", "dm:4").</summary>
public sealed record AskRequest
{
    public required string ConversationKey { get; init; }

    public required string UserId { get; init; }

    public string? GuildId { get; init; }

    public required string Question { get; init; }
}

/// <summary>Who asks (for budgets) and, optionally, which conversation the result belongs to.</summary>
public sealed record RequestContext(string UserId, string? GuildId = null, string? ConversationKey = null);

public enum SummaryStyle
{
    Tldr,
    Eli5,
    Technical,
}

public sealed record Citation(int Number, string PaperId, string Title, string Url);

public readonly record struct TokenUsage(long InputTokens, long OutputTokens)
{
    public long Total => InputTokens + OutputTokens;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b) => new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens);
}

/// <summary>
/// An answer: Markdown whose [n] markers map to <see cref="Citations"/> (every citation is a paper that was really
/// retrieved). <see cref="Notice"/> is user-visible text to show with the answer (fallback reason, removed citations).
/// </summary>
public sealed record AssistantAnswer
{
    public required string Markdown { get; init; }

    public IReadOnlyList<Citation> Citations { get; init; } = [];

    public bool UsedFallback { get; init; }

    public string? Notice { get; init; }

    public TokenUsage Usage { get; init; }

    /// <summary>"llm" or "offline": which backend produced the text.</summary>
    public string Backend { get; init; } = "offline";

    /// <summary>True when retrieval found nothing relevant (the answer says so instead of guessing, and cites nothing).</summary>
    public bool NothingFound { get; init; }

    /// <summary>
    /// True when the answer says the question's premise is not supported: a named paper or model the database does
    /// not have, or a claim the cited abstract contradicts (the answer then quotes what it says).
    /// </summary>
    public bool PremiseUnsupported { get; init; }
}

public sealed record DigestLines(IReadOnlyList<string> Lines, bool UsedFallback, string? Notice, TokenUsage Usage);

public static class AssistantAnswerExtensions
{
    /// <summary>The answer followed by a "References" list ([n] title — url), for plain-text outputs such as the CLI.</summary>
    public static string ToMarkdownWithReferences(this AssistantAnswer answer)
    {
        if (answer.Citations.Count == 0)
        {
            return answer.Markdown;
        }

        var refs = string.Join('\n', answer.Citations.Select(c => $"[{c.Number}] {c.Title} — {c.Url}"));
        return $"{answer.Markdown}\n\nReferences:\n{refs}";
    }
}
