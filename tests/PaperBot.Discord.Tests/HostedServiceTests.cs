using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Discord.Gateway;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

public class HostedServiceTests
{
    private static IHost Build(FakeDiscordServer fake, ListLoggerProvider logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = fake.Options.Token,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
        });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddDiscordGateway();
        return builder.Build();
    }

    [Fact]
    public async Task Hosted_gateway_connects_and_stops_cleanly_with_the_host()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var logs = new ListLoggerProvider();
        using var host = Build(fake, logs);
        await host.StartAsync();
        await fake.Gateway.WaitForReadyAsync();
        await host.StopAsync();
        await fake.Gateway.WaitUntilAsync(g => g.ClientCloseCodes.Contains(1000));
        Assert.Equal(GatewayState.Stopped, host.Services.GetRequiredService<GatewayClient>().State);
    }

    [Fact]
    public async Task Fatal_close_code_stops_the_application_with_the_reason_logged()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { AllowMessageContentIntent = false });
        var logs = new ListLoggerProvider();
        using var host = Build(fake, logs);
        var stopping = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        await host.StartAsync();
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("enable the Message Content intent in the Developer Portal", logs.All);
        await host.StopAsync();
        Environment.ExitCode = 0;
    }
}
