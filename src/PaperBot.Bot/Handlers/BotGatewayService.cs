using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.Scaling;
using PaperBot.Discord.Gateway;

namespace PaperBot.Bot.Handlers;

/// <summary>Why the bot stopped on its own (a fatal gateway close such as 4014), for `paperbot run` to report and exit non-zero.</summary>
public sealed class BotRunState
{
    private GatewayFatalException? _fatal;

    public GatewayFatalException? Fatal => Volatile.Read(ref _fatal);

    internal void SetFatal(GatewayFatalException ex) => Interlocked.CompareExchange(ref _fatal, ex, null);
}

/// <summary>
/// Hosts the gateway connection for the bot. A fatal close code (4004, 4010–4014) is recorded in <see cref="BotRunState"/> and
/// stops the application, so `paperbot run` prints the clear reason and exits non-zero instead of reconnecting forever.
/// An interactions-only process (<see cref="BotProcessRole"/>) opens no gateway connection.
/// </summary>
public sealed class BotGatewayService(GatewayClient gateway, BotRunState state, BotProcessRole role, IHostApplicationLifetime lifetime, ILogger<BotGatewayService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (role.InteractionsOnly)
        {
            return;
        }

        try
        {
            await gateway.RunAsync(stoppingToken);
        }
        catch (GatewayFatalException ex)
        {
            logger.LogCritical("Discord gateway stopped: {Message}", ex.Message);
            state.SetFatal(ex);
            lifetime.StopApplication();
        }
    }
}
