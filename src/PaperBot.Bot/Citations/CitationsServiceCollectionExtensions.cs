using Microsoft.Extensions.DependencyInjection;

namespace PaperBot.Bot.Citations;

public static class CitationsServiceCollectionExtensions
{
    /// <summary>/cite (the formatting itself is PaperBot.Core.Citations, shared with `paperbot cite`).</summary>
    public static IServiceCollection AddBotCitations(this IServiceCollection services)
    {
        services.AddSlashCommand<CiteCommand>();
        return services;
    }
}
