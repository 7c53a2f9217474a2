using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaperBot.Bot.ReadingGroup;

public static class ReadingGroupServiceCollectionExtensions
{
    /// <summary>Reading sessions ("ReadingGroup" section, validated on start): /readinggroup, the session store and the reminder service.</summary>
    public static IServiceCollection AddBotReadingGroup(this IServiceCollection services)
    {
        services.AddOptions<ReadingGroupOptions>().BindConfiguration(ReadingGroupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReadingSessions>();
        services.TryAddSingleton<SessionNotes>();
        services.TryAddSingleton<SessionReminders>();
        services.AddSlashCommand<ReadingGroupCommand>();
        services.AddHostedService<SessionReminderService>();
        return services;
    }
}
