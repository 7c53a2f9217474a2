using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PaperBot.Telemetry;

/// <summary>
/// The "Telemetry" section: off unless <see cref="Enabled"/>. When on, `paperbot run` serves /metrics (Prometheus),
/// /healthz and /readyz on <see cref="Urls"/> (loopback only unless <see cref="AllowRemote"/>), and exports metrics and
/// traces over OTLP when <see cref="OtlpEndpoint"/> is set.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "Telemetry";

    public bool Enabled { get; set; }

    /// <summary>Where the metrics and health endpoint listens (one http URL; port 0 picks a free port).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:9464";

    /// <summary>Lets <see cref="Urls"/> name a non-loopback address (the endpoint has no authentication).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>Serve the Prometheus scrape endpoint at /metrics.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>An OTLP collector (e.g. http://127.0.0.1:4317 for gRPC, or http://…:4318 with <see cref="OtlpProtocol"/> http).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (default) or http (http/protobuf).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// Lets Semantic Kernel put prompts and completions on its spans (its EnableOTelDiagnosticsSensitive switch). Off by
    /// default: paper text and questions then never leave the process through traces.
    /// </summary>
    public bool SensitiveData { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Urls, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
        {
            yield return new ValidationResult($"Telemetry:Urls = '{Urls}' is not an http URL with a host and port, e.g. http://127.0.0.1:9464 (set PAPERBOT_Telemetry__Urls).");
        }
        else if (!AllowRemote && !IsLoopback(url))
        {
            yield return new ValidationResult($"Telemetry:Urls = '{Urls}' is not a loopback address: the metrics and health endpoint has no authentication. Use 127.0.0.1, [::1] or localhost, or set Telemetry:AllowRemote=true (PAPERBOT_Telemetry__AllowRemote=true) behind a firewall.");
        }

        if (OtlpEndpoint is { Length: > 0 } otlp && !(Uri.TryCreate(otlp, UriKind.Absolute, out var o) && (o.Scheme == Uri.UriSchemeHttp || o.Scheme == Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Telemetry:OtlpEndpoint = '{otlp}' is not an absolute http(s) URL, e.g. http://127.0.0.1:4317.");
        }

        if (!string.Equals(OtlpProtocol, "grpc", StringComparison.OrdinalIgnoreCase) && !string.Equals(OtlpProtocol, "http", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"Telemetry:OtlpProtocol = '{OtlpProtocol}' must be grpc or http.");
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
}
