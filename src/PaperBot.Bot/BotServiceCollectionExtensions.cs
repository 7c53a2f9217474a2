using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Chat;
using PaperBot.Bot.Citations;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Digest;
using PaperBot.Bot.Feed;
using PaperBot.Bot.Handlers;
using PaperBot.Bot.Interactions;
using PaperBot.Bot.Options;
using PaperBot.Bot.Paging;
using PaperBot.Bot.Polls;
using PaperBot.Bot.RateLimiting;
using PaperBot.Bot.ReadingGroup;
using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;
using PaperBot.Bot.Subscriptions;
using PaperBot.Bot.Trending;
using PaperBot.Bot.Usage;
using PaperBot.Discord;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot;

/// <summary>Registration of the Discord bot, one AddXxx per feature. Nothing runs until the host starts (`paperbot run`).</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>The whole bot: gateway hosted service, options, slash commands, chat, daily digest and subscriptions.</summary>
    public static IServiceCollection AddPaperBotBot(this IServiceCollection services)
    {
        services.AddBotCore();
        services.AddBotSlashCommands();
        services.AddBotChat();
        services.AddBotDigest();
        services.AddBotSubscriptions();
        services.AddBotFeed();
        services.AddBotTrending();
        services.AddBotCitations();
        services.AddBotUsage();
        services.AddBotReadingGroup();
        services.AddBotPolls();
        return services;
    }

    /// <summary>
    /// The Discord client and gateway hosted service, options ("Bot", "Digest"), the rate limiter, the background work
    /// tracker and start-up requirements.
    /// </summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDiscordClient();
        services.TryAddSingleton<BotRunState>();
        services.AddHostedService<BotGatewayService>();
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, BotDiscordRequirements>());
        services.TryAddSingleton<UserRateLimiter>();
        services.AddMetrics();
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton<BotWork>();
        services.AddHostedService(sp => sp.GetRequiredService<BotWork>());
        services.TryAddSingleton<GuildSettingsService>();
        services.AddBotScaling();
        return services;
    }

    /// <summary>Shard ownership of scheduled work and the claim/lease rows that make it exactly-once across processes ("Scaling").</summary>
    public static IServiceCollection AddBotScaling(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DiscordOptions>();
        services.AddOptions<ScalingOptions>().BindConfiguration(ScalingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<BotProcessRole>();
        services.TryAddSingleton<ShardOwnership>();
        services.TryAddSingleton<WorkerIdentity>();
        services.TryAddSingleton<WorkClaims>();
        return services;
    }

    /// <summary>Every slash command (one class each), their autocomplete, the buttons, and registration on READY.</summary>
    public static IServiceCollection AddBotSlashCommands(this IServiceCollection services)
    {
        services.TryAddSingleton<InteractionDispatcher>();
        services.TryAddSingleton<PaperSuggestions>();
        services.TryAddSingleton<SearchPageRenderer>();
        services.TryAddSingleton<CommandRegistrar>();
        services.Replace(ServiceDescriptor.Singleton<PaperBot.Discord.Commands.ICommandRegistrationStateStore, RecordStoreCommandRegistrationStateStore>());
        services.AddSlashCommand<SearchCommand>();
        services.AddSlashCommand<PaperCommand>();
        services.AddSlashCommand<SummarizeCommand>();
        services.AddSlashCommand<CompareCommand>();
        services.AddSlashCommand<AskCommand>();
        services.AddSlashCommand<RelatedCommand>();
        services.AddSlashCommand<TrendingCommand>();
        services.AddSlashCommand<SubscribeCommand>();
        services.AddSlashCommand<UnsubscribeCommand>();
        services.AddSlashCommand<SettingsCommand>();
        services.AddSlashCommand<HelpCommand>();
        services.AddButton<SearchPagerHandler>();
        services.AddButton<SummarizeButtonHandler>();
        services.AddGatewayEventHandler<ReadyEvent, ReadyHandler>();
        return services;
    }

    /// <summary>Mentions, DMs and thread follow-ups.</summary>
    public static IServiceCollection AddBotChat(this IServiceCollection services)
    {
        services.TryAddSingleton<ChatHandler>();
        services.AddGatewayEventHandler<MessageCreateEvent, MessageCreateHandler>();
        return services;
    }

    /// <summary>The daily trending post: scheduler hosted service and publisher.</summary>
    public static IServiceCollection AddBotDigest(this IServiceCollection services)
    {
        services.TryAddSingleton<IDailyPapersSource, HfDailyPapersSource>();
        services.TryAddSingleton<IDigestPublisher, DigestPublisher>();
        services.TryAddSingleton<DigestScheduler>();
        services.AddHostedService<DigestSchedulerService>();
        return services;
    }

    /// <summary>Keyword subscriptions: a daily DM with newly ingested matching papers.</summary>
    public static IServiceCollection AddBotSubscriptions(this IServiceCollection services)
    {
        services.TryAddSingleton<SubscriptionNotifier>();
        services.AddHostedService<SubscriptionNotifierService>();
        return services;
    }

    /// <summary>The paper feed: HF daily papers fetched and stored on a timer while the bot runs ("Feed" section).</summary>
    public static IServiceCollection AddBotFeed(this IServiceCollection services)
    {
        services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PaperFeed>();
        services.AddHostedService<PaperFeedService>();
        return services;
    }

    /// <summary>Registers a slash command (and its autocomplete, if any) with the interaction router.</summary>
    public static IServiceCollection AddSlashCommand<TCommand>(this IServiceCollection services)
        where TCommand : class, ISlashCommand
    {
        services.TryAddSingleton<TCommand>();
        services.AddSingleton<ISlashCommand>(sp => sp.GetRequiredService<TCommand>());
        services.AddTransient<ISlashCommandHandler>(sp => new SlashCommandBridge(sp.GetRequiredService<TCommand>(), sp.GetRequiredService<InteractionDispatcher>()));
        if (typeof(IAutocompleteCommand).IsAssignableFrom(typeof(TCommand)))
        {
            services.AddTransient<IAutocompleteHandler>(sp => new AutocompleteBridge((IAutocompleteCommand)sp.GetRequiredService<TCommand>(), sp.GetRequiredService<InteractionDispatcher>()));
        }

        return services;
    }

    /// <summary>Registers a button handler (by custom_id prefix) with the interaction router.</summary>
    public static IServiceCollection AddButton<THandler>(this IServiceCollection services)
        where THandler : class, IButtonHandler
    {
        services.TryAddSingleton<THandler>();
        services.AddTransient<PaperBot.Discord.Interactions.IComponentHandler>(sp => new ButtonBridge(sp.GetRequiredService<THandler>(), sp.GetRequiredService<InteractionDispatcher>()));
        return services;
    }
}
