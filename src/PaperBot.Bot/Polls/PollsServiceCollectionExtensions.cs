using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperBot.Discord;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Polls;

public static class PollsServiceCollectionExtensions
{
    /// <summary>Paper polls: /vote, the poll store, the vote and result handlers, the expiry watcher and the Schedule button
    /// (settings in the "ReadingGroup" section, registered by AddBotReadingGroup).</summary>
    public static IServiceCollection AddBotPolls(this IServiceCollection services)
    {
        services.TryAddSingleton<PaperPolls>();
        services.AddSlashCommand<VoteCommand>();
        services.AddButton<ScheduleButtonHandler>();
        services.AddGatewayEventHandler<MessageUpdateEvent, PollResultsHandler>();
        services.AddGatewayEventHandler<MessagePollVoteAddEvent, PollVoteAddHandler>();
        services.AddGatewayEventHandler<MessagePollVoteRemoveEvent, PollVoteRemoveHandler>();
        services.AddHostedService<PollWatcherService>();
        return services;
    }
}
