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
using PaperBot.AI.Orchestration;
using PaperBot.AI.Plugins;
using PaperBot.AI.Prompts;
using PaperBot.Core.Papers;
using PaperBot.AI.Telemetry;

namespace PaperBot.AI;

/// <summary>
/// The facade: routes each request to the LLM (SK chat completion with automatic function calling over the paper
/// plugins of the one DI <see cref="Microsoft.SemanticKernel.Kernel"/>) or to the offline fixed plan, applies budgets,
/// the grounding post-check and conversation memory, and falls back to the offline answer (with a notice) whenever the
/// LLM is unavailable or over budget. Each request runs in its own DI scope, whose <see cref="AnswerTurn"/> holds the
/// turn's state.
/// </summary>
public sealed class PaperAssistant(
    ChatBackend backend,
    PromptLibrary prompts,
    IServiceScopeFactory scopes,
    PaperPlugins plugins,
    ConversationMemory memory,
    TokenBudget budget,
    OfflinePlanner offline,
    UsageEstimator usage,
    TimeProvider time,
    IOptions<LlmOptions> options,
    ILogger<PaperAssistant> logger,
    AiMetrics? metrics = null) : IPaperAssistant
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

        using var scope = scopes.CreateScope();
        var (kernel, turn) = Begin(scope, request.UserId, request.GuildId);
        var previous = memory.LastCited(request.ConversationKey);
        var referenced = ReferenceResolver.Resolve(question, previous);
        var answer = await RunAsync(
            request.UserId,
            request.GuildId,
            "ask",
            ct => AskLlmAsync(request, question, referenced, previous, kernel, turn, ct),
            ct => offline.AnswerAsync(question, referenced, kernel, ct),
            chargesItself: true,
            cancellationToken).ConfigureAwait(false);
        memory.Append(request.ConversationKey, question, answer.Markdown, answer.Citations.Select(c => c.PaperId));
        return answer;
    }

    public async Task<AssistantAnswer> SummarizeAsync(IReadOnlyList<string> paperIds, SummaryStyle style, RequestContext? context = null, CancellationToken cancellationToken = default)
    {
        using var scope = scopes.CreateScope();
        var (kernel, _) = Begin(scope, context?.UserId ?? SystemUser, context?.GuildId);
        var result = plugins.Summarize(kernel, paperIds.ToArray(), style.ToString());
        if (result.Papers.Count == 0)
        {
            return Unknown(paperIds);
        }

        var papers = plugins.Resolve(kernel, result.Papers.Select(p => p.Id));
        var answer = await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "summarize",
            ct => InvokePromptAsync(kernel, "summarize", PromptLibrary.Summarize, papers, compact => new KernelArguments
            {
                ["style"] = style.ToString().ToLowerInvariant(),
                ["style_instructions"] = StyleInstructions[style],
                ["papers"] = Numbered(papers, compact ? 800 : 2500),
            }, ct),
            _ => Task.FromResult(FromText(OfflinePlanner.RenderSummary(result))),
            chargesItself: false,
            cancellationToken).ConfigureAwait(false);
        Remember(context, $"summarize {string.Join(' ', paperIds)} ({style})", answer);
        return answer;
    }

    public async Task<AssistantAnswer> CompareAsync(IReadOnlyList<string> paperIds, IReadOnlyList<string>? aspects = null, RequestContext? context = null, CancellationToken cancellationToken = default)
    {
        using var scope = scopes.CreateScope();
        var (kernel, _) = Begin(scope, context?.UserId ?? SystemUser, context?.GuildId);
        var aspectText = aspects is { Count: > 0 } ? string.Join(", ", aspects) : null;
        var result = plugins.Compare(kernel, paperIds.ToArray(), aspectText);
        if (result.Papers.Count == 0)
        {
            return Unknown(paperIds);
        }

        var papers = plugins.Resolve(kernel, result.Papers.Select(p => p.Id));
        var answer = await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "compare",
            ct => InvokePromptAsync(kernel, "compare", PromptLibrary.Compare, papers, compact => new KernelArguments
            {
                ["aspects"] = string.Join(", ", PaperPlugins.ParseAspects(aspectText)),
                ["papers"] = Numbered(papers, compact ? 700 : 2000),
            }, ct),
            _ => Task.FromResult(FromText(OfflinePlanner.RenderCompare(result))),
            chargesItself: false,
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

        using var scope = scopes.CreateScope();
        var (kernel, _) = Begin(scope, context?.UserId ?? SystemUser, context?.GuildId);
        var answer = await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "digest",
            async ct =>
            {
                var (text, used) = await InvokeRawAsync(kernel, "digest", PromptLibrary.DailyDigest, compact => new KernelArguments
                {
                    ["papers"] = Numbered(papers, compact ? 500 : 1200),
                    ["max_words"] = "25",
                }, ct).ConfigureAwait(false);
                return new AssistantAnswer { Markdown = text, Usage = used, Backend = "llm" };
            },
            _ => Task.FromResult(new AssistantAnswer { Markdown = "", Backend = "offline" }),
            chargesItself: false,
            cancellationToken).ConfigureAwait(false);
        if (answer.Backend != "llm")
        {
            return new DigestLines(offlineLines, answer.UsedFallback, answer.Notice, answer.Usage);
        }

        // "n. text" per paper; any paper the model skipped keeps its extractive line. Lines are grounded like answers.
        var lines = offlineLines.ToArray();
        foreach (var raw in answer.Markdown.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dot = raw.IndexOf('.');
            if (dot > 0 && int.TryParse(raw.AsSpan(0, dot).Trim().TrimStart('[').TrimEnd(']'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) &&
                n >= 1 && n <= lines.Length && raw[(dot + 1)..].Trim() is { Length: > 0 } line)
            {
                lines[n - 1] = TextAnalysis.Truncate(CitationPostCheck.Apply(line, [papers[n - 1]]).Markdown, 300);
            }
        }

        return new DigestLines(lines, false, null, answer.Usage);
    }

    public async Task<AssistantAnswer> DiscussionNotesAsync(string title, IReadOnlyList<string> messages, RequestContext? context = null, CancellationToken cancellationToken = default)
    {
        var offline = new AssistantAnswer { Markdown = "", Backend = "offline" };
        if (messages.Count == 0)
        {
            return offline;
        }

        using var scope = scopes.CreateScope();
        var (kernel, _) = Begin(scope, context?.UserId ?? SystemUser, context?.GuildId);
        return await RunAsync(
            context?.UserId ?? SystemUser,
            context?.GuildId,
            "notes",
            async ct =>
            {
                var (text, used) = await InvokeRawAsync(kernel, "notes", PromptLibrary.SessionNotes, compact => new KernelArguments
                {
                    ["title"] = title,
                    ["messages"] = string.Join('\n', messages.Take(compact ? 40 : 100).Select(m => TextAnalysis.Truncate(m, compact ? 200 : 500))),
                    ["max_words"] = "120",
                }, ct).ConfigureAwait(false);
                return new AssistantAnswer { Markdown = text, Usage = used, Backend = "llm" };
            },
            _ => Task.FromResult(offline),
            chargesItself: false,
            cancellationToken).ConfigureAwait(false);
    }

    private (Microsoft.SemanticKernel.Kernel Kernel, AnswerTurn Turn) Begin(IServiceScope scope, string userId, string? guildId)
    {
        var turn = scope.ServiceProvider.GetRequiredService<AnswerTurn>();
        turn.UserId = userId;
        turn.GuildId = guildId;
        turn.SearchTop = options.Value.SearchTop;
        return (scope.ServiceProvider.GetRequiredService<Microsoft.SemanticKernel.Kernel>(), turn);
    }

    /// <summary>Budget check → LLM → on any failure the offline answer with a visible notice.</summary>
    private async Task<AssistantAnswer> RunAsync(
        string userId,
        string? guildId,
        string command,
        Func<CancellationToken, Task<AssistantAnswer>> llm,
        Func<CancellationToken, Task<AssistantAnswer>> offlinePlan,
        bool chargesItself,
        CancellationToken ct)
    {
        if (backend.IsOffline)
        {
            metrics?.LlmCall(command, "offline");
            return await offlinePlan(ct).ConfigureAwait(false);
        }

        var exceeded = userId == SystemUser ? null : budget.CheckExceeded(userId, guildId);
        if (exceeded is not null)
        {
            logger.LogInformation("{Command}: budget exceeded for user {User}; answering offline", command, userId);
            metrics?.LlmCall(command, "over_budget");
            metrics?.Fallback("over_budget");
            var o = await offlinePlan(ct).ConfigureAwait(false);
            return o with { UsedFallback = true, Notice = Join($"Answered offline (extractive): {exceeded}.", o.Notice) };
        }

        try
        {
            var answer = await llm(ct).ConfigureAwait(false);
            metrics?.LlmCall(command, "ok");
            if (answer.UsedFallback)
            {
                metrics?.Fallback("tool_loop");
            }

            if (!chargesItself)
            {
                budget.Record(userId, guildId, answer.Usage);
            }

            return answer;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var reason = Describe(ex);
            metrics?.LlmCall(command, "failed");
            metrics?.Fallback("unavailable");
            logger.LogWarning("{Command}: LLM {Provider} unavailable ({Reason}); answering offline", command, backend.Provider, reason);
            var o = await offlinePlan(ct).ConfigureAwait(false);
            return o with { UsedFallback = true, Notice = Join($"The AI model is unavailable right now ({reason}), so this is an extractive answer from the paper abstracts.", o.Notice) };
        }
    }

    /// <summary>
    /// Runs an LLM call, adapting once to what the server refuses: a 400 for context length is retried once in compact
    /// form (fewer papers, shorter abstracts, less memory), and a 400 naming temperature or max_tokens is retried
    /// without that parameter (remembered for the model).
    /// </summary>
    private async Task<T> AdaptingAsync<T>(string command, Func<bool, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var compact = false;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(compact, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 3 && !ct.IsCancellationRequested && LlmErrors.BadRequestMessage(ex) is not null)
            {
                var model = backend.For(command).Settings.ModelId!;
                if (!compact && LlmErrors.IsContextLength(ex))
                {
                    logger.LogWarning("{Command}: context length exceeded; retrying once with fewer papers and less memory", command);
                    compact = true;
                    continue;
                }

                if (backend.LearnRejectedParameter(model, ex))
                {
                    logger.LogWarning("{Command}: model {Model} rejected a sampling parameter; retrying without it", command, model);
                    continue;
                }

                throw;
            }
        }
    }

    private Task<AssistantAnswer> AskLlmAsync(AskRequest request, string question, IReadOnlyList<string> referenced, IReadOnlyList<string> previous, Microsoft.SemanticKernel.Kernel kernel, AnswerTurn turn, CancellationToken ct) =>
        AdaptingAsync("ask", (compact, c) => AskLlmOnceAsync(request, question, referenced, previous, kernel, turn, compact, c), ct);

    private async Task<AssistantAnswer> AskLlmOnceAsync(AskRequest request, string question, IReadOnlyList<string> referenced, IReadOnlyList<string> previous, Microsoft.SemanticKernel.Kernel kernel, AnswerTurn turn, bool compact, CancellationToken ct)
    {
        var log = turn.Log;
        turn.SearchTop = compact ? Math.Max(2, options.Value.SearchTop / 2) : options.Value.SearchTop;
        turn.AbstractChars = compact ? 300 : 700;
        var given = referenced.Count > 0 ? referenced : previous;
        var contextPapers = plugins.Resolve(kernel, compact ? given.Take(2) : given);
        foreach (var p in contextPapers)
        {
            log.Add(p);
        }

        var contextText = contextPapers.Count == 0
            ? "(none)"
            : string.Join('\n', contextPapers.Select(p => $"[{log.Number(p)}] {p.Id}: {OneLine(p.Title)}" + (referenced.Count > 0 ? " (the user refers to this paper)" : "")));

        var config = prompts.Config(PromptLibrary.AnswerWithCitations);
        var (service, settings) = backend.For("ask", config.DefaultExecutionSettings);
        settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(options: new FunctionChoiceBehaviorOptions { AllowParallelCalls = true, AllowConcurrentInvocation = false });

        var system = await prompts.RenderAsync(PromptLibrary.AnswerWithCitations, new KernelArguments
        {
            ["today"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["context"] = contextText,
        }, ct).ConfigureAwait(false);
        var history = new ChatHistory(system);
        // Compact (after a context-length 400): no replayed turns; the papers they cited are still listed above.
        var memoryBudget = compact ? 0 : options.Value.MemoryTokens;
        foreach (var t in Fit(memory.Recent(request.ConversationKey), memoryBudget))
        {
            history.AddUserMessage(t.Question);
            history.AddAssistantMessage(WithIds(t));
        }

        history.AddUserMessage(question);
        var result = await service.GetChatMessageContentAsync(history, settings, kernel, ct).ConfigureAwait(false);

        // The rounds that asked for tools were charged by ToolRoundFilter; charge the final response here.
        var last = turn.StoppedBecause is null ? usage.Of(result, history) : default;
        budget.Record(request.UserId, request.GuildId, last);
        var used = turn.Charged + last;

        if (turn.StoppedBecause is { } stop)
        {
            var fromRetrieved = offline.AnswerFromPapers(question, log.Papers);
            return fromRetrieved with
            {
                Usage = used,
                UsedFallback = true,
                Notice = Join($"The tool loop was ended ({stop}), so this is an extractive answer from the papers the model retrieved.", fromRetrieved.Notice),
            };
        }

        var grounded = CitationPostCheck.Apply(result.Content ?? "", log);
        if (grounded.Changed)
        {
            logger.LogWarning("ask: removed {Citations} citation(s) and {Links} link(s) not retrieved; {Names} unverified name(s)", grounded.Removed.Count, grounded.RemovedLinks.Count, grounded.Unverified.Count);
        }

        var notice = grounded.RemovedNotice;
        if (log.Calls.Count == 0 && contextPapers.Count == 0)
        {
            notice = Join("The model answered without searching the paper database, so nothing here is checked against stored papers.", notice);
        }

        var nothing = grounded.Citations.Count == 0 && (log.Papers.Count == 0 || !log.Papers.Any(p => ExtractiveEngine.IsRelevant(question, p)));
        return new AssistantAnswer
        {
            Markdown = grounded.Markdown.Length > 0 ? grounded.Markdown : OfflinePlanner.NothingFoundText(question),
            Citations = grounded.Citations,
            Notice = notice,
            Usage = used,
            Backend = "llm",
            NothingFound = nothing,
        };
    }

    private async Task<AssistantAnswer> InvokePromptAsync(Microsoft.SemanticKernel.Kernel kernel, string command, string prompt, IReadOnlyList<Paper> papers, Func<bool, KernelArguments> args, CancellationToken ct)
    {
        var (text, used) = await InvokeRawAsync(kernel, command, prompt, args, ct).ConfigureAwait(false);
        var grounded = CitationPostCheck.Apply(text, papers);
        return new AssistantAnswer
        {
            Markdown = grounded.Markdown,
            Citations = grounded.Citations,
            Notice = grounded.RemovedNotice,
            Usage = used,
            Backend = "llm",
        };
    }

    /// <summary>Invokes a prompt function of the DI Kernel with the command's model and the prompt YAML's settings.</summary>
    private Task<(string Text, TokenUsage Usage)> InvokeRawAsync(Microsoft.SemanticKernel.Kernel kernel, string command, string prompt, Func<bool, KernelArguments> args, CancellationToken ct) =>
        AdaptingAsync(command, async (compact, c) =>
        {
            var function = prompts.Function(prompt);
            var (_, settings) = backend.For(command, prompts.Config(prompt).DefaultExecutionSettings);
            var withSettings = new KernelArguments(settings);
            foreach (var kv in args(compact))
            {
                withSettings[kv.Key] = kv.Value;
            }

            var result = await kernel.InvokeAsync(function, withSettings, c).ConfigureAwait(false);
            var message = result.GetValue<ChatMessageContent>();
            var text = message?.Content ?? result.GetValue<string>() ?? "";
            var used = UsageEstimator.Reported(result.Metadata) ?? UsageEstimator.Reported(message?.Metadata) ?? usage.OfText(result.RenderedPrompt ?? "", text);
            return (text, used);
        }, ct);

    /// <summary>The most recent turns whose tokens fit <paramref name="maxTokens"/>, oldest first.</summary>
    private static List<ConversationTurn> Fit(IReadOnlyList<ConversationTurn> turns, int maxTokens)
    {
        var kept = new List<ConversationTurn>();
        long total = 0;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            total += turns[i].Tokens;
            if (total > maxTokens)
            {
                break;
            }

            kept.Insert(0, turns[i]);
        }

        return kept;
    }

    private static string OneLine(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ").Trim();

    /// <summary>Previous answers are replayed with [id:…] citations so their old numbers cannot be confused with this turn's refs.</summary>
    private static string WithIds(ConversationTurn turn) =>
        System.Text.RegularExpressions.Regex.Replace(turn.Answer, @"\[(\d{1,2})\]", m =>
        {
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return n >= 1 && n <= turn.CitedIds.Count ? $"[id:{turn.CitedIds[n - 1]}]" : m.Value;
        });

    private static string Numbered(IReadOnlyList<Paper> papers, int abstractChars)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i];
            sb.Append('[').Append(i + 1).Append("] ").Append(OneLine(p.Title)).Append(" (id ").Append(p.Id).Append(")\n")
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
        Markdown = ids.Count == 0 ? "No paper ids were given." : $"I don't know any paper with the id(s) {string.Join(", ", ids.Select(MarkdownText.Escape))}.",
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
