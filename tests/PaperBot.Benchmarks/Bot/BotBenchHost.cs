using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PaperBot.Cli;
using PaperBot.Core.Papers;
using PaperBot.Hosting;
using PaperBot.Testing;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Benchmarks.Bot;

/// <summary>The real `paperbot run` (CliApp → host → gateway) against the loopback fake Discord and fake OpenAI server.</summary>
internal sealed class BotBenchHost : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string?> _config;
    private readonly TaskCompletionSource<IServiceProvider> _services = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<int>? _run;

    private BotBenchHost(FakeDiscordServer discord, FakeOpenAiServer openAi)
    {
        Discord = discord;
        OpenAi = openAi;
        _config = new Dictionary<string, string?>
        {
            ["Discord:Token"] = discord.Options.Token,
            ["Discord:ApplicationId"] = discord.Options.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl,
            ["Bot:Mode"] = "Production",
            ["Bot:Cooldown"] = "00:00:00",
            ["Bot:DailyRequestsPerUser"] = "0",
            ["Digest:Enabled"] = "false",
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:BaseUrl"] = openAi.V1,
            ["Llm:Model"] = "fake-model",
            ["Llm:ApiKey"] = "bench-key",
            ["Llm:Resilience:AttemptTimeout"] = "00:01:00",
            ["Logging:LogLevel:Default"] = "Error",
            ["Logging:LogLevel:PaperBot"] = "Error",
        };
    }

    public FakeDiscordServer Discord { get; }

    public FakeOpenAiServer OpenAi { get; }

    public IServiceProvider Services => _services.Task.Result;

    private string DbPath => _dir.File("bench.db");

    public static async Task<BotBenchHost> CreateAsync() =>
        new(await FakeDiscordServer.StartAsync(), await FakeOpenAiServer.StartAsync());

    public void Seed(IEnumerable<Paper> papers)
    {
        using var host = PaperBotHost.Build(new PaperBotHostArgs(DbPath), TextWriter.Null, TextWriter.Null, Configure);
        host.Services.GetRequiredService<IPaperStore>().Upsert(papers);
    }

    public async Task StartAsync()
    {
        var stderr = new StringWriter();
        _run = Task.Run(() => CliApp.RunAsync(["run", "--db", DbPath], TextWriter.Null, stderr, b =>
        {
            Configure(b);
            b.Services.AddHostedService(sp => new Probe(_services, sp));
        }));
        if (await Task.WhenAny(_services.Task, _run).WaitAsync(TimeSpan.FromSeconds(60)) == _run)
        {
            throw new InvalidOperationException("paperbot run exited: " + stderr);
        }

        await Discord.Gateway.WaitForReadyAsync(1, TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts `paperbot serve-interactions` on an ephemeral loopback port instead of `run`, with the fake's signing
    /// key as Discord:PublicKey, and makes the fake deliver interactions to it over HTTP. Returns the endpoint URL.</summary>
    public async Task<Uri> StartInteractionsAsync()
    {
        _config["Discord:PublicKey"] = Discord.Interactions.Signer.PublicKeyHex;
        var stderr = new StringWriter();
        var writer = TextWriter.Synchronized(stderr);
        _run = Task.Run(() => CliApp.RunAsync(["serve-interactions", "--db", DbPath, "--urls", "http://127.0.0.1:0"], TextWriter.Null, writer, b =>
        {
            Configure(b);
            b.Services.AddHostedService(sp => new Probe(_services, sp));
        }));
        const string marker = "interactions endpoint on ";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string text;
        while (!(text = stderr.ToString()).Contains(". Press", StringComparison.Ordinal))
        {
            if (_run.IsCompleted || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("paperbot serve-interactions did not start: " + text);
            }

            await Task.Delay(20);
        }

        var start = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var url = new Uri(text[start..text.IndexOf(". Press", start, StringComparison.Ordinal)].Split(',')[0].Trim().TrimEnd('/') + "/interactions");
        Discord.Interactions.HttpEndpoint = url;
        return url;
    }

    private void Configure(IHostApplicationBuilder b) => b.Configuration.AddInMemoryCollection(_config);

    public async ValueTask DisposeAsync()
    {
        if (_run is not null && _services.Task.IsCompletedSuccessfully)
        {
            Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await _run.WaitAsync(TimeSpan.FromSeconds(60));
        }

        await Discord.DisposeAsync();
        await OpenAi.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Synthetic papers on a few topics, so searches have many hits and several pages.</summary>
    public static List<Paper> Corpus(int count)
    {
        string[] topics = ["diffusion", "transformer", "reinforcement", "retrieval", "speech", "robotics", "protein", "quantization"];
        var papers = new List<Paper>(count);
        for (var i = 0; i < count; i++)
        {
            var t = topics[i % topics.Length];
            var u = topics[(i / topics.Length) % topics.Length];
            var id = string.Create(CultureInfo.InvariantCulture, $"2612.{10000 + i}");
            papers.Add(new Paper
            {
                Id = id,
                ArxivId = id,
                Title = $"{char.ToUpperInvariant(t[0])}{t[1..]} meets {u}: study {i}",
                Abstract = $"We study {t} with {u}. Experiment {i} shows {t} models improve {u} benchmarks by {i % 17} points.",
                Published = new DateOnly(2026, 11, 1).AddDays(-(i % 60)),
                Upvotes = (i * 37) % 500,
                Sources = ["bench"],
            });
        }

        return papers;
    }

    private sealed class Probe(TaskCompletionSource<IServiceProvider> started, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            started.TrySetResult(services);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
