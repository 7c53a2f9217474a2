using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using PaperBot.Discord.Commands;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Discord.Telemetry;

namespace PaperBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Discord REST client, rate limiter, Polly pipeline "PaperBot.Discord.Rest", gateway client, dispatcher and
    /// interaction router, bound to the "Discord" configuration section (validated on start). Does not start the gateway:
    /// call <see cref="AddDiscordGateway"/> (hosted service) or run <see cref="GatewayClient.RunAsync"/> yourself.
    /// </summary>
    public static IServiceCollection AddDiscordClient(this IServiceCollection services)
    {
        services.AddOptions<DiscordOptions>()
            .BindConfiguration(DiscordOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // URIs of interaction callbacks and webhooks contain interaction tokens: no HttpClient request logging.
        services.AddHttpClient(HttpClientRestRequestHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        services.TryAddSingleton<IRestRequestHandler, HttpClientRestRequestHandler>();
        services.AddResiliencePipeline<string, HttpResponseMessage>(DiscordRestClient.PipelineName, static (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<DiscordOptions>>().Value;
            builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            if (options.RateLimitRetries > 0)
            {
                // 429: the rate limiter has recorded retry_after, so the retry waits in RateLimitManager.AcquireAsync.
                builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    Name = "rate-limited",
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                    MaxRetryAttempts = options.RateLimitRetries,
                    Delay = TimeSpan.Zero,
                    BackoffType = DelayBackoffType.Constant,
                });
            }

            if (options.ServerErrorRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    Name = "server-error",
                    ShouldHandle = static args => ValueTask.FromResult(
                        (!args.Context.Properties.TryGetValue(DiscordRestClient.RouteKey, out var route) || route.RetryServerErrors)
                        && (args.Outcome.Exception is HttpRequestException or IOException || (args.Outcome.Result is { } r && (int)r.StatusCode >= 500))),
                    MaxRetryAttempts = options.ServerErrorRetries,
                    Delay = options.ServerErrorBaseDelay,
                    MaxDelay = TimeSpan.FromSeconds(10),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
            }
        });

        services.AddMetrics();
        services.TryAddSingleton<DiscordMetrics>();
        services.TryAddSingleton<IGlobalRateLimiter, InProcessGlobalRateLimiter>();
        services.TryAddSingleton<IIdentifyLimiter, InProcessIdentifyLimiter>();
        services.TryAddSingleton<ICommandRegistrationStateStore, InMemoryCommandRegistrationStateStore>();
        services.TryAddSingleton<ApplicationCommandRegistrar>();
        services.TryAddSingleton<RateLimitManager>();
        services.TryAddSingleton<IDiscordRestClient, DiscordRestClient>();
        services.TryAddSingleton<IGatewaySocketFactory, WebSocketGatewaySocketFactory>();
        services.TryAddSingleton<IReconnectStrategy, ExponentialBackoffReconnectStrategy>();
        services.TryAddSingleton<GatewayDispatcher>();
        services.TryAddSingleton<GatewayClient>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IGatewayEventHandler<InteractionCreateEvent>, InteractionRouter>());
        return services;
    }

    /// <summary>Runs the gateway as a hosted service (stops the application with a clear log when the close code is fatal).</summary>
    public static IServiceCollection AddDiscordGateway(this IServiceCollection services)
    {
        services.AddDiscordClient();
        services.AddHostedService<DiscordGatewayHostedService>();
        return services;
    }

    /// <summary>Registers a typed gateway event handler (transient; resolved in a fresh scope per event).</summary>
    public static IServiceCollection AddGatewayEventHandler<TEvent, THandler>(this IServiceCollection services)
        where THandler : class, IGatewayEventHandler<TEvent>
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IGatewayEventHandler<TEvent>, THandler>());
        return services;
    }

    public static IServiceCollection AddSlashCommandHandler<THandler>(this IServiceCollection services)
        where THandler : class, ISlashCommandHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<ISlashCommandHandler, THandler>());
        return services;
    }

    public static IServiceCollection AddAutocompleteHandler<THandler>(this IServiceCollection services)
        where THandler : class, IAutocompleteHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IAutocompleteHandler, THandler>());
        return services;
    }

    public static IServiceCollection AddComponentHandler<THandler>(this IServiceCollection services)
        where THandler : class, IComponentHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IComponentHandler, THandler>());
        return services;
    }

    public static IServiceCollection AddModalHandler<THandler>(this IServiceCollection services)
        where THandler : class, IModalHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IModalHandler, THandler>());
        return services;
    }
}
