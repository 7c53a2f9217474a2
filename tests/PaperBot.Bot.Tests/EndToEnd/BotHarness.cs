using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Cli;
using PaperBot.Core.Papers;
using PaperBot.Hosting;
using PaperBot.Testing;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeHf;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>
/// Runs the real `paperbot run` (CliApp → PaperBotHost → gateway hosted service…) against the loopback fake Discord and,
/// when asked, the fake OpenAI-compatible server, on a temp LiteDB file. A new <see cref="StartBotAsync"/> on the same
/// harness is a restart: a new host on the same database.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    public const ulong GuildId = 800000000000000001;
    public const ulong ChannelId = 810000000000000001;

    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string?> _config;

    private BotHarness(FakeDiscordServer discord, FakeOpenAiServer? openAi, FakeTimeProvider? time, FakeHfServer hf)
    {
        Discord = discord;
        Hf = hf;
        OpenAi = openAi;
        Time = time;
        _config = new Dictionary<string, string?>
        {
            ["Discord:Token"] = discord.Options.Token,
            ["Discord:ApplicationId"] = discord.Options.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl,

            // reconnects must not wait on a FakeTimeProvider that only moves when the test says so
            ["Discord:ReconnectBaseDelay"] = "00:00:00",
            ["Bot:Mode"] = "Development",
            ["Bot:DevGuildId"] = GuildId.ToString(CultureInfo.InvariantCulture),
            ["Bot:Cooldown"] = "00:00:00",
            ["Digest:Enabled"] = "false",
            ["Feed:Enabled"] = "false",
            ["Ingestion:HfBaseUrl"] = hf.BaseUrl,
            ["Ingestion:MaxRetries"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:PaperBot"] = "Warning",
        };
        if (openAi is not null)
        {
            _config["Llm:Provider"] = "openai-compatible";
            _config["Llm:BaseUrl"] = openAi.V1;
            _config["Llm:Model"] = "fake-model";
            _config["Llm:ApiKey"] = "test-key";
            _config["Llm:Resilience:MaxRetries"] = "1";
            _config["Llm:Resilience:BaseDelay"] = "00:00:00.010";
        }
    }

    public FakeDiscordServer Discord { get; }

    public FakeOpenAiServer? OpenAi { get; }

    public FakeTimeProvider? Time { get; }

    public string DbPath => _dir.File("paperbot.db");

    public static async Task<BotHarness> CreateAsync(bool llm = false, FakeTimeProvider? time = null, FakeDiscordOptions? discordOptions = null)
    {
        discordOptions ??= new FakeDiscordOptions();
        if (time is not null)
        {
            // rate-limit windows on the same clock as the bot, or a 429 would make the bot wait on a clock that never moves
            discordOptions.TimeProvider = time;
        }
        else
        {
            // real clock on a shared machine: the 3 s callback rule is tested on fake time, here it only catches hangs
            discordOptions.InteractionCallbackWindow = TimeSpan.FromSeconds(30);
        }

        var discord = await FakeDiscordServer.StartAsync(discordOptions);
        var openAi = llm ? await FakeOpenAiServer.StartAsync() : null;
        var hf = await FakeHfServer.StartAsync();
        return new BotHarness(discord, openAi, time, hf);
    }

    /// <summary>The loopback Hugging Face API the digest fetches from (fixtures from tests/Fixtures/hf).</summary>
    public FakeHfServer Hf { get; private set; } = null!;

    /// <summary>Overrides or adds configuration for the next start.</summary>
    public BotHarness With(string key, string? value)
    {
        _config[key] = value;
        return this;
    }

    private string? _configFile;

    /// <summary>
    /// Settings the host must see while it registers its modules (as `--config FILE`, over the embedded defaults): the
    /// storage provider is chosen from the configuration there, before the in-memory overrides of <see cref="With"/>
    /// are added. Keys are "Section:Key".
    /// </summary>
    public BotHarness WithConfigFile(IReadOnlyDictionary<string, string?> settings)
    {
        _configFile = SettingsFile.Write(_dir.File("appsettings.harness.json"), settings);
        return this;
    }

    private string[] Args(params string[] args) => _configFile is null ? args : [.. args, "--config", _configFile];

    /// <summary>Stores papers through the real storage module (a short-lived host on the same database).</summary>
    public void Seed(IEnumerable<Paper> papers)
    {
        using var host = PaperBotHost.Build(new PaperBotHostArgs(DbPath), TextWriter.Null, TextWriter.Null, Configure);
        host.Services.GetRequiredService<IPaperStore>().Upsert(papers);
    }

    /// <summary>Runs `paperbot run` to its end (for start-up failures): exit code and stderr.</summary>
    public async Task<(int Exit, string Stderr)> RunToExitAsync(TimeSpan timeout)
    {
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["run", "--db", DbPath], new StringWriter(), stderr, Configure).WaitAsync(timeout);
        return (exit, stderr.ToString());
    }

    /// <summary>Starts `paperbot run` and waits until the gateway is READY and the commands are registered.</summary>
    public async Task<RunningBot> StartBotAsync(TimeSpan? timeout = null) => await StartBotAsync(beforeReady: null, timeout);

    /// <summary>As <see cref="StartBotAsync(TimeSpan?)"/>; <paramref name="beforeReady"/> runs once the host has started,
    /// before waiting for READY (with <see cref="FakeDiscordOptions.HoldReadyUntil"/> it sees the bot not yet READY).</summary>
    public async Task<RunningBot> StartBotAsync(Func<IServiceProvider, Task>? beforeReady, TimeSpan? timeout = null)
    {
        var probe = new HostProbe();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var identifiesBefore = Discord.Gateway.IdentifyCount;
        var exit = Task.Run(() => CliApp.RunAsync(Args("run", "--db", DbPath), stdout, stderr, b =>
        {
            Configure(b);
            b.Services.AddSingleton(probe);
            b.Services.AddHostedService(sp => new HostProbe.Service(probe, sp));
        }));
        var bot = new RunningBot(exit, probe, stdout, stderr);
        var started = await Task.WhenAny(probe.Started, exit).WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        if (started == exit)
        {
            throw new InvalidOperationException($"paperbot run exited with {await exit}: {stderr}");
        }

        if (beforeReady is not null)
        {
            await beforeReady(await probe.Started);
        }

        await Discord.Gateway.WaitForReadyAsync(identifiesBefore + 1, timeout ?? TimeSpan.FromSeconds(30));

        // registered (PUT) or found unchanged since the last run on this database (no PUT)
        var services = await probe.Started;
        await services.GetRequiredService<PaperBot.Bot.Commands.CommandRegistrar>().Completed.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        return bot;
    }

    /// <summary>Starts `paperbot serve-interactions` on an ephemeral loopback port, with the fake's signing key as
    /// Discord:PublicKey, and points the fake's interaction delivery at it (HTTP instead of the gateway).</summary>
    public async Task<RunningBot> StartInteractionsAsync(TimeSpan? timeout = null)
    {
        _config["Discord:PublicKey"] = Discord.Interactions.Signer.PublicKeyHex;
        var probe = new HostProbe();
        var stdout = new StringWriter();
        var stderr = new SyncedWriter();
        var exit = Task.Run(() => CliApp.RunAsync(Args("serve-interactions", "--db", DbPath, "--urls", "http://127.0.0.1:0"), stdout, stderr, b =>
        {
            Configure(b);
            b.Services.AddSingleton(probe);
            b.Services.AddHostedService(sp => new HostProbe.Service(probe, sp));
        }));
        var bot = new RunningBot(exit, probe, stdout, stderr);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const string marker = "interactions endpoint on ";
        while (!stderr.ToString().Contains(marker, StringComparison.Ordinal))
        {
            if (exit.IsCompleted)
            {
                throw new InvalidOperationException($"paperbot serve-interactions exited with {await exit}: {stderr}");
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("serve-interactions did not start: " + stderr);
            }

            await Task.Delay(20);
        }

        var text = stderr.ToString();
        var start = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var address = text[start..text.IndexOf(". Press", start, StringComparison.Ordinal)].Split(',')[0].Trim();
        bot.Endpoint = new Uri(address.TrimEnd('/') + "/interactions");
        Discord.Interactions.HttpEndpoint = bot.Endpoint;
        return bot;
    }

    private void Configure(IHostApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(_config);
        if (Time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(Time);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Discord.DisposeAsync();
        await Hf.DisposeAsync();
        if (OpenAi is not null)
        {
            await OpenAi.DisposeAsync();
        }

        _dir.Dispose();
    }
}

/// <summary>Captures the running host's services (registered last, so it starts after everything else).</summary>
public sealed class HostProbe
{
    private readonly TaskCompletionSource<IServiceProvider> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IServiceProvider> Started => _started.Task;

    public sealed class Service(HostProbe probe, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            probe._started.TrySetResult(services);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A running `paperbot run`: its services, exit code and captured output.</summary>
public sealed class RunningBot(Task<int> exit, HostProbe probe, StringWriter stdout, StringWriter stderr) : IAsyncDisposable
{
    /// <summary>The Interactions Endpoint URL of a `serve-interactions` process.</summary>
    public Uri? Endpoint { get; internal set; }

    public Task<int> Exit { get; } = exit;

    public IServiceProvider Services => probe.Started.Result;

    public string Stdout => stdout.ToString();

    public string Stderr => stderr.ToString();

    /// <summary>Stops the host as Ctrl+C would and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!Exit.IsCompleted)
        {
            Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        }

        return await Exit.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>Polls a condition (real time) until it holds; fails with a description otherwise.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException("timed out waiting for: " + what);
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>A StringWriter safe to read while another thread writes (the host writes stderr from its own threads).</summary>
public sealed class SyncedWriter : StringWriter
{
    private readonly object _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, index, count);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }
}
