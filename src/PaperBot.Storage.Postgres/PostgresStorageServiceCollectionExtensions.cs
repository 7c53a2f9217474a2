using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;

namespace PaperBot.Storage.Postgres;

public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the PostgreSQL provider: <see cref="IPaperStore"/> (<see cref="PostgresPaperStore"/>), the open generic
    /// <see cref="IRecordStore{T}"/> (<see cref="PostgresRecordStore{T}"/>) and the <see cref="PostgresChangeListener"/>
    /// that keeps this process's search index in step with the other processes' writes. Replaces earlier store
    /// registrations. <paramref name="connectionString"/> is resolved once, when the database is first used (it is a
    /// secret: from an environment variable or user-secrets, never logged). Needs AddPaperBotSearch for the index.
    /// </summary>
    public static IServiceCollection AddPaperBotPostgresStorage(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PaperChangeSignal>();
        services.TryAddSingleton(PaperLimits.Default);
        services.TryAddSingleton(sp => new PostgresDatabase(connectionString(sp), sp.GetService<ILogger<PostgresDatabase>>()));
        services.TryAddSingleton(sp => new PostgresPaperStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<PaperLimits>()));
        services.Replace(ServiceDescriptor.Singleton<IPaperStore>(sp => sp.GetRequiredService<PostgresPaperStore>()));
        services.Replace(ServiceDescriptor.Singleton(typeof(IRecordStore<>), typeof(PostgresRecordStore<>)));
        services.TryAddSingleton<PostgresRawRecords>();
        services.TryAddSingleton<PostgresChangeListener>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PostgresChangeListener>());
        return services;
    }
}
