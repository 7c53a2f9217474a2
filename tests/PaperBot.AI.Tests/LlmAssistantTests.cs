using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PaperBot.AI.Budget;
using PaperBot.AI.Tests.Support;
using PaperBot.Core.Persistence;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.AI.Tests;

/// <summary>The LLM path through the real SK OpenAI connector, OpenAI SDK, HttpClient and Polly, against a loopback fake.</summary>
public sealed class LlmAssistantTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    internal static Dictionary<string, string?> Config(FakeOpenAiServer server, params (string Key, string? Value)[] extra)
    {
        var d = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:BaseUrl"] = server.V1,
            ["Llm:Model"] = "fake-model",
            ["Llm:Resilience:BaseDelay"] = "00:00:00.050",
            ["Llm:Resilience:AttemptTimeout"] = "00:00:05",
            ["Llm:Resilience:TotalTimeout"] = "00:00:20",
        };
        foreach (var (k, v) in extra)
        {
            d[k] = v;
        }

        return d;
    }

    private static AskRequest Ask(string q, string user = "u1") => new() { ConversationKey = "chan", UserId = user, GuildId = "g1", Question = q };

    /// <summary>The tool result of the last search as JSON (what SK sent back to the model).</summary>
    private static JsonArray LastToolResult(RecordedRequest r) => (JsonArray)JsonNode.Parse(r.MessagesOf("tool").Last())!;

    /// <summary>Scripts: the model searches, then answers citing the ref of the paper with <paramref name="paperId"/>.</summary>
    internal static void ScriptSearchThenCite(FakeOpenAiServer server, string query, string paperId, string claim)
    {
        server.EnqueueChat(
            FakeReply.ToolCall("papers-search_papers", new { query }),
            FakeReply.Dynamic(req =>
            {
                var hit = LastToolResult(req).First(h => h!["id"]!.GetValue<string>() == paperId)!;
                return FakeReply.Text($"{claim} [{hit["ref"]!.GetValue<int>()}].");
            }));
    }

    [Fact]
    public async Task Model_calls_search_papers_then_answers_with_a_grounded_citation()
    {
        using var sp = AiTestHost.Build(Config(_server));
        ScriptSearchThenCite(_server, "speculative decoding", TestPapers.SpecDecoding.Id, "TreeSpec drafts a token tree and verifies it in parallel");

        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("How does speculative decoding work?"));

        Assert.Equal("llm", a.Backend);
        Assert.False(a.UsedFallback);
        Assert.Null(a.Notice);
        Assert.Equal("TreeSpec drafts a token tree and verifies it in parallel [1].", a.Markdown);
        var c = Assert.Single(a.Citations);
        Assert.Equal((1, TestPapers.SpecDecoding.Id, TestPapers.SpecDecoding.HfUrl), (c.Number, c.PaperId, c.Url));
        Assert.Equal(new TokenUsage(180, 30), a.Usage);

        var reqs = _server.ChatRequests;
        Assert.Equal(2, reqs.Count);
        Assert.Contains("papers-search_papers", reqs[0].ToolNames);
        Assert.Contains("papers-compare", reqs[0].ToolNames);
        Assert.Equal("/v1/chat/completions", reqs[0].Path);
        Assert.Equal("fake-model", reqs[0].Json!["model"]!.GetValue<string>());
        Assert.Contains("You are PaperBot", reqs[0].MessagesOf("system").Single());
        Assert.Equal("How does speculative decoding work?", reqs[0].MessagesOf("user").Last());
        // SK executed the real plugin: the tool result holds the papers the search service returned.
        Assert.Contains(LastToolResult(reqs[1]), h => h!["id"]!.GetValue<string>() == TestPapers.Retrieval.Id);

        // Usage is recorded against the user's and the guild's daily budget.
        var budget = sp.GetRequiredService<TokenBudget>();
        Assert.Equal(210, budget.UsedToday("user", "u1"));
        Assert.Equal(210, budget.UsedToday("guild", "g1"));
    }

    [Fact]
    public async Task Citations_of_papers_that_were_never_retrieved_are_removed_and_flagged()
    {
        using var sp = AiTestHost.Build(Config(_server));
        _server.EnqueueChat(
            FakeReply.ToolCall("papers-search_papers", new { query = "quantization" }),
            FakeReply.Dynamic(req =>
            {
                var refOf = LastToolResult(req).First(h => h!["id"]!.GetValue<string>() == TestPapers.Quantization.Id)!["ref"]!.GetValue<int>();
                return FakeReply.Text($"Four-bit calibration keeps accuracy [{refOf}]. It builds on GPTQ [id:2210.17323] and on AWQ [9].");
            }));

        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("4-bit quantization"));

        Assert.Equal("Four-bit calibration keeps accuracy [1]. It builds on GPTQ and on AWQ.", a.Markdown);
        Assert.Equal([TestPapers.Quantization.Id], a.Citations.Select(c => c.PaperId));
        Assert.NotNull(a.Notice);
        Assert.Contains("Removed 2 citation(s)", a.Notice);
        Assert.Contains("id:2210.17323", a.Notice);
        Assert.False(a.UsedFallback);
    }

    [Fact]
    public async Task Follow_up_sends_the_previous_papers_and_history_and_accepts_their_citations()
    {
        using var sp = AiTestHost.Build(Config(_server));
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        _server.EnqueueChat(
            FakeReply.ToolCall("papers-search_papers", new { query = "speculative decoding" }),
            FakeReply.Dynamic(req =>
            {
                var hits = LastToolResult(req);
                string Ref(string id) => hits.First(h => h!["id"]!.GetValue<string>() == id)!["ref"]!.ToJsonString();
                return FakeReply.Text($"TreeSpec [{Ref(TestPapers.SpecDecoding.Id)}] and a RAG variant [{Ref(TestPapers.Retrieval.Id)}].");
            }));
        var first = await assistant.AskAsync(Ask("speculative decoding"));
        Assert.Equal([TestPapers.SpecDecoding.Id, TestPapers.Retrieval.Id], first.Citations.Select(c => c.PaperId));

        // "compare the first two": the model calls compare with the ids it was given, then answers citing refs 1 and 2.
        _server.EnqueueChat(
            FakeReply.ToolCall("papers-compare", new { ids = new[] { TestPapers.SpecDecoding.Id, TestPapers.Retrieval.Id } }),
            FakeReply.Text("| Aspect | TreeSpec [1] | RAG [2] |\n|---|---|---|\n| Speedup | 2.8x [1] | 1.9x [2] |"));
        var cmp = await assistant.AskAsync(Ask("compare the first two"));

        var req = _server.ChatRequests[^2];
        var system = req.MessagesOf("system").Single();
        Assert.Contains($"[1] {TestPapers.SpecDecoding.Id}: {TestPapers.SpecDecoding.Title} (the user refers to this paper)", system);
        Assert.Contains($"[2] {TestPapers.Retrieval.Id}", system);
        // The previous turn is replayed, with its citations as ids (so old numbers cannot be confused with new refs).
        Assert.Equal(["speculative decoding", "compare the first two"], req.MessagesOf("user"));
        Assert.Contains($"TreeSpec [id:{TestPapers.SpecDecoding.Id}]", req.MessagesOf("assistant").First());
        var compareResult = JsonNode.Parse(_server.ChatRequests[^1].MessagesOf("tool").Last())!;
        Assert.Equal(5, compareResult["rows"]!.AsArray().Count);

        Assert.Equal([TestPapers.SpecDecoding.Id, TestPapers.Retrieval.Id], cmp.Citations.Select(c => c.PaperId));
        Assert.Null(cmp.Notice);
    }

    [Fact]
    public async Task Budget_exhausted_answers_offline_with_a_notice_until_the_next_day()
    {
        var time = new FakeTimeProvider(AiTestHost.Now);
        using var sp = AiTestHost.Build(Config(_server, ("Budget:PerUserDailyTokens", "200")), time: time);
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        ScriptSearchThenCite(_server, "speculative decoding", TestPapers.SpecDecoding.Id, "TreeSpec");
        var first = await assistant.AskAsync(Ask("speculative decoding speedup"));
        Assert.Equal("llm", first.Backend);
        Assert.Equal(210, first.Usage.Total);

        var second = await assistant.AskAsync(Ask("speculative decoding speedup"));
        Assert.Equal("offline", second.Backend);
        Assert.True(second.UsedFallback);
        Assert.Contains("daily AI token budget (200 tokens) is used up", second.Notice);
        Assert.NotEmpty(second.Citations);
        Assert.Equal(2, _server.ChatRequests.Count); // no LLM call was made

        // Another user of the same guild still has budget (guild budget is larger).
        ScriptSearchThenCite(_server, "speculative decoding", TestPapers.SpecDecoding.Id, "TreeSpec");
        Assert.Equal("llm", (await assistant.AskAsync(Ask("speculative decoding", user: "u2"))).Backend);

        time.Advance(TimeSpan.FromDays(1));
        ScriptSearchThenCite(_server, "speculative decoding", TestPapers.SpecDecoding.Id, "TreeSpec");
        Assert.Equal("llm", (await assistant.AskAsync(Ask("speculative decoding speedup"))).Backend);
    }

    [Fact]
    public async Task Guild_budget_applies_across_users()
    {
        using var sp = AiTestHost.Build(Config(_server, ("Budget:PerGuildDailyTokens", "100")));
        var records = sp.GetRequiredService<IRecordStore<TokenUsageRecord>>();
        records.Put($"guild:g1:{TimeProvider.System.GetUtcNow():yyyy-MM-dd}", new TokenUsageRecord { InputTokens = 90, OutputTokens = 10 });
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding", user: "fresh"));
        Assert.True(a.UsedFallback);
        Assert.Contains("this server's daily AI token budget", a.Notice);
        Assert.Empty(_server.ChatRequests);
    }

    /// <summary>How fast the fallback is (bar: under 1 s) is measured by `bench llm-resilience`, not here.</summary>
    [Fact]
    public async Task Llm_down_gives_the_offline_answer_with_a_notice()
    {
        var time = new TimerRecordingTimeProvider(AiTestHost.Now);
        using var sp = AiTestHost.Build(Config(_server, ("Llm:BaseUrl", $"http://127.0.0.1:{ClosedPort()}/v1")), time: time);
        var ask = sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding speedup"));

        // Connection refused is retried with backoff on the injected clock: move it until the fallback answers.
        var a = await RunClockUntilAsync(time, ask, TimeSpan.FromMilliseconds(50));

        Assert.True(a.UsedFallback);
        Assert.Equal("offline", a.Backend);
        Assert.Contains("The AI model is unavailable right now (cannot connect)", a.Notice);
        Assert.Contains(a.Citations, c => c.PaperId == TestPapers.SpecDecoding.Id);
        Assert.Empty(_server.ChatRequests);
    }

    /// <summary>Advances the fake clock in <paramref name="step"/>s while <paramref name="task"/> runs; a hang guard fails after 60 s of real time.</summary>
    private static async Task<T> RunClockUntilAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!task.IsCompleted)
        {
            guard.Token.ThrowIfCancellationRequested();
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(10, CancellationToken.None));
        }

        return await task;
    }

    /// <summary>Waits (real time, polling) until <paramref name="condition"/> holds; fails with <paramref name="what"/> after 60 s.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, "timed out waiting until " + what);
            await Task.Delay(5, CancellationToken.None);
        }
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    internal static int ClosedPort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Theory]
    [InlineData(500, "HTTP 500")]
    [InlineData(503, "HTTP 503")]
    public async Task Persistent_server_errors_are_retried_then_fall_back(int status, string reason)
    {
        using var sp = AiTestHost.Build(Config(_server, ("Llm:Resilience:MaxRetries", "2")));
        _server.DefaultChatReply = FakeReply.Status(status);
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding"));
        Assert.True(a.UsedFallback);
        Assert.True(a.Notice!.Contains(reason), a.Notice + " requests=" + _server.ChatRequests.Count);
        Assert.Equal(3, _server.ChatRequests.Count); // 1 + 2 Polly retries, no SDK retries on top
    }

    [Fact]
    public async Task Malformed_json_falls_back_without_retrying()
    {
        using var sp = AiTestHost.Build(Config(_server));
        _server.EnqueueChat(FakeReply.Malformed());
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding"));
        Assert.True(a.UsedFallback);
        Assert.Contains("invalid response", a.Notice);
        Assert.Single(_server.ChatRequests);
    }

    [Fact]
    public async Task Slow_replies_hit_the_attempt_timeout_are_retried_and_then_succeed()
    {
        using var sp = AiTestHost.Build(Config(_server, ("Llm:Resilience:AttemptTimeout", "00:00:00.300")));
        _server.EnqueueChat(FakeReply.Slow(TimeSpan.FromSeconds(5), FakeReply.Text("late")));
        ScriptSearchThenCite(_server, "speculative decoding", TestPapers.SpecDecoding.Id, "TreeSpec");
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding"));
        Assert.Equal("llm", a.Backend);
        Assert.Equal("TreeSpec [1].", a.Markdown);
        Assert.Equal(3, _server.ChatRequests.Count);
    }

    [Fact]
    public async Task Slow_replies_beyond_the_total_timeout_fall_back()
    {
        var time = new TimerRecordingTimeProvider(AiTestHost.Now);
        using var sp = AiTestHost.Build(Config(_server,
            ("Llm:Resilience:AttemptTimeout", "00:00:00.200"), ("Llm:Resilience:TotalTimeout", "00:00:00.500"), ("Llm:Resilience:MaxRetries", "5")), time: time);
        _server.DefaultChatReply = FakeReply.Slow(TimeSpan.FromMinutes(5), FakeReply.Text("late"));
        var ask = sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding"));

        // The replies never come (5 minutes of real time); only the timeouts on the injected clock end the turn.
        var a = await RunClockUntilAsync(time, ask, TimeSpan.FromMilliseconds(50));

        Assert.True(a.UsedFallback);
        Assert.Contains("timed out", a.Notice);
        // The total timeout (0.5 s) ends the retries: attempts start at 0, after 0.2 s + backoff and after 0.4 s + backoff
        // at the latest, not the 6 that MaxRetries allows.
        Assert.InRange(_server.ChatRequests.Count, 1, 3);
    }

    [Fact]
    public async Task Three_429s_with_retry_after_are_waited_out_then_the_answer_arrives()
    {
        var time = new TimerRecordingTimeProvider(AiTestHost.Now);
        using var sp = AiTestHost.Build(Config(_server), time: time);
        var retryAfter = TimeSpan.FromSeconds(4); // distinct from the 5 s attempt and 20 s total timeouts
        _server.EnqueueChat(FakeReply.Status(429, retryAfter), FakeReply.Status(429, retryAfter), FakeReply.Status(429, retryAfter));
        ScriptSearchThenCite(_server, "speculative decoding", TestPapers.SpecDecoding.Id, "TreeSpec");
        var ask = sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding"));

        for (var i = 1; i <= 3; i++)
        {
            // Each retry waits on the injected clock for exactly the Retry-After: no backoff stacked on top.
            await UntilAsync(() => time.TimersDue(retryAfter) == i, $"retry delay {i} of exactly {retryAfter}");
            Assert.Equal(i, _server.ChatRequests.Count);
            time.Advance(retryAfter - TimeSpan.FromMilliseconds(1));
            await Task.WhenAny(ask, Task.Delay(100, CancellationToken.None));
            Assert.Equal(i, _server.ChatRequests.Count); // not retried before the Retry-After has passed
            time.Advance(TimeSpan.FromMilliseconds(1));
            // At least: after the third wait the tool-call reply and the answer follow with no clock step, so a poll
            // can see the count go from 3 straight to 5 (the next round asserts the exact count again).
            await UntilAsync(() => _server.ChatRequests.Count >= i + 1, $"request {i + 1} once the Retry-After passed");
        }

        var a = await ask;
        Assert.Equal("llm", a.Backend);
        Assert.Equal("TreeSpec [1].", a.Markdown);
        Assert.Equal(5, _server.ChatRequests.Count); // 3 × 429, the tool call, the answer
    }

    [Fact]
    public async Task A_Retry_After_longer_than_MaxRetryAfter_ends_the_retries_and_falls_back()
    {
        var time = new TimerRecordingTimeProvider(AiTestHost.Now);
        using var sp = AiTestHost.Build(Config(_server, ("Llm:Resilience:MaxRetryAfter", "00:00:05")), time: time);
        _server.DefaultChatReply = FakeReply.Status(429, TimeSpan.FromMinutes(10));

        // The clock never moves: a wait for the Retry-After (or any retry delay) would never end.
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(a.UsedFallback);
        Assert.Single(_server.ChatRequests); // not retried: the 10-minute wait is over the 5 s cap
        Assert.Equal(0, time.TimersDue(TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task Api_keys_never_reach_the_logs()
    {
        var logs = new CapturingLoggerProvider();
        using var sp = AiTestHost.Build(
            Config(_server, ("Llm:Provider", "openai"), ("Llm:ApiKey", "sk-very-secret-4242"), ("Llm:Resilience:MaxRetries", "1")),
            configure: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace)));
        _server.EnqueueChat(FakeReply.Status(429, TimeSpan.FromMilliseconds(10)), FakeReply.Status(500));
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("speculative decoding"));
        Assert.True(a.UsedFallback);
        Assert.Equal("Bearer sk-very-secret-4242", _server.ChatRequests[0].Headers["Authorization"]);
        Assert.Contains(logs.Lines, l => l.Contains("retrying", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("answering offline", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("sk-very-secret-4242", StringComparison.Ordinal));
        Assert.DoesNotContain("sk-very-secret-4242", a.Notice);
    }

    [Fact]
    public async Task Circuit_breaker_opens_and_later_calls_skip_the_network()
    {
        using var sp = AiTestHost.Build(Config(_server,
            ("Llm:Resilience:MaxRetries", "0"), ("Llm:Resilience:BreakerMinimumThroughput", "2"), ("Llm:Resilience:BreakerFailureRatio", "0.5")));
        _server.DefaultChatReply = FakeReply.Status(500);
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        await assistant.AskAsync(Ask("speculative decoding"));
        await assistant.AskAsync(Ask("speculative decoding"));
        Assert.Equal(2, _server.ChatRequests.Count);

        var a = await assistant.AskAsync(Ask("speculative decoding"));
        Assert.True(a.UsedFallback);
        Assert.Contains("circuit open", a.Notice);
        Assert.Equal(2, _server.ChatRequests.Count);
    }

    [Fact]
    public async Task Summarize_compare_and_digest_use_their_prompts_and_per_command_models()
    {
        using var sp = AiTestHost.Build(Config(_server, ("Llm:Commands:digest:Model", "cheap-model"), ("Llm:Commands:compare:Model", "strong-model"), ("Llm:Commands:compare:Temperature", "0")));
        var assistant = sp.GetRequiredService<IPaperAssistant>();

        _server.EnqueueChat(FakeReply.Text("**Faster Inference** [1]: a small model drafts, the big one checks. [2]"));
        var s = await assistant.SummarizeAsync([TestPapers.SpecDecoding.Id], SummaryStyle.Eli5);
        Assert.Equal("**Faster Inference** [1]: a small model drafts, the big one checks.", s.Markdown);
        Assert.Contains("Removed 1 citation", s.Notice);
        var sreq = _server.ChatRequests[^1];
        Assert.Equal("fake-model", sreq.Json!["model"]!.GetValue<string>());
        Assert.Contains("Style: eli5.", sreq.MessagesOf("user").Single());
        Assert.Contains("[1] Faster Inference with Speculative Decoding Trees (id 2401.00001)", sreq.MessagesOf("user").Single());
        Assert.Equal(0.2, sreq.Json!["temperature"]!.GetValue<double>(), 3); // from summarize.yaml

        _server.EnqueueChat(FakeReply.Text("| Aspect | A [1] | B [2] |"));
        var c = await assistant.CompareAsync([TestPapers.Quantization.Id, TestPapers.Diffusion.Id], ["Data"]);
        Assert.Equal([TestPapers.Quantization.Id, TestPapers.Diffusion.Id], c.Citations.Select(x => x.PaperId));
        var creq = _server.ChatRequests[^1];
        Assert.Equal("strong-model", creq.Json!["model"]!.GetValue<string>());
        Assert.Equal(0, creq.Json!["temperature"]!.GetValue<double>());
        Assert.Contains("on the aspects: Data.", creq.MessagesOf("user").Single());

        _server.EnqueueChat(FakeReply.Text("1. One-step diffusion via distillation.\n2. Four-bit weights, same accuracy."));
        var d = await assistant.DigestLinesAsync([TestPapers.Diffusion, TestPapers.Quantization, TestPapers.Retrieval]);
        Assert.Equal("cheap-model", _server.ChatRequests[^1].Json!["model"]!.GetValue<string>());
        Assert.Equal("One-step diffusion via distillation.", d.Lines[0]);
        Assert.Equal("Four-bit weights, same accuracy.", d.Lines[1]);
        Assert.StartsWith("We study how speculative decoding", d.Lines[2]); // the model skipped it: extractive line
        Assert.Equal(120, d.Usage.Total);
    }
}
