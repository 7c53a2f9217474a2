using Microsoft.Extensions.DependencyInjection;

namespace PaperBot.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the "Telemetry" options (validated on start) and the endpoint hosted service. Register it before the
    /// gateway so the endpoint is up (and /readyz says 503) while the gateway connects. Nothing listens unless Telemetry:Enabled.
    /// </summary>
    public static IServiceCollection AddPaperBotTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TelemetryEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryEndpoint>());
        return services;
    }
}
