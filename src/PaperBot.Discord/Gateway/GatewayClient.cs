using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Discord.Gateway;

/// <summary>
/// Discord Gateway v10 client (JSON, no compression): HELLO → heartbeats (jittered first beat, zombie detection), IDENTIFY
/// or RESUME, dispatch with sequence tracking, op 1/7/9/11 and the close-code policy. <see cref="RunAsync"/> keeps the bot
/// connected until cancelled, or throws <see cref="GatewayFatalException"/> when reconnecting cannot help.
/// </summary>
public sealed class GatewayClient
{
    private const string Query = "?v=10&encoding=json";
    private static readonly TimeSpan IdentifySpacing = TimeSpan.FromSeconds(5);

    private readonly IDiscordRestClient _rest;
    private readonly IGatewaySocketFactory _sockets;
    private readonly IReconnectStrategy _reconnect;
    private readonly GatewayDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayClient> _logger;
    private readonly DiscordOptions _options;
    private readonly GatewaySendLimiter _sendLimiter;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Random _random = new();
    private IGatewaySocket? _socket;
    private string? _gatewayUrl;
    private DateTimeOffset? _lastIdentify;
    private int _running;

    public GatewayClient(
        IDiscordRestClient rest,
        IGatewaySocketFactory sockets,
        IReconnectStrategy reconnect,
        GatewayDispatcher dispatcher,
        TimeProvider time,
        IOptions<DiscordOptions> options,
        ILogger<GatewayClient> logger)
    {
        _rest = rest;
        _sockets = sockets;
        _reconnect = reconnect;
        _dispatcher = dispatcher;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _sendLimiter = new GatewaySendLimiter(time, _options.GatewaySendsPerMinute);
    }

    public GatewayState State { get; private set; } = GatewayState.Disconnected;

    public string? SessionId { get; private set; }

    public string? ResumeGatewayUrl { get; private set; }

    /// <summary>Last sequence number received (sent back in heartbeats and RESUME).</summary>
    public int? Sequence { get; private set; }

    /// <summary>The bot user from READY.</summary>
    public User? CurrentUser { get; private set; }

    /// <summary>Time between the last heartbeat and its ACK.</summary>
    public TimeSpan? Latency { get; private set; }

    public TimeSpan? HeartbeatInterval { get; private set; }

    /// <summary>Connections opened (first connect + reconnects).</summary>
    public int ConnectionCount { get; private set; }

    public GatewaySendLimiter SendLimiter => _sendLimiter;

    /// <summary>Completes each time READY or RESUMED arrives (for hosts and tests that need to wait for the connection).</summary>
    public event Action<GatewayState>? StateChanged;

