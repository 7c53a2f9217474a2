using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Interactions.Http;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Interactions;

/// <summary>
/// Discord's Interactions Endpoint: verifies the Ed25519 signature over timestamp + body (401 when missing or wrong) and
/// the timestamp's age (401 when older than <see cref="InteractionsEndpointOptions.MaxTimestampAge"/>, by
/// <see cref="TimeProvider"/>), answers PING with PONG, and runs every other interaction through the same
/// <see cref="InteractionRouter"/> and handlers as the gateway. The handler's first callback is the HTTP response; when
/// none came within <see cref="InteractionsEndpointOptions.DeferAfter"/> the response is a deferral and the answer is
/// finished through the webhook endpoints (PATCH @original). Stateless: nothing is kept per request after it is answered,
/// so any number of instances can serve behind a load balancer on one store.
/// </summary>
public sealed class InteractionsEndpoint : IDisposable
{
    private readonly InteractionRouter _router;
    private readonly IDiscordRestClient _rest;
    private readonly InteractionsEndpointOptions _options;
    private readonly Ed25519RequestVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger<InteractionsEndpoint> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private long _rejected;
    private long _deferred;
    private long _answered;

    public InteractionsEndpoint(InteractionRouter router, IDiscordRestClient rest, IOptions<DiscordOptions> discord, IOptions<InteractionsEndpointOptions> options, TimeProvider time, ILogger<InteractionsEndpoint> logger)
    {
        var key = discord.Value.PublicKey;
        if (string.IsNullOrEmpty(key))
        {
            throw new OptionsValidationException(DiscordOptions.SectionName, typeof(DiscordOptions),
                ["Discord:PublicKey is missing: set PAPERBOT_Discord__PublicKey to the application's public key (Developer Portal → General Information → Public Key)."]);
        }

        _router = router;
        _rest = rest;
        _options = options.Value;
        _verifier = new Ed25519RequestVerifier(key);
        _time = time;
        _logger = logger;
    }

    /// <summary>Requests refused with 401 (bad or missing signature, stale timestamp).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Interactions answered with an automatic deferral because the handler was slow.</summary>
    public long Deferred => Interlocked.Read(ref _deferred);

    /// <summary>Interactions answered (PING included).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    public async Task HandleAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            return;
        }

        var signature = http.Request.Headers["X-Signature-Ed25519"].ToString();
        var timestamp = http.Request.Headers["X-Signature-Timestamp"].ToString();
        if (!_verifier.Verify(signature, timestamp, body))
        {
            await RejectAsync(http, "invalid request signature");
            return;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (_time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > _options.MaxTimestampAge)
        {
            await RejectAsync(http, "stale request timestamp");
            return;
        }

        InteractionCreateEvent interaction;
        try
        {
            interaction = HttpInteractionJson.Parse(body);
        }
        catch (JsonException ex)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            _logger.LogWarning("A signed interaction request was not an interaction: {Error}", ex.Message);
            return;
        }

        var responder = new HttpInteractionResponder(_rest, interaction);
        if (interaction.Type == InteractionType.Ping)
        {
            responder.TryPong();
        }
        else
        {
            _ = RunAsync(interaction, responder);
            var delay = Task.Delay(_options.DeferAfter, _time, http.RequestAborted);
            await Task.WhenAny(responder.Response, delay);
            if (!responder.Response.IsCompleted && responder.TryDefer())
            {
                Interlocked.Increment(ref _deferred);
            }
        }

        var answer = await responder.Response;
        Interlocked.Increment(ref _answered);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = answer.Length;
        await http.Response.Body.WriteAsync(answer, http.RequestAborted);
    }

    private async Task RunAsync(InteractionCreateEvent interaction, HttpInteractionResponder responder)
    {
        try
        {
            // not the request's token: the work goes on after the HTTP response (deferred answers, follow-ups). The
            // handlers answer from background work, so returning here says nothing; the DeferAfter timer covers silence.
            await Task.Yield();
            await _router.HandleAsync(interaction, responder, _stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            _logger.LogError(ex, "Interaction {Id} failed", interaction.Id);
        }
    }

    private async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > _options.MaxBodyBytes)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > _options.MaxBodyBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task RejectAsync(HttpContext http, string reason)
    {
        Interlocked.Increment(ref _rejected);
        _logger.LogDebug("Interaction request refused: {Reason}", reason);
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.ContentType = "text/plain";
        await http.Response.WriteAsync(reason, http.RequestAborted);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
