using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperBot.Discord;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Trending;

public static class TrendingServiceCollectionExtensions
{
    /// <summary>Per-server trending: signal counts ("Trending" section), the ranker, the reaction handlers and the retention sweep.</summary>
    public static IServiceCollection AddBotTrending(this IServiceCollection services)
    {
        services.AddOptions<TrendingOptions>().BindConfiguration(TrendingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerSignals>();
        services.TryAddSingleton<IPaperSignals>(sp => sp.GetRequiredService<ServerSignals>());
        services.TryAddSingleton<TrendingRanker>();
        services.TryAddSingleton<TrendingMessage>();
        services.AddGatewayEventHandler<MessageReactionAddEvent, ReactionAddHandler>();
        services.AddGatewayEventHandler<MessageReactionRemoveEvent, ReactionRemoveHandler>();
        services.AddGatewayEventHandler<MessageReactionRemoveAllEvent, ReactionRemoveAllHandler>();
        services.AddGatewayEventHandler<MessageReactionRemoveEmojiEvent, ReactionRemoveEmojiHandler>();
        services.AddHostedService<TrendingMaintenanceService>();
        return services;
    }
}