    /// <summary>Connects and stays connected until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("GatewayClient.RunAsync is already running.");
        }

        using var dispatchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var dispatch = _dispatcher.RunAsync(dispatchCts.Token);
        try
        {
            var attempt = 0;
            while (!ct.IsCancellationRequested)
            {
                Outcome outcome;
                try
                {
                    outcome = await RunConnectionAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ct.IsCancellationRequested && ex is not GatewayFatalException)
                {
                    break;
                }
                catch (GatewayFatalException)
                {
                    throw;
                }
                catch (DiscordRestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                {
                    throw new GatewayFatalException(4004, "GET /gateway/bot answered 401 Unauthorized: the bot token is wrong. Reset it in the Developer Portal and set PAPERBOT_Discord__Token.");
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or JsonException or DiscordRestException or OperationCanceledException)
                {
                    _logger.LogWarning("Gateway connection lost ({Error}); will resume", ex.GetType().Name + ": " + ex.Message);
                    outcome = new Outcome(Resume: true, Established: false, Delay: null);
                }

                SetState(GatewayState.Disconnected);
                if (!outcome.Resume)
                {
                    ClearSession();
                }

                attempt = outcome.Established ? 1 : attempt + 1;
                var delay = outcome.Delay ?? _reconnect.GetDelay(attempt);
                _logger.LogInformation("Gateway reconnecting in {Delay} ms ({Mode}, attempt {Attempt})", (int)delay.TotalMilliseconds, outcome.Resume && SessionId is not null ? "resume" : "identify", attempt);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            SetState(GatewayState.Stopped);
            dispatchCts.Cancel();
            await dispatch.ConfigureAwait(false);
            Interlocked.Exchange(ref _running, 0);
        }
    }

    /// <summary>Op 3 presence update (goes through the outgoing rate limiter).</summary>
    public Task UpdatePresenceAsync(string status, string? activityName = null, CancellationToken ct = default)
    {
        var data = new PresenceUpdateData { Status = status };
        if (activityName is not null)
        {
            data.Activities.Add(new PresenceActivity { Name = "Custom Status", Type = 4, State = activityName });
        }

        var socket = _socket ?? throw new InvalidOperationException("The gateway is not connected.");
        return SendAsync(socket, GatewayOpcode.PresenceUpdate, data, DiscordJsonContext.Default.PresenceUpdateData, heartbeat: false, ct);
    }

    private async Task<Outcome> RunConnectionAsync(CancellationToken ct)
    {
        SetState(GatewayState.Connecting);
        var resuming = SessionId is not null && ResumeGatewayUrl is not null;
        var baseUrl = resuming ? ResumeGatewayUrl! : _gatewayUrl ??= (await _rest.GetGatewayBotAsync(ct).ConfigureAwait(false)).Url;
        var uri = new Uri(baseUrl.TrimEnd('/') + Query);

        await using var socket = _sockets.Create();

        // Not linked to ct: on shutdown the close frame (1000) must go out before the pending receive is cancelled,
        // because cancelling a ClientWebSocket receive aborts the socket.
        using var connCts = new CancellationTokenSource();
        var conn = new Connection(socket, connCts);
        ConnectionCount++;
        await socket.ConnectAsync(uri, ct).ConfigureAwait(false);
        _socket = socket;
        await using var shutdown = ct.Register(() => _ = CloseForShutdownAsync(conn));
        Task? heartbeat = null;
        try
        {
            var hello = await socket.ReceiveAsync(ct).ConfigureAwait(false);
            if (hello.IsClose)
            {
                return HandleClose(hello.CloseCode ?? 1005, hello.CloseReason);
            }

            var helloPayload = JsonSerializer.Deserialize(hello.Data.Span, DiscordJsonContext.Default.GatewayPayload)!;
            if (helloPayload.Op != GatewayOpcode.Hello)
            {
                throw new JsonException($"Expected HELLO (op 10) first, got op {helloPayload.Op}.");
            }

            var interval = TimeSpan.FromMilliseconds(helloPayload.D.Deserialize(DiscordJsonContext.Default.HelloData)!.HeartbeatInterval);
            HeartbeatInterval = interval;
            heartbeat = HeartbeatLoopAsync(conn, interval);

            if (resuming)
            {
                SetState(GatewayState.Resuming);
                await SendAsync(socket, GatewayOpcode.Resume, new ResumeData { Token = _options.Token, SessionId = SessionId!, Seq = Sequence }, DiscordJsonContext.Default.ResumeData, false, ct).ConfigureAwait(false);
            }
            else
            {
                SetState(GatewayState.Identifying);
                await WaitForIdentifySlotAsync(ct).ConfigureAwait(false);
                await SendAsync(socket, GatewayOpcode.Identify, BuildIdentify(), DiscordJsonContext.Default.IdentifyData, false, ct).ConfigureAwait(false);
            }

            return await ReceiveLoopAsync(conn).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (conn.Zombie && !ct.IsCancellationRequested)
        {
            _logger.LogWarning("Gateway zombied (no heartbeat ACK); reconnecting to resume");
            return new Outcome(Resume: true, Established: conn.Established, Delay: null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException && !ct.IsCancellationRequested)
        {
            if (conn.Zombie)
            {
                return new Outcome(Resume: true, Established: conn.Established, Delay: null);
            }

            _logger.LogWarning("Gateway connection dropped ({Error}); will resume", ex.Message);
            return new Outcome(Resume: true, Established: conn.Established, Delay: null);
        }
        finally
        {
            _socket = null;
            if (ct.IsCancellationRequested)
            {
                await CloseForShutdownAsync(conn).ConfigureAwait(false);
            }
            else if (!conn.Closed)
            {
                await socket.CloseAsync(4000, "reconnecting", CancellationToken.None).ConfigureAwait(false);
            }

            await connCts.CancelAsync().ConfigureAwait(false);
            if (heartbeat is not null)
            {
                try
                {
                    await heartbeat.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _logger.LogDebug("Heartbeat loop ended: {Error}", ex.GetType().Name);
                }
            }
        }
    }

    /// <summary>Shutting down: a 1000 close ends the session on Discord's side (the bot goes offline at once).</summary>
    private async Task CloseForShutdownAsync(Connection conn)
    {
        if (conn.Closed)
        {
            return;
        }

        conn.Closed = true;
        var locked = await _sendLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        try
        {
            await conn.Socket.CloseAsync(1000, "shutdown", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (locked)
            {
                _sendLock.Release();
            }

            await conn.Cts.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<Outcome> ReceiveLoopAsync(Connection conn)
    {
        var socket = conn.Socket;
        var ct = conn.Cts.Token;
        while (true)
        {
            var frame = await socket.ReceiveAsync(ct).ConfigureAwait(false);
            if (frame.IsClose)
            {
                conn.Closed = true;
                var outcome = HandleClose(frame.CloseCode ?? 1005, frame.CloseReason);
                return outcome with { Established = conn.Established };
            }

            var payload = JsonSerializer.Deserialize(frame.Data.Span, DiscordJsonContext.Default.GatewayPayload)
                ?? throw new JsonException("Empty gateway payload.");
            switch (payload.Op)
            {
                case GatewayOpcode.Dispatch:
                    HandleDispatch(conn, payload);
                    break;
                case GatewayOpcode.Heartbeat:
                    await SendHeartbeatAsync(conn).ConfigureAwait(false);
                    break;
                case GatewayOpcode.HeartbeatAck:
                    if (conn.LastBeatSent is { } sent)
                    {
                        Latency = _time.GetUtcNow() - sent;
                    }

                    conn.Acked = true;
                    break;
                case GatewayOpcode.Reconnect:
                    _logger.LogInformation("Gateway asked us to reconnect (op 7); resuming");
                    await socket.CloseAsync(4000, "reconnect requested", CancellationToken.None).ConfigureAwait(false);
                    conn.Closed = true;
                    return new Outcome(Resume: true, Established: conn.Established, Delay: null);
                case GatewayOpcode.InvalidSession:
                    var resumable = payload.D.ValueKind == JsonValueKind.True;
                    conn.Closed = true;
                    if (resumable && SessionId is not null)
                    {
                        _logger.LogInformation("Gateway invalid session (op 9, resumable); resuming");
                        await socket.CloseAsync(4000, "invalid session, resuming", CancellationToken.None).ConfigureAwait(false);
                        return new Outcome(Resume: true, Established: conn.Established, Delay: null);
                    }

                    double factor;
                    lock (_random)
                    {
                        factor = _random.NextDouble();
                    }

                    var wait = TimeSpan.FromMilliseconds(1000 + (factor * 4000));
                    _logger.LogInformation("Gateway invalid session (op 9, not resumable); identifying again in {Wait} ms", (int)wait.TotalMilliseconds);
                    await socket.CloseAsync(1000, "invalid session", CancellationToken.None).ConfigureAwait(false);
                    return new Outcome(Resume: false, Established: conn.Established, Delay: wait);
                case GatewayOpcode.Hello:
                    break;
                default:
                    _logger.LogDebug("Ignoring gateway op {Op}", payload.Op);
                    break;
            }
        }
    }

    private void HandleDispatch(Connection conn, GatewayPayload payload)
    {
        if (payload.S is { } s)
        {
            if (Sequence is { } last && s <= last)
            {
                _logger.LogDebug("Dropping duplicate dispatch {Event} seq {Seq} (last {Last})", payload.T, s, last);
                return;
            }

            Sequence = s;
        }

        switch (payload.T)
        {
            case "READY":
                var ready = payload.D.Deserialize(DiscordJsonContext.Default.ReadyEvent)!;
                SessionId = ready.SessionId;
                ResumeGatewayUrl = string.IsNullOrEmpty(ready.ResumeGatewayUrl) ? null : ready.ResumeGatewayUrl;
                CurrentUser = ready.User;
                conn.Established = true;
                _logger.LogInformation("Gateway READY as {User} ({Guilds} guilds)", ready.User.Username, ready.Guilds.Count);
                SetState(GatewayState.Ready);
                break;
            case "RESUMED":
                conn.Established = true;
                _logger.LogInformation("Gateway RESUMED at seq {Seq}", Sequence);
                SetState(GatewayState.Ready);
                break;
        }

        _dispatcher.Enqueue(payload.T ?? "", payload.S, payload.D);
    }

    private Outcome HandleClose(int code, string? reason)
    {
        if (GatewayFatalException.Describe(code) is { } message)
        {
            _logger.LogCritical("{Message}", message);
            throw new GatewayFatalException(code, message);
        }

        if (code is 4007 or 4009)
        {
            _logger.LogWarning("Gateway closed with {Code} ({Reason}); starting a new session", code, reason);
            return new Outcome(Resume: false, Established: false, Delay: null);
        }

        _logger.LogWarning("Gateway closed with {Code} ({Reason}); resuming", code, reason);
        return new Outcome(Resume: true, Established: false, Delay: null);
    }

    private async Task HeartbeatLoopAsync(Connection conn, TimeSpan interval)
    {
        var ct = conn.Cts.Token;
        double jitter;
        lock (_random)
        {
            jitter = _random.NextDouble();
        }

        await Task.Delay(interval * jitter, _time, ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            if (conn.LastBeatSent is not null && !conn.Acked)
            {
                conn.Zombie = true;
                _logger.LogWarning("No heartbeat ACK within {Interval} ms: connection is a zombie; closing to resume", (int)interval.TotalMilliseconds);
                await conn.Socket.CloseAsync(4000, "zombie connection", CancellationToken.None).ConfigureAwait(false);
                conn.Closed = true;
                await conn.Cts.CancelAsync().ConfigureAwait(false);
                return;
            }

            await SendHeartbeatAsync(conn).ConfigureAwait(false);
            await Task.Delay(interval, _time, ct).ConfigureAwait(false);
        }
    }

    private Task SendHeartbeatAsync(Connection conn)
    {
        conn.Acked = false;
        conn.LastBeatSent = _time.GetUtcNow();
        return SendAsync(conn.Socket, GatewayOpcode.Heartbeat, Sequence, NullableIntInfo, heartbeat: true, conn.Cts.Token);
    }

    private static readonly JsonTypeInfo<int?> NullableIntInfo = (JsonTypeInfo<int?>)DiscordJsonContext.Default.GetTypeInfo(typeof(int?))!;

    private async Task SendAsync<T>(IGatewaySocket socket, int op, T data, JsonTypeInfo<T> info, bool heartbeat, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("op", op);
            writer.WritePropertyName("d");
            JsonSerializer.Serialize(writer, data, info);
            writer.WriteEndObject();
        }

        await _sendLimiter.WaitAsync(heartbeat, ct).ConfigureAwait(false);
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WaitForIdentifySlotAsync(CancellationToken ct)
    {
        if (_lastIdentify is { } last)
        {
            var wait = last + IdentifySpacing - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
        }

        _lastIdentify = _time.GetUtcNow();
    }

    private IdentifyData BuildIdentify() => new()
    {
        Token = _options.Token,
        Intents = (int)_options.Intents,
        Shard = _options.ShardId is { } id && _options.ShardCount is { } count ? [id, count] : null,
        LargeThreshold = 50,
        Properties = new IdentifyProperties { Os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux" },
    };

    private void ClearSession()
    {
        SessionId = null;
        ResumeGatewayUrl = null;
        Sequence = null;
    }

    private void SetState(GatewayState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }

    private sealed record Outcome(bool Resume, bool Established, TimeSpan? Delay);

    private sealed class Connection(IGatewaySocket socket, CancellationTokenSource cts)
    {
        public IGatewaySocket Socket { get; } = socket;
        public CancellationTokenSource Cts { get; } = cts;
        public volatile bool Acked = true;
        public DateTimeOffset? LastBeatSent;
        public volatile bool Zombie;
        public volatile bool Closed;
        public volatile bool Established;
    }
}
