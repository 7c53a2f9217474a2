using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Discord.Telemetry;

namespace PaperBot.Discord.Gateway;

/// <summary>
/// Discord Gateway v10 client (JSON, no compression): HELLO → heartbeats (jittered first beat, zombie detection), IDENTIFY
/// or RESUME, dispatch with sequence tracking, op 1/7/9/11 and the close-code policy. <see cref="RunAsync"/> keeps the bot
/// connected until cancelled, or throws <see cref="GatewayFatalException"/> when reconnecting cannot help.
/// </summary>
public sealed class GatewayClient
{
    private const string Query = "?v=10&encoding=json";

    private readonly IDiscordRestClient _rest;
    private readonly IGatewaySocketFactory _sockets;
    private readonly IReconnectStrategy _reconnect;
    private readonly GatewayDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayClient> _logger;
    private readonly DiscordOptions _options;
    private readonly GatewaySendLimiter _sendLimiter;
    private readonly IIdentifyLimiter _identify;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Random _random = new();
    private IGatewaySocket? _socket;
    private string? _gatewayUrl;
    private int _running;
    private int _identifies;
    private int _resumes;
    private readonly DiscordMetrics? _metrics;

    public GatewayClient(
        IDiscordRestClient rest,
        IGatewaySocketFactory sockets,
        IReconnectStrategy reconnect,
        GatewayDispatcher dispatcher,
        IIdentifyLimiter identify,
        TimeProvider time,
        IOptions<DiscordOptions> options,
        ILogger<GatewayClient> logger,
        DiscordMetrics? metrics = null)
    {
        _metrics = metrics;
        metrics?.ObserveGateway(() => State);
        _identify = identify;
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

    /// <summary>IDENTIFY payloads sent (new sessions) since start.</summary>
    public int IdentifyCount => Volatile.Read(ref _identifies);

    /// <summary>RESUME payloads sent since start.</summary>
    public int ResumeCount => Volatile.Read(ref _resumes);

    /// <summary>The session_start_limit read before the latest new session (GET /gateway/bot).</summary>
    public SessionStartLimit? LastSessionStartLimit { get; private set; }

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
                catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or JsonException or DiscordRestException or OperationCanceledException or ObjectDisposedException)
                {
                    _logger.LogWarning("Gateway connection lost ({Error}); will {Mode}", ex.GetType().Name + ": " + ex.Message, SessionId is not null ? "resume" : "identify");
                    outcome = new Outcome(Resume: true, Established: false, Delay: null);
                }

                SetState(GatewayState.Disconnected);
                if (!outcome.Resume)
                {
                    ClearSession();
                }

                if (ct.IsCancellationRequested)
                {
                    break;
                }

                attempt = outcome.Established ? 1 : attempt + 1;
                var delay = outcome.Delay ?? _reconnect.GetDelay(attempt);
                _logger.LogInformation("Gateway reconnecting in {Delay} ms to {Mode} (attempt {Attempt})", (int)delay.TotalMilliseconds, SessionId is not null ? "resume the session" : "start a new session", attempt);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            // we closed with 1000 (or never connected): Discord ends the session, so a later RunAsync must not try to resume it
            ClearSession();
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
        if (!resuming)
        {
            // A new session spends one IDENTIFY: read session_start_limit afresh (GET /gateway/bot) and wait for the budget and
            // the max_concurrency slot before connecting, so the connection is not left idle while we wait.
            await _identify.AcquireAsync(_options.ShardId ?? 0, ReadSessionStartLimitAsync, ct).ConfigureAwait(false);
        }

        var baseUrl = resuming ? ResumeGatewayUrl! : _gatewayUrl!;
        var uri = new Uri(baseUrl.TrimEnd('/') + Query);

        await using var socket = _sockets.Create();

        // Not linked to ct: on shutdown the close frame (1000) must go out before the pending receive is cancelled,
        // because cancelling a ClientWebSocket receive aborts the socket.
        using var connCts = new CancellationTokenSource();
        var conn = new Connection(socket, connCts);
        ConnectionCount++;
        if (ConnectionCount > 1)
        {
            _metrics?.Reconnected();
        }

