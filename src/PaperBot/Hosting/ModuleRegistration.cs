using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI;
using PaperBot.Cli;

namespace PaperBot.Hosting;

/// <summary>Every feature module registers itself here through its own AddXxx extension (one line each).</summary>
public static class ModuleRegistration
{
    public static IServiceCollection AddPaperBotModules(this IServiceCollection services)
    {
        services.AddCliCommands();
        services.AddPaperBotAI();
        return services;
    }
}
