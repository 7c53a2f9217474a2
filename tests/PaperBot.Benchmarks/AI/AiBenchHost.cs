using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PaperBot.Cli;
using PaperBot.Hosting;
using PaperBot.Testing;

namespace PaperBot.Benchmarks.AI;

/// <summary>The production host (all modules, real LiteDB + Lucene) on a temp database, with extra config.</summary>
internal sealed class AiBenchHost : IDisposable
{
    private readonly TempDir _dir = new();

    public AiBenchHost(IDictionary<string, string?>? config = null)
    {
        Host = PaperBotHost.Build(
            new PaperBotHostArgs(_dir.File("bench.db")),
            TextWriter.Null,
            TextWriter.Null,
            b => b.Configuration.AddInMemoryCollection(config ?? new Dictionary<string, string?>()));
    }

    public IHost Host { get; }

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    public void Dispose()
    {
        Host.Dispose();
        _dir.Dispose();
    }
}

internal static class Stats
{
    public static string Summary(List<double> ms)
    {
        ms.Sort();
        double P(double p) => ms[Math.Clamp((int)Math.Ceiling(p * ms.Count) - 1, 0, ms.Count - 1)];
        return $"n={ms.Count} mean={ms.Average():F1} ms p50={P(0.50):F1} ms p95={P(0.95):F1} ms p99={P(0.99):F1} ms max={ms[^1]:F1} ms";
    }
}
