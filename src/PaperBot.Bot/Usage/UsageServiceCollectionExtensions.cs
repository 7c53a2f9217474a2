using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PaperBot.Bot.Usage;

public static class UsageServiceCollectionExtensions
{
    /// <summary>The usage report ("Llm:Prices" price table, validated on start) and the /usage command.</summary>
    public static IServiceCollection AddBotUsage(this IServiceCollection services)
    {
        services.AddUsageReport();
        services.AddSlashCommand<UsageCommand>();
        return services;
    }

    /// <summary>Only the report and its price table (what `paperbot usage` needs).</summary>
    public static IServiceCollection AddUsageReport(this IServiceCollection services)
    {
        services.AddOptions<LlmPrices>().BindConfiguration(LlmPrices.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmPrices>, LlmPricesValidation>());
        services.TryAddSingleton<UsageReport>();
        return services;
    }
}
