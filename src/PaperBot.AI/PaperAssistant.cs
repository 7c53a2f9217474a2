using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using PaperBot.AI.Budget;
using PaperBot.AI.Configuration;
using PaperBot.AI.Grounding;
using PaperBot.AI.Llm;
using PaperBot.AI.Memory;
using PaperBot.AI.Offline;
using PaperBot.AI.Plugins;
using PaperBot.AI.Prompts;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI;

/// <summary>
/// The facade: routes each request to the LLM (SK chat completion with automatic function calling over the paper
/// plugins) or to the offline fixed plan, applies budgets, the citation post-check and conversation memory, and falls
/// back to the offline answer (with a notice) whenever the LLM is unavailable or over budget.
/// </summary>
public sealed class PaperAssistant(
    ChatBackend backend,
    PromptLibrary prompts,
    IPaperRetriever retriever,
    ISearchService search,
    IPaperStore store,
    ConversationMemory memory,
    TokenBudget budget,
    OfflinePlanner offline,
    TimeProvider time,
    IOptions<LlmOptions> options,
    ILogger<PaperAssistant> logger) : IPaperAssistant
{
    public const string SystemUser = "system";

    private static readonly Dictionary<SummaryStyle, string> StyleInstructions = new()
    {
        [SummaryStyle.Tldr] = "Two sentences at most: what the paper does and its main result.",
        [SummaryStyle.Eli5] = "Explain for a beginner with no machine-learning background: plain words, no jargon, one everyday analogy at most, still faithful to the abstract.",
        [SummaryStyle.Technical] = "For an expert: method, data, evaluation and quantitative results as stated in the abstract, 3-5 bullet points.",
    };

    public async Task<AssistantAnswer> AskAsync(AskRequest request, CancellationToken cancellationToken = default)
    {
        var question = request.Question.Trim();
        if (question.Length == 0)
        {
            return new AssistantAnswer { Markdown = "Ask me something about research papers, e.g. \"what is new in speculative decoding?\"", NothingFound = true };
        }

        var previous = memory.LastCited(request.ConversationKey);
        var referenced = ReferenceResolver.Resolve(question, previous);
        var answer = await RunAsync(
            request.UserId,
            request.GuildId,
            "ask",
            ct => AskLlmAsync(request, question, referenced, previous, ct),
            ct => offline.AnswerAsync(question, referenced, NewPlugins(new RetrievalLog()), ct),
            cancellationToken).ConfigureAwait(false);
        memory.Append(request.ConversationKey, question, answer.Markdown, answer.Citations.Select(c => c.PaperId));
        return answer;
    }

    public async Task<AssistantAnswer> SummarizeAsync(IReadOnlyList<string> paperIds, SummaryStyle style, RequestContext? context = null, CancellationToken cancellationToken = default)
    {
        var plugins = NewPlugins(new RetrievalLog());
        var result = plugins.Summarize(paperIds.ToArray(), style.ToString());
        if (result.Papers.Count == 0)
        {
            return Unknown(paperIds);
        }

        var papers = plugins.Log.Papers;
        var answer = await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "summarize",
            ct => InvokePromptAsync("summarize", PromptLibrary.Summarize, papers, new KernelArguments
            {
                ["style"] = style.ToString().ToLowerInvariant(),
                ["style_instructions"] = StyleInstructions[style],
                ["papers"] = Numbered(papers, 2500),
            }, ct),
            _ => Task.FromResult(FromText(OfflinePlanner.RenderSummary(result))),
            cancellationToken).ConfigureAwait(false);
        Remember(context, $"summarize {string.Join(' ', paperIds)} ({style})", answer);
        return answer;
    }

    public async Task<AssistantAnswer> CompareAsync(IReadOnlyList<string> paperIds, IReadOnlyList<string>? aspects = null, RequestContext? context = null, CancellationToken cancellationToken = default)
    {
        var plugins = NewPlugins(new RetrievalLog());
        var aspectText = aspects is { Count: > 0 } ? string.Join(", ", aspects) : null;
        var result = plugins.Compare(paperIds.ToArray(), aspectText);
        if (result.Papers.Count == 0)
        {
            return Unknown(paperIds);
        }

        var papers = plugins.Log.Papers;
        var answer = await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "compare",
            ct => InvokePromptAsync("compare", PromptLibrary.Compare, papers, new KernelArguments
            {
                ["aspects"] = string.Join(", ", PaperPlugins.ParseAspects(aspectText)),
                ["papers"] = Numbered(papers, 2000),
            }, ct),
            _ => Task.FromResult(FromText(OfflinePlanner.RenderCompare(result))),
            cancellationToken).ConfigureAwait(false);
        Remember(context, $"compare {string.Join(' ', paperIds)}", answer);
        return answer;
    }

    public async Task<DigestLines> DigestLinesAsync(IReadOnlyList<Paper> papers, RequestContext? context = null, CancellationToken cancellationToken = default)
    {
        var offlineLines = papers.Select(ExtractiveEngine.DigestLine).ToList();
        if (papers.Count == 0)
        {
            return new DigestLines([], false, null, default);
        }

        var answer = await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "digest",
            async ct =>
            {
                var (text, usage) = await InvokeRawAsync("digest", PromptLibrary.DailyDigest, new KernelArguments
                {
                    ["papers"] = Numbered(papers, 1200),
                    ["max_words"] = "25",
                }, ct).ConfigureAwait(false);
                return new AssistantAnswer { Markdown = text, Usage = usage, Backend = "llm" };
            },
            _ => Task.FromResult(new AssistantAnswer { Markdown = "", Backend = "offline" }),
            cancellationToken).ConfigureAwait(false);
        if (answer.Backend != "llm")
        {
            return new DigestLines(offlineLines, answer.UsedFallback, answer.Notice, answer.Usage);
        }

        // "n. text" per paper; any paper the model skipped keeps its extractive line.
        var lines = offlineLines.ToArray();
        foreach (var raw in answer.Markdown.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dot = raw.IndexOf('.');
            if (dot > 0 && int.TryParse(raw.AsSpan(0, dot).Trim().TrimStart('[').TrimEnd(']'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) &&
                n >= 1 && n <= lines.Length && raw[(dot + 1)..].Trim() is { Length: > 0 } line)
            {
                lines[n - 1] = TextAnalysis.Truncate(line, 300);
            }
        }

        return new DigestLines(lines, false, null, answer.Usage);
    }

    /// <summary>Budget check → LLM → on any failure the offline answer with a visible notice.</summary>
    private async Task<AssistantAnswer> RunAsync(
        string userId,
        string? guildId,
        string command,
        Func<CancellationToken, Task<AssistantAnswer>> llm,
        Func<CancellationToken, Task<AssistantAnswer>> offlinePlan,
        CancellationToken ct)
    {
        if (backend.IsOffline)
        {
            return await offlinePlan(ct).ConfigureAwait(false);
        }

        var exceeded = userId == SystemUser ? null : budget.CheckExceeded(userId, guildId);
        if (exceeded is not null)
        {
            logger.LogInformation("{Command}: budget exceeded for user {User}; answering offline", command, userId);
            var o = await offlinePlan(ct).ConfigureAwait(false);
            return o with { UsedFallback = true, Notice = Join($"Answered offline (extractive): {exceeded}.", o.Notice) };
        }

        try
        {
            var answer = await llm(ct).ConfigureAwait(false);
            budget.Record(userId, guildId, answer.Usage);
            return answer;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var reason = Describe(ex);
            logger.LogWarning("{Command}: LLM {Provider} unavailable ({Reason}); answering offline", command, backend.Provider, reason);
            var o = await offlinePlan(ct).ConfigureAwait(false);
            return o with { UsedFallback = true, Notice = Join($"The AI model is unavailable right now ({reason}), so this is an extractive answer from the paper abstracts.", o.Notice) };
        }
    }

    private async Task<AssistantAnswer> AskLlmAsync(AskRequest request, string question, IReadOnlyList<string> referenced, IReadOnlyList<string> previous, CancellationToken ct)
    {
        var log = new RetrievalLog();
        var plugins = NewPlugins(log);
        var contextPapers = plugins.Resolve(referenced.Count > 0 ? referenced : previous);
        var contextText = contextPapers.Count == 0
            ? "(none)"
            : string.Join('\n', contextPapers.Select((p, i) => $"[{log.Add(p)}] {p.Id}: {p.Title}" + (referenced.Count > 0 ? " (the user refers to this paper)" : "")));

        var config = prompts.Config(PromptLibrary.AnswerWithCitations);
        var (service, settings) = backend.For("ask", config.DefaultExecutionSettings);
        settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(plugins, PaperPlugins.PluginName);

        var system = await prompts.RenderAsync(PromptLibrary.AnswerWithCitations, new KernelArguments
        {
            ["today"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["context"] = contextText,
        }, ct).ConfigureAwait(false);
        var history = new ChatHistory(system);
        foreach (var turn in memory.Recent(request.ConversationKey))
        {
            history.AddUserMessage(turn.Question);
            history.AddAssistantMessage(WithIds(turn));
        }

        history.AddUserMessage(question);
        var before = history.Count;
        var result = await service.GetChatMessageContentAsync(history, settings, kernel, ct).ConfigureAwait(false);
        var usage = history.Skip(before).Append(result).Distinct().Aggregate(default(TokenUsage), (u, m) => u + UsageOf(m.Metadata));

        var grounded = CitationPostCheck.Apply(result.Content ?? "", log);
        if (grounded.Removed.Count > 0)
        {
            logger.LogWarning("ask: removed {Count} citation(s) to papers that were not retrieved", grounded.Removed.Count);
        }

        return new AssistantAnswer
        {
            Markdown = grounded.Markdown.Length > 0 ? grounded.Markdown : OfflinePlanner.NothingFoundText(question),
            Citations = grounded.Citations,
            Notice = grounded.RemovedNotice,
            Usage = usage,
            Backend = "llm",
            NothingFound = log.Papers.Count == 0 || grounded.Citations.Count == 0 && log.Calls.Count > 0 && !log.Papers.Any(p => ExtractiveEngine.IsRelevant(question, p)),
        };
    }

    private async Task<AssistantAnswer> InvokePromptAsync(string command, string prompt, IReadOnlyList<Paper> papers, KernelArguments args, CancellationToken ct)
    {
        var (text, usage) = await InvokeRawAsync(command, prompt, args, ct).ConfigureAwait(false);
        var grounded = CitationPostCheck.Apply(text, papers);
        return new AssistantAnswer
        {
            Markdown = grounded.Markdown,
            Citations = grounded.Citations,
            Notice = grounded.RemovedNotice,
            Usage = usage,
            Backend = "llm",
        };
    }

    private async Task<(string Text, TokenUsage Usage)> InvokeRawAsync(string command, string prompt, KernelArguments args, CancellationToken ct)
    {
        var function = prompts.Function(prompt);
        var (service, settings) = backend.For(command, prompts.Config(prompt).DefaultExecutionSettings);
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(service);
        var kernel = builder.Build();
        var withSettings = new KernelArguments(settings);
        foreach (var kv in args)
        {
            withSettings[kv.Key] = kv.Value;
        }

        var result = await kernel.InvokeAsync(function, withSettings, ct).ConfigureAwait(false);
        var text = result.GetValue<string>() ?? "";
        var usage = UsageOf(result.Metadata);
        if (usage.Total == 0 && result.GetValue<ChatMessageContent>() is { } msg)
        {
            usage = UsageOf(msg.Metadata);
        }

        return (text, usage);
    }

    private PaperPlugins NewPlugins(RetrievalLog log) => new(retriever, search, store, time, log, options.Value.SearchTop);

    /// <summary>Previous answers are replayed with [id:…] citations so their old numbers cannot be confused with this turn's refs.</summary>
    private static string WithIds(ConversationTurn turn) =>
        System.Text.RegularExpressions.Regex.Replace(turn.Answer, @"\[(\d{1,2})\]", m =>
        {
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return n >= 1 && n <= turn.CitedIds.Count ? $"[id:{turn.CitedIds[n - 1]}]" : m.Value;
        });

    private static TokenUsage UsageOf(IReadOnlyDictionary<string, object?>? metadata) =>
        metadata?.TryGetValue("Usage", out var u) == true && u is OpenAI.Chat.ChatTokenUsage usage
            ? new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount)
            : default;

    private static string Numbered(IReadOnlyList<Paper> papers, int abstractChars)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i];
            sb.Append('[').Append(i + 1).Append("] ").Append(p.Title.Trim()).Append(" (id ").Append(p.Id).Append(")\n")
              .Append(TextAnalysis.Truncate(p.Abstract, abstractChars)).Append("\n\n");
        }

        return sb.ToString().TrimEnd();
    }

    private void Remember(RequestContext? context, string question, AssistantAnswer answer)
    {
        if (context?.ConversationKey is { } key)
        {
            memory.Append(key, question, answer.Markdown, answer.Citations.Select(c => c.PaperId));
        }
    }

    private static AssistantAnswer FromText(ExtractiveText t) => new() { Markdown = t.Markdown, Citations = t.Citations, Backend = "offline" };

    private static AssistantAnswer Unknown(IReadOnlyList<string> ids) => new()
    {
        Markdown = ids.Count == 0 ? "No paper ids were given." : $"I don't know any paper with the id(s) {string.Join(", ", ids)}.",
        NothingFound = true,
    };

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + " " + b;

    /// <summary>A short, key-free reason for the fallback notice.</summary>
    internal static string Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Polly.CircuitBreaker.BrokenCircuitException:
                    return "too many recent failures, circuit open";
                case Polly.Timeout.TimeoutRejectedException:
                    return "timed out";
                case HttpOperationException { StatusCode: { } code }:
                    return $"HTTP {(int)code}";
                case System.ClientModel.ClientResultException { Status: > 0 } cre:
                    return $"HTTP {cre.Status}";
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                    return "cannot connect";
                case System.Text.Json.JsonException or FormatException:
                    return "invalid response";
            }
        }

        return ex.GetType().Name;
    }
}
