using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Rest;
using StackExchange.Redis;

namespace PaperBot.Discord.Redis;

public static class RedisLimitsServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Redis:ConnectionString</c> set, the global REST limit and the IDENTIFY spacing are shared through Redis by
    /// every process on the bot token; unset, the in-process limiters stay. Call after the Discord client.
    /// </summary>
    public static IServiceCollection AddDiscordRedisLimits(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RedisLimitsOptions>().BindConfiguration(RedisLimitsOptions.SectionName);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisLimitsOptions>>().Value.ConnectionString!);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
        services.TryAddSingleton<InProcessGlobalRateLimiter>();
        services.TryAddSingleton<InProcessIdentifyLimiter>();
        services.Replace(ServiceDescriptor.Singleton<IGlobalRateLimiter>(sp => Configured(sp)
            ? ActivatorUtilities.CreateInstance<RedisGlobalRateLimiter>(sp)
            : sp.GetRequiredService<InProcessGlobalRateLimiter>()));
        services.Replace(ServiceDescriptor.Singleton<IIdentifyLimiter>(sp => Configured(sp)
            ? ActivatorUtilities.CreateInstance<RedisIdentifyLimiter>(sp)
            : sp.GetRequiredService<InProcessIdentifyLimiter>()));
        return services;
    }

    private static bool Configured(IServiceProvider sp) =>
        !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<RedisLimitsOptions>>().Value.ConnectionString);
}
