using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Discord;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

/// <summary>A real client (AddDiscordClient: HttpClient, ClientWebSocket, Polly) wired to a loopback fake Discord.</summary>
public sealed class Harness : IAsyncDisposable
{
    private CancellationTokenSource? _gatewayCts;

    private Harness(FakeDiscordServer fake, ServiceProvider services, FakeTimeProvider? time, ListLoggerProvider logs)
    {
        Fake = fake;
        Services = services;
        Time = time;
        Logs = logs;
    }

    public FakeDiscordServer Fake { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider? Time { get; }

    public ListLoggerProvider Logs { get; }

    public Task? GatewayTask { get; private set; }

    public IDiscordRestClient Rest => Services.GetRequiredService<IDiscordRestClient>();

    public GatewayClient Gateway => Services.GetRequiredService<GatewayClient>();

    public RateLimitManager Limits => Services.GetRequiredService<RateLimitManager>();

    public static FakeTimeProvider NewTime() => new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public static async Task<Harness> StartAsync(
        FakeTimeProvider? time = null,
        Action<Dictionary<string, string?>>? config = null,
        Action<IServiceCollection>? services = null,
        Action<FakeDiscordOptions>? fake = null)
    {
        var fakeOptions = new FakeDiscordOptions();
        if (time is not null)
        {
            fakeOptions.TimeProvider = time;
        }
        else
        {
            // real clock on a shared machine: the 3 s callback rule is tested on fake time, here it only catches hangs
            fakeOptions.InteractionCallbackWindow = TimeSpan.FromSeconds(30);
        }

        fake?.Invoke(fakeOptions);
        var server = await FakeDiscordServer.StartAsync(fakeOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = fakeOptions.Token,
            ["Discord:ApiBaseUrl"] = server.ApiBaseUrl,
            ["Discord:UserAgentUrl"] = "https://example.org/paperbot",
            ["Discord:UserAgentVersion"] = "9.9",
            ["Discord:ReconnectBaseDelay"] = "00:00:00",
            ["Discord:ServerErrorBaseDelay"] = "00:00:00.010",
        };
        config?.Invoke(settings);
        var sc = new ServiceCollection();
        sc.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var logs = new ListLoggerProvider();
        sc.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        if (time is not null)
        {
            sc.AddSingleton<TimeProvider>(time);
        }

        sc.AddDiscordClient();
        services?.Invoke(sc);
        var sp = sc.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new Harness(server, sp, time, logs);
    }

    /// <summary>Starts GatewayClient.RunAsync in the background.</summary>
    public void StartGateway()
    {
        _gatewayCts = new CancellationTokenSource();
        GatewayTask = Task.Run(() => Gateway.RunAsync(_gatewayCts.Token));
    }

    /// <summary>Waits for READY on the fake; surfaces the gateway task's exception and the client logs on failure.</summary>
    public async Task WaitForReadyAsync(int identifies = 1)
    {
        var ready = Fake.Gateway.WaitForReadyAsync(identifies, TimeSpan.FromSeconds(15));
        var done = await Task.WhenAny(ready, GatewayTask ?? Task.Delay(Timeout.Infinite));
        if (done == GatewayTask)
        {
            await GatewayTask;
            throw new InvalidOperationException("Gateway stopped before READY. Logs:\n" + Logs.All);
        }

        try
        {
            await ready;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\nLogs:\n" + Logs.All);
        }
    }

    /// <summary>Advances fake time in steps until <paramref name="condition"/> holds (real time bounded by <paramref name="timeout"/>).</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException("Condition not met. Gateway: " + Fake.Gateway.Describe());
            }

            Time!.Advance(step);
            await Task.Delay(5);
        }
    }

    public async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task, TimeSpan step, TimeSpan? timeout = null)
    {
        await AdvanceUntilAsync(() => task.IsCompleted, step, timeout);
        return await task;
    }

    public async Task AdvanceUntilDoneAsync(Task task, TimeSpan step, TimeSpan? timeout = null)
    {
        await AdvanceUntilAsync(() => task.IsCompleted, step, timeout);
        await task;
    }

    /// <summary>Stops the gateway (cancels RunAsync) and waits for it.</summary>
    public async Task DisposeGatewayAsync()
    {
        if (_gatewayCts is not null)
        {
            await _gatewayCts.CancelAsync();
            await GatewayTask!.WaitAsync(TimeSpan.FromSeconds(10));
            _gatewayCts = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_gatewayCts is not null)
        {
            await _gatewayCts.CancelAsync();
            try
            {
                await GatewayTask!.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is GatewayFatalException or OperationCanceledException)
            {
            }
        }

        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Records events delivered to typed handlers.</summary>
public sealed class EventLog
{
    public ConcurrentQueue<(string Kind, object Event)> Events { get; } = new();

    public IEnumerable<T> Of<T>() => Events.Where(e => e.Event is T).Select(e => (T)e.Event);
}
