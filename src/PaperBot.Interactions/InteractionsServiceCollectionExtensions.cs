using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperBot.Discord.Interactions;

namespace PaperBot.Interactions;

public static class InteractionsServiceCollectionExtensions
{
    /// <summary>The HTTP Interactions Endpoint ("Interactions" options, Discord:PublicKey). Nothing listens until
    /// <see cref="InteractionsEndpointServer.StartAsync"/> (`paperbot serve-interactions`). Call after the Discord client.</summary>
    public static IServiceCollection AddPaperBotInteractionsEndpoint(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<InteractionsEndpointOptions>().BindConfiguration(InteractionsEndpointOptions.SectionName).ValidateDataAnnotations();
        services.TryAddTransient<InteractionRouter>();
        services.TryAddSingleton<InteractionsEndpoint>();
        return services;
    }
}