        await socket.ConnectAsync(uri, ct).ConfigureAwait(false);
        _socket = socket;
        await using var shutdown = ct.Register(() => _ = CloseForShutdownAsync(conn));
        Task? heartbeat = null;
        ITimer? readyDeadline = null;
        try
        {
            GatewayFrame hello;
            using (var helloCts = new CancellationTokenSource(_options.HelloTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, helloCts.Token, connCts.Token))
            {
                try
                {
                    hello = await socket.ReceiveAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (helloCts.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    _logger.LogWarning("No HELLO within {Timeout} s of connecting; closing and reconnecting", _options.HelloTimeout.TotalSeconds);
                    return new Outcome(Resume: true, Established: false, Delay: null);
                }
            }

            if (hello.IsClose)
            {
                conn.Closed = true;
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

            // READY (after IDENTIFY) or RESUMED (after RESUME) must come within ReadyTimeout, or the connection is abandoned.
            readyDeadline = _time.CreateTimer(
                static state =>
                {
                    var (self, c) = ((GatewayClient, Connection))state!;
                    self.OnReadyDeadline(c);
                },
                (this, conn),
                _options.ReadyTimeout,
                Timeout.InfiniteTimeSpan);
            if (resuming)
            {
                SetState(GatewayState.Resuming);
                Interlocked.Increment(ref _resumes);
                await SendAsync(socket, GatewayOpcode.Resume, new ResumeData { Token = _options.Token, SessionId = SessionId!, Seq = Sequence }, DiscordJsonContext.Default.ResumeData, false, ct).ConfigureAwait(false);
            }
            else
            {
                SetState(GatewayState.Identifying);
                Interlocked.Increment(ref _identifies);
                await SendAsync(socket, GatewayOpcode.Identify, BuildIdentify(), DiscordJsonContext.Default.IdentifyData, false, ct).ConfigureAwait(false);
            }

            return await ReceiveLoopAsync(conn).ConfigureAwait(false);
        }
        // ObjectDisposedException: the deadline aborted (and so disposed) the socket while a RESUME or IDENTIFY was being sent
        catch (Exception ex) when (conn.ReadyTimedOut && !ct.IsCancellationRequested && ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            _logger.LogWarning("No {Event} within {Timeout} s of {Sent}; reconnecting", resuming ? "RESUMED" : "READY", _options.ReadyTimeout.TotalSeconds, resuming ? "RESUME" : "IDENTIFY");
            return new Outcome(Resume: true, Established: false, Delay: null);
        }
        catch (OperationCanceledException) when (conn.Zombie && !ct.IsCancellationRequested)
        {
            _logger.LogWarning("Gateway zombied (no heartbeat ACK); reconnecting to resume");
            return new Outcome(Resume: true, Established: conn.Established, Delay: null);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException && !ct.IsCancellationRequested)
        {
            if (conn.Zombie)
            {
                return new Outcome(Resume: true, Established: conn.Established, Delay: null);
            }

            _logger.LogWarning("Gateway connection dropped ({Error}); will {Mode}", ex.Message, SessionId is not null ? "resume" : "identify");
            return new Outcome(Resume: true, Established: conn.Established, Delay: null);
        }
        finally
        {
            if (readyDeadline is not null)
            {
                await readyDeadline.DisposeAsync().ConfigureAwait(false);
            }

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

    private void OnReadyDeadline(Connection conn)
    {
        if (!conn.Established && !conn.Closed)
        {
            conn.ReadyTimedOut = true;
            _ = AbandonAsync(conn);
        }
    }

    private static async Task AbandonAsync(Connection conn)
    {
        conn.Closed = true;
        await conn.Socket.CloseAsync(4000, "no READY in time", CancellationToken.None).ConfigureAwait(false);
        await conn.Cts.CancelAsync().ConfigureAwait(false);
    }

    private async Task<SessionStartLimit?> ReadSessionStartLimitAsync(CancellationToken ct)
    {
        var info = await _rest.GetGatewayBotAsync(ct).ConfigureAwait(false);
        _gatewayUrl = info.Url;
        LastSessionStartLimit = info.SessionStartLimit;
        return info.SessionStartLimit;
    }

    /// <summary>Shutting down: a 1000 close ends the session on Discord's side (the bot goes offline at once).</summary>
    private async Task CloseForShutdownAsync(Connection conn)
    {
        if (conn.Closed)
        {
            return;
        }

        conn.Closed = true;
        conn.ShuttingDown = true;
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
                if (conn.ShuttingDown)
                {
                    // the server's answer to our own 1000: the session is over, nothing to resume
                    return new Outcome(Resume: false, Established: conn.Established, Delay: null);
                }

                if (conn.ReadyTimedOut)
                {
                    // the server's answer to our own close after the READY deadline
                    throw new OperationCanceledException("READY deadline passed");
                }

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
                        _metrics?.HeartbeatAcked(Latency.Value);
                    }

                    conn.Acked = true;
                    break;
                case GatewayOpcode.Reconnect:
                    _logger.LogInformation("Gateway asked us to reconnect (op 7); reconnecting to {Mode}", SessionId is not null ? "resume" : "identify");
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

        _metrics?.Event(payload.T ?? "");
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
                _metrics?.Resumed();
                SetState(GatewayState.Ready);
                break;
        }

        _dispatcher.Enqueue(payload.T ?? "", payload.S, payload.D);
    }

    /// <summary>Close codes after which Discord has ended the session: the next connection IDENTIFYs.</summary>
    private static bool EndsSession(int code) => code is 4003 or 4005 or 4007 or 4009 or 1000 or 1001;

    private Outcome HandleClose(int code, string? reason)
    {
        if (GatewayFatalException.Describe(code) is { } message)
        {
            _logger.LogCritical("{Message}", message);
            throw new GatewayFatalException(code, message);
        }

        if (EndsSession(code))
        {
            _logger.LogWarning("Gateway closed with {Code} ({Reason}); the session is over, starting a new one", code, reason);
            return new Outcome(Resume: false, Established: false, Delay: null);
        }

        _logger.LogWarning("Gateway closed with {Code} ({Reason}); {Action}", code, reason, SessionId is not null ? "resuming the session" : "identifying again (no session to resume)");
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
        public volatile bool ReadyTimedOut;
        public volatile bool ShuttingDown;
    }
}
