using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using PaperBot.AI;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Benchmarks.AI;

/// <summary>
/// The LLM bars through the real SK connector + HttpClient + Polly against the loopback fake:
/// (1) 3 × 429 with Retry-After then success → elapsed vs. the Retry-After sum (bar: ≤ sum + 10 %);
/// (2) LLM down (nothing listening) → offline answer with notice (bar: &lt; 1 s).
/// </summary>
public sealed class LlmResilienceBenchmark : IBenchmark
{
    public string Name => "llm-resilience";

    public string Description => "3x429+Retry-After then success, and LLM-down fallback latency; args: [reps=10] [retryAfterMs=200]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var reps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var retryAfter = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
        await using var server = await FakeOpenAiServer.StartAsync();

        // (1) 429s.
        using (var host = new AiBenchHost(Config(server.V1)))
        {
            await new SampleCorpusLoader(host.Get<IPaperStore>(), TimeProvider.System).EnsureSampleLoadedAsync(cancellationToken);
            var assistant = host.Get<IPaperAssistant>();
            Script(server);
            await assistant.AskAsync(Ask("warm-up"), cancellationToken);
            var sum = 3 * retryAfter.TotalMilliseconds;

            // Baseline: the same flow (tool call + answer) with no 429s.
            var baseline = new List<double>();
            for (var i = 0; i < reps; i++)
            {
                Script(server);
                var sw = Stopwatch.StartNew();
                await assistant.AskAsync(Ask("encoder-decoder speech models"), cancellationToken);
                baseline.Add(sw.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"baseline (no 429): {Stats.Summary(baseline)}");
            var ms = new List<double>();
            var ok = 0;
            for (var i = 0; i < reps; i++)
            {
                server.EnqueueChat(FakeReply.Status(429, retryAfter), FakeReply.Status(429, retryAfter), FakeReply.Status(429, retryAfter));
                Script(server);
                var sw = Stopwatch.StartNew();
                var a = await assistant.AskAsync(Ask("encoder-decoder speech models"), cancellationToken);
                ms.Add(sw.Elapsed.TotalMilliseconds);
                ok += a.Backend == "llm" && a.Citations.Count == 1 ? 1 : 0;
            }

            Console.WriteLine($"3x429 (Retry-After {retryAfter.TotalMilliseconds} ms, sum {sum} ms) then tool call + answer: {Stats.Summary(ms)}");
            Console.WriteLine($"  cited LLM answers: {ok}/{reps}; elapsed / Retry-After sum: mean {ms.Average() / sum:F3}, worst {ms.Max() / sum:F3} (bar 1.10)");
            Console.WriteLine($"  waiting added by the 429s (mean elapsed - mean baseline): {ms.Average() - baseline.Average():F1} ms for a {sum} ms Retry-After sum");
        }

        // (2) LLM down.
        using (var host = new AiBenchHost(Config($"http://127.0.0.1:{ClosedPort()}/v1")))
        {
            await new SampleCorpusLoader(host.Get<IPaperStore>(), TimeProvider.System).EnsureSampleLoadedAsync(cancellationToken);
            var assistant = host.Get<IPaperAssistant>();
            var ms = new List<double>();
            var withNotice = 0;
            for (var i = 0; i < reps + 1; i++)
            {
                var sw = Stopwatch.StartNew();
                var a = await assistant.AskAsync(Ask("encoder-decoder speech models"), cancellationToken);
                var t = sw.Elapsed.TotalMilliseconds;
                if (i == 0)
                {
                    Console.WriteLine($"LLM down, first call (cold): {t:F1} ms, notice: {a.Notice}");
                    continue;
                }

                ms.Add(t);
                withNotice += a.UsedFallback && a.Notice is not null && a.Citations.Count > 0 ? 1 : 0;
            }

            Console.WriteLine($"LLM down → offline answer: {Stats.Summary(ms)}; with notice+citations: {withNotice}/{reps} (bar < 1000 ms)");
        }

        return 0;
    }

    private static Dictionary<string, string?> Config(string baseUrl) => new()
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:BaseUrl"] = baseUrl,
        ["Llm:Model"] = "fake-model",
        ["Budget:PerUserDailyTokens"] = "0",
        ["Budget:PerGuildDailyTokens"] = "0",
        ["Search:IndexPath"] = ":memory:",
    };

    private static AskRequest Ask(string q) => new() { ConversationKey = Guid.NewGuid().ToString("N"), UserId = "bench", Question = q };

    /// <summary>The model searches, then cites the first hit.</summary>
    private static void Script(FakeOpenAiServer server) => server.EnqueueChat(
        FakeReply.ToolCall("papers-search_papers", new { query = "encoder-decoder speech models" }),
        FakeReply.Dynamic(req =>
        {
            var hits = JsonNode.Parse(req.MessagesOf("tool").Last())!.AsArray();
            return FakeReply.Text(hits.Count == 0 ? "Nothing found." : $"Speech models are covered here [{hits[0]!["ref"]}].");
        }));

    private static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
