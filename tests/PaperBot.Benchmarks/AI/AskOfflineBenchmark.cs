using System.Diagnostics;
using PaperBot.AI;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;

namespace PaperBot.Benchmarks.AI;

/// <summary>
/// Offline `ask` latency on the bundled sample corpus through the production host (LiteDB + Lucene + extractive
/// backend + conversation memory). Target: p95 &lt; 200 ms.
/// </summary>
public sealed class AskOfflineBenchmark : IBenchmark
{
    private static readonly string[] Questions =
    [
        "What do we know about encoder-decoder speech models?",
        "How do diffusion models help medical image analysis?",
        "open-world object detection with a unified vision model",
        "legal case retrieval with pre-trained language models",
        "weather and climate foundation models",
        "compare the first two",
        "summarize that one for a beginner",
        "zero-shot generalization of language model architectures",
        "training LLMs on programming languages",
        "What is trending this week?",
        "vessel trajectory forecasting",
        "knowledge feeding to language models with retrieval",
        "sourdough bread fermentation recipes",
        "summarize the second one in technical detail",
        "How can machine translation be improved with layer fusion?",
    ];

    public string Name => "ask-offline";

    public string Description => "Offline ask latency (p50/p95) on the sample corpus; args: [rounds=20]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
        using var host = new AiBenchHost();
        var load = Stopwatch.StartNew();
        await new SampleCorpusLoader(host.Get<IPaperStore>(), TimeProvider.System).EnsureSampleLoadedAsync(cancellationToken);
        Console.WriteLine($"sample corpus: {host.Get<IPaperStore>().Count()} papers loaded in {load.ElapsedMilliseconds} ms");
        var assistant = host.Get<IPaperAssistant>();

        var first = Stopwatch.StartNew();
        await assistant.AskAsync(new AskRequest { ConversationKey = "warm", UserId = "b", Question = Questions[0] }, cancellationToken);
        Console.WriteLine($"first ask (cold: index build, JIT, tokenizer): {first.ElapsedMilliseconds} ms");

        var ms = new List<double>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var cited = 0;
        var nothing = 0;
        for (var r = 0; r < rounds; r++)
        {
            foreach (var q in Questions)
            {
                var sw = Stopwatch.StartNew();
                var a = await assistant.AskAsync(new AskRequest { ConversationKey = $"bench:{r}", UserId = "b", GuildId = "g", Question = q }, cancellationToken);
                ms.Add(sw.Elapsed.TotalMilliseconds);
                cited += a.Citations.Count > 0 ? 1 : 0;
                nothing += a.NothingFound ? 1 : 0;
            }
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"ask-offline: {Stats.Summary(ms)}");
        // Wall time moves with the machine's load; the process CPU per ask much less (it includes GC and timers).
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"process CPU per ask: {cpu.TotalMilliseconds / ms.Count:F1} ms"));
        Console.WriteLine($"answers with citations: {cited}/{ms.Count}; nothing-found: {nothing}/{ms.Count}");
        return 0;
    }
}
