using Microsoft.Extensions.DependencyInjection;
using PaperBot.Cli.Commands;

namespace PaperBot.Cli;

public static class CliCommandsRegistration
{
    public static IServiceCollection AddCliCommands(this IServiceCollection services)
    {
        services.AddSingleton<ICliCommand, VersionCommand>();
        services.AddSingleton<ICliCommand, DemoCommand>();
        services.AddSingleton<ICliCommand, IngestCommand>();
        services.AddSingleton<ICliCommand, AskCommand>();
        services.AddSingleton<ICliCommand, EmbedCommand>();
        services.AddSingleton<ICliCommand, EvalBeirCommand>();
        services.AddSingleton<ICliCommand, SearchCommand>();
        services.AddSingleton<ICliCommand, ShowCommand>();
        services.AddSingleton<ICliCommand, RelatedCommand>();
        services.AddSingleton<ICliCommand, TrendingCommand>();
        services.AddSingleton<ICliCommand, BenchSearchCommand>();
        services.AddSingleton<ICliCommand, RunCommand>();
        services.AddSingleton<PaperBot.Operations.DataOperations>();
        services.AddSingleton<ICliCommand, StatsCommand>();
        services.AddSingleton<ICliCommand, ExportCommand>();
        services.AddSingleton<ICliCommand, RemoveCommand>();
        services.AddSingleton<ICliCommand, BackupCommand>();
        services.AddSingleton<ICliCommand, ReindexCommand>();
        services.AddSingleton<ICliCommand, RepairCommand>();
        services.AddSingleton<ICliCommand, BenchJsonlCommand>();
        return services;
    }
}
