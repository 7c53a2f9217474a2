using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PaperBot.AI;
using PaperBot.Core.Papers;
using PaperBot.Discord.Gateway;

namespace PaperBot.Telemetry;

/// <summary>
/// With Telemetry:Enabled, starts (first among the hosted services, so /readyz answers 503 until the gateway is READY)
/// the OpenTelemetry meter and tracer providers and a small Kestrel endpoint: /metrics (Prometheus text), /healthz
/// (liveness: the process serves requests) and /readyz (gateway READY and store open). Does nothing when disabled.
/// </summary>
public sealed class TelemetryEndpoint(IServiceProvider services, IOptions<TelemetryOptions> options, ILogger<TelemetryEndpoint> logger) : IHostedService, IAsyncDisposable
{
    public const string ServiceName = "paperbot";

    /// <summary>The meters exported: PaperBot's own, MEAI's embedding meter, SK's, and HttpClient's.</summary>
    public static readonly string[] Meters = ["PaperBot", AiServiceCollectionExtensions.EmbeddingsTelemetrySource, "Microsoft.SemanticKernel*"];

    /// <summary>The activity sources traced (exported only over OTLP).</summary>
    public static readonly string[] Sources = ["PaperBot*", "Microsoft.SemanticKernel*", AiServiceCollectionExtensions.EmbeddingsTelemetrySource];

    private MeterProvider? _meters;
    private TracerProvider? _tracer;
    private WebApplication? _web;

    /// <summary>The address the endpoint listens on (the real port when Telemetry:Urls asked for port 0), or null.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        // SK's spans and metrics; prompts and completions stay off them unless Telemetry:SensitiveData=true.
        AppContext.SetSwitch("Microsoft.SemanticKernel.Experimental.GenAI.EnableOTelDiagnostics", true);
        AppContext.SetSwitch("Microsoft.SemanticKernel.Experimental.GenAI.EnableOTelDiagnosticsSensitive", o.SensitiveData);

        var resource = ResourceBuilder.CreateDefault().AddService(ServiceName, serviceVersion: typeof(TelemetryEndpoint).Assembly.GetName().Version?.ToString());
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters).AddHttpClientInstrumentation();
        if (o.Prometheus)
        {
            metrics.AddPrometheusExporter();
        }

        if (o.OtlpEndpoint is { Length: > 0 } otlp)
        {
            metrics.AddOtlpExporter(e => Otlp(e, otlp, o.OtlpProtocol));
            _tracer = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources)
                .AddHttpClientInstrumentation(h => h.FilterHttpRequestMessage = NotTokenBearing)
                .AddOtlpExporter(e => Otlp(e, otlp, o.OtlpProtocol))
                .Build();
        }

        _meters = metrics.Build();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = ServiceName });
        builder.WebHost.UseKestrelCore().UseUrls(o.Urls);
        builder.Services.AddHealthChecks()
            .AddCheck("gateway", new GatewayReadyCheck(services.GetRequiredService<GatewayClient>()), tags: ["ready"])
            .AddCheck("store", new StoreOpenCheck(services.GetRequiredService<IPaperStore>()), tags: ["ready"]);
        _web = builder.Build();
        _web.UseHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        _web.UseHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReadiness });
        if (o.Prometheus)
        {
            _web.UseOpenTelemetryPrometheusScrapingEndpoint(_meters, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        }

        _web.Run(static ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await _web.StartAsync(cancellationToken).ConfigureAwait(false);
        Address = new Uri(_web.Urls.First());
        logger.LogInformation("Telemetry endpoint on {Address} (/metrics, /healthz, /readyz)", Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_web is not null)
        {
            await _web.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        _meters?.ForceFlush(1000);
        _tracer?.ForceFlush(1000);
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync().ConfigureAwait(false);
        }

        _meters?.Dispose();
        _tracer?.Dispose();
    }

    private static void Otlp(OtlpExporterOptions e, string endpoint, string protocol)
    {
        e.Endpoint = new Uri(endpoint);
        e.Protocol = string.Equals(protocol, "http", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }

    /// <summary>Interaction callbacks and webhooks carry interaction tokens in their paths: they are never traced.</summary>
    private static bool NotTokenBearing(HttpRequestMessage request) =>
        request.RequestUri is not { } u ||
        !(u.AbsolutePath.Contains("/interactions/", StringComparison.Ordinal) || u.AbsolutePath.Contains("/webhooks/", StringComparison.Ordinal));

    private static Task WriteReadiness(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status.ToString().ToLowerInvariant()} ({e.Value.Description})");
        return context.Response.WriteAsync(report.Status.ToString().ToLowerInvariant() + "\n" + string.Join("\n", lines) + "\n");
    }
}
