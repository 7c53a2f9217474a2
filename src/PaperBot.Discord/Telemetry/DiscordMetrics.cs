using System.Diagnostics.Metrics;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Telemetry;

/// <summary>
/// The Discord client's instruments on the "PaperBot" meter: gateway state, heartbeat latency, events, reconnects,
/// resumes; REST requests, 429s by scope, the invalid-request count and the bucket count. Nothing here knows papers.
/// </summary>
public sealed class DiscordMetrics
{
    public const string MeterName = "PaperBot";

    private readonly Meter _meter;
    private readonly Histogram<double> _heartbeat;
    private readonly Counter<long> _events;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _resumes;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _interactions;
    private readonly Histogram<double> _firstResponse;

    public DiscordMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _heartbeat = _meter.CreateHistogram<double>("paperbot.discord.gateway.heartbeat.latency", "s", "Time from a heartbeat to its ACK");
        _events = _meter.CreateCounter<long>("paperbot.discord.gateway.events", "{event}", "Gateway dispatch events received, by type");
        _reconnects = _meter.CreateCounter<long>("paperbot.discord.gateway.reconnects", "{reconnect}", "Gateway connections opened after the first");
        _resumes = _meter.CreateCounter<long>("paperbot.discord.gateway.resumes", "{resume}", "Sessions resumed (RESUMED received)");
        _requests = _meter.CreateCounter<long>("paperbot.discord.rest.requests", "{request}", "REST requests answered, by method and status code");
        _interactions = _meter.CreateCounter<long>("paperbot.discord.interactions", "{interaction}", "Interactions received, by type (command, autocomplete, component, modal)");
        _firstResponse = _meter.CreateHistogram<double>("paperbot.discord.interaction.first_response", "s", "Time from receiving an interaction to its first callback (reply, deferral, autocomplete)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5] });
        _rateLimited = _meter.CreateCounter<long>("paperbot.discord.rest.rate_limited", "{response}", "429 responses, by scope (bucket, global, shared)");
    }

    /// <summary>Reports the gateway's state as a gauge: 1 for the current state, 0 for the others.</summary>
    public void ObserveGateway(Func<GatewayState> state) =>
        _meter.CreateObservableGauge("paperbot.discord.gateway.state", () =>
        {
            var now = state();
            return Enum.GetValues<GatewayState>().Select(s =>
                new Measurement<int>(s == now ? 1 : 0, new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant())));
        }, "{state}", "1 for the gateway's current state (ready, resuming, …)");

    public void ObserveRateLimits(Func<int> invalidRequests, Func<int> buckets)
    {
        _meter.CreateObservableGauge("paperbot.discord.rest.invalid_requests", invalidRequests, "{response}", "401/403/429 responses in the last 10 minutes (Discord bans at 10,000)");
        _meter.CreateObservableGauge("paperbot.discord.rest.buckets", buckets, "{bucket}", "Rate-limit buckets held in memory");
    }

    public void HeartbeatAcked(TimeSpan latency) => _heartbeat.Record(latency.TotalSeconds);

    public void Event(string type) => _events.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Reconnected() => _reconnects.Add(1);

    public void Resumed() => _resumes.Add(1);

    public void RestResponse(HttpMethod method, int status) =>
        _requests.Add(1, new KeyValuePair<string, object?>("method", method.Method), new KeyValuePair<string, object?>("status", status));

    public void Interaction(InteractionType type) => _interactions.Add(1, new KeyValuePair<string, object?>("type", TypeName(type)));

    public void FirstResponse(InteractionType type, TimeSpan elapsed) =>
        _firstResponse.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("type", TypeName(type)));

    private static string TypeName(InteractionType type) => type switch
    {
        InteractionType.ApplicationCommand => "command",
        InteractionType.ApplicationCommandAutocomplete => "autocomplete",
        InteractionType.MessageComponent => "component",
        InteractionType.ModalSubmit => "modal",
        InteractionType.Ping => "ping",
        _ => "other",
    };

    public void RateLimited(string scope) => _rateLimited.Add(1, new KeyValuePair<string, object?>("scope", scope));
}
