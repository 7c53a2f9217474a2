using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperBot.Discord;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Benchmarks.Discord;

/// <summary>The real Discord client (AddDiscordClient) wired to a loopback fake Discord, for the discord-* benchmarks.</summary>
internal sealed class DiscordBenchHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();

    private DiscordBenchHost(FakeDiscordServer fake, ServiceProvider services)
    {
        Fake = fake;
        Services = services;
    }

    public FakeDiscordServer Fake { get; }

    public ServiceProvider Services { get; }

    public Task? GatewayTask { get; private set; }

    public IDiscordRestClient Rest => Services.GetRequiredService<IDiscordRestClient>();

    public GatewayClient Gateway => Services.GetRequiredService<GatewayClient>();

    public static async Task<DiscordBenchHost> StartAsync(Action<IServiceCollection>? services = null, Action<Dictionary<string, string?>>? config = null, Action<FakeDiscordOptions>? fake = null, TimeProvider? time = null)
    {
        // on the real clock a loaded machine must not turn a slow callback into 10062; the 3 s rule holds on fake time
        var fakeOptions = new FakeDiscordOptions { InteractionCallbackWindow = time is null ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(3) };
        if (time is not null)
        {
            fakeOptions.TimeProvider = time;
        }

        fake?.Invoke(fakeOptions);
        var server = await FakeDiscordServer.StartAsync(fakeOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = fakeOptions.Token,
            ["Discord:ApiBaseUrl"] = server.ApiBaseUrl,
            ["Discord:ReconnectBaseDelay"] = "00:00:00.010",
            ["Discord:ReconnectMaxDelay"] = "00:00:01",
        };
        config?.Invoke(settings);
        var sc = new ServiceCollection();
        if (time is not null)
        {
            settings["Discord:ReconnectBaseDelay"] = "00:00:00";
        }

        sc.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        sc.AddLogging(b => b.SetMinimumLevel(LogLevel.Error).AddSimpleConsole());
        if (time is not null)
        {
            sc.AddSingleton(time);
        }

        sc.AddDiscordClient();
        services?.Invoke(sc);
        return new DiscordBenchHost(server, sc.BuildServiceProvider());
    }

    public async Task StartGatewayAsync()
    {
        GatewayTask = Task.Run(() => Gateway.RunAsync(_cts.Token));
        await Fake.Gateway.WaitForReadyAsync(1, TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (GatewayTask is not null)
        {
            try
            {
                await GatewayTask.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or GatewayFatalException)
            {
            }
        }

        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
