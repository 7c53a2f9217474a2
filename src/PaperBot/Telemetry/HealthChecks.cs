using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaperBot.Core.Papers;
using PaperBot.Discord.Gateway;

namespace PaperBot.Telemetry;

/// <summary>Ready when the Discord gateway session is READY (or RESUMED).</summary>
public sealed class GatewayReadyCheck(GatewayClient gateway) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(gateway.State == GatewayState.Ready
            ? HealthCheckResult.Healthy("gateway READY")
            : HealthCheckResult.Unhealthy($"gateway {gateway.State.ToString().ToLowerInvariant()}"));
}

/// <summary>Ready when the paper store answers (its own file, or the owning process over the socket).</summary>
public sealed class StoreOpenCheck(IPaperStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(HealthCheckResult.Healthy($"store open at revision {store.CurrentRevision}"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("store not open: " + ex.GetType().Name, ex));
        }
    }
}
