using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Discord.Gateway;

/// <summary>Hosts <see cref="GatewayClient.RunAsync"/>; a fatal close code stops the application after logging what to fix.</summary>
public sealed class DiscordGatewayHostedService(GatewayClient gateway, IHostApplicationLifetime lifetime, ILogger<DiscordGatewayHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gateway.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (GatewayFatalException ex)
        {
            logger.LogCritical("Discord gateway stopped: {Message}", ex.Message);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
    }
}
