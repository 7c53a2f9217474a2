using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>A payload the client sent over the gateway.</summary>
public sealed record GatewayReceived(int Op, JsonNode? D, string Path, DateTimeOffset At);

/// <summary>
/// The gateway half of the fake Discord: HELLO, heartbeat ACKs, IDENTIFY → READY (+ GUILD_CREATE), dispatch with sequence
/// numbers kept in a per-session log, RESUME → replay of missed events then RESUMED, and scriptable faults.
/// </summary>
public sealed partial class FakeGateway
{
    private readonly FakeDiscordServer _server;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly List<Connection> _connections = [];
    private readonly List<GatewayReceived> _received = [];
    private readonly List<int> _clientCloseCodes = [];
    private readonly List<string> _violations = [];
    private readonly Dictionary<int, DateTimeOffset> _lastIdentifyByBucket = [];
    private readonly object _budgetLock = new();
    private int _sessionStartRemaining;
    private DateTimeOffset _sessionStartResetAt;
    private int _identifySpacingViolations;
    private int _missedHeartbeatCloses;
    private readonly SemaphoreSlim _changed = new(0);
    private Session? _current;
    private int _identifies;
    private int _resumes;
    private int _heartbeats;
    private int _connectionCount;
    private long _version;
    private int _replayed;

    internal FakeGateway(FakeDiscordServer server)
    {
        _server = server;
        _sessionStartRemaining = server.Options.SessionStartRemaining;
        _sessionStartResetAt = server.Options.TimeProvider.GetUtcNow() + server.Options.SessionStartResetAfter;
    }

    /// <summary>Gateway rules the client broke (payload before IDENTIFY, over 120 sends a minute, IDENTIFY with no session
    /// starts left). Any left at dispose fails the test.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Returns and clears the violations, for tests that provoke them on purpose (no longer counted in the report).</summary>
    public IReadOnlyList<string> TakeViolations()
    {
        var v = DrainViolations();
        DiscordSpecReport.Acknowledge(0, v.Count);
        return v;
    }

    internal IReadOnlyList<string> DrainViolations()
    {
        lock (_violations)
        {
            var v = _violations.ToList();
            _violations.Clear();
            return v;
        }
    }

    /// <summary>IDENTIFYs of one max_concurrency bucket less than 5 s apart (several processes on one token cannot see each other).</summary>
    public int IdentifySpacingViolations => Volatile.Read(ref _identifySpacingViolations);

    /// <summary>Connections closed because a heartbeat was overdue.</summary>
    public int MissedHeartbeatCloses => Volatile.Read(ref _missedHeartbeatCloses);

    /// <summary>The User-Agent header of each WebSocket handshake.</summary>
    public ConcurrentQueue<string> ConnectUserAgents { get; } = new();

    /// <summary>session_start_limit as GET /gateway/bot reports it now (the budget renews at its reset time).</summary>
    public (int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency) SessionStartLimit
    {
        get
        {
            lock (_budgetLock)
            {
                var now = _server.Options.TimeProvider.GetUtcNow();
                RenewBudget(now);
                return (_server.Options.SessionStartTotal, _sessionStartRemaining, _sessionStartResetAt - now, _server.Options.MaxConcurrency);
            }
        }
    }

    /// <summary>Sets the remaining session starts and when they renew (for budget tests).</summary>
    public void SetSessionStartLimit(int remaining, TimeSpan resetAfter)
    {
        lock (_budgetLock)
        {
            _sessionStartRemaining = remaining;
            _sessionStartResetAt = _server.Options.TimeProvider.GetUtcNow() + resetAfter;
        }
    }

    private void RenewBudget(DateTimeOffset now)
    {
        if (now >= _sessionStartResetAt)
        {
            _sessionStartRemaining = _server.Options.SessionStartTotal;
            _sessionStartResetAt = now + _server.Options.SessionStartResetAfter;
        }
    }

    private void Violation(string what)
    {
        lock (_violations)
        {
            _violations.Add(what);
        }

        DiscordSpecReport.CountGatewayViolation(what);
    }

    /// <summary>When true, heartbeats are not acknowledged (the client should detect a zombie connection).</summary>
    public bool WithholdAcks { get; set; }

    /// <summary>When true, new connections get no HELLO (the client must time out and reconnect).</summary>
    public bool WithholdHello { get; set; }

    /// <summary>When true, IDENTIFY and RESUME get no READY/RESUMED (the client must time out and reconnect).</summary>
    public bool WithholdReady { get; set; }

    public int IdentifyCount => Volatile.Read(ref _identifies);

    public int ResumeCount => Volatile.Read(ref _resumes);

    public int HeartbeatCount => Volatile.Read(ref _heartbeats);

    /// <summary>Dispatches re-sent after a RESUME (events the client had not acknowledged by sequence number).</summary>
    public int ReplayedCount => Volatile.Read(ref _replayed);

    /// <summary>WebSocket connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public bool IsConnected
    {
        get
        {
            lock (_connections)
            {
                return _connections.Any(c => c.Open);
            }
        }
    }

    /// <summary>The current session's connection is open and has had READY or RESUMED.</summary>
    public bool IsReady => _current?.Connection is { Open: true, Ready: true };

    /// <summary>Current session id (after READY), or null.</summary>
    public string? SessionId => _current?.Id;

    /// <summary>Last sequence number dispatched in the current session.</summary>
    public int Sequence => _current?.Seq ?? 0;

    /// <summary>Close codes the client sent when it closed a connection.</summary>
    public IReadOnlyList<int> ClientCloseCodes
    {
        get
        {
            lock (_clientCloseCodes)
            {
                return [.. _clientCloseCodes];
            }
        }
    }

    /// <summary>Everything the client sent (op, d, path it was connected to).</summary>
    public IReadOnlyList<GatewayReceived> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The paths clients connected to ("/gateway" for IDENTIFY flows, "/resume-gateway" when using resume_gateway_url), with query.</summary>
    public ConcurrentQueue<string> ConnectUrls { get; } = new();

    /// <summary>Dispatches an event to the current session (held in its log and replayed on RESUME if the client is away). Returns its sequence number.</summary>
    public async Task<int> DispatchAsync(string eventName, JsonNode? data)
    {
        var session = _current ?? throw new InvalidOperationException("No session yet: wait for the client to IDENTIFY (WaitForReadyAsync).");
        await session.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var seq = ++session.Seq;
            var frame = Frame(0, data, seq, eventName);
            session.Log.Add((seq, frame));
            TrimLog(session);
            var conn = session.Connection;
            if (conn is { Open: true })
            {
                await conn.SendAsync(frame).ConfigureAwait(false);
            }

            Pulse();
            return seq;
        }
        finally
        {
            session.Lock.Release();
        }
    }

    /// <summary>A user posts a message: MESSAGE_CREATE with author, member (in guilds), guild_id.</summary>
    public Task<int> SendUserMessageAsync(ulong channelId, string content, FakeUser? author = null, ulong? guildId = null)
    {
        var user = author ?? FakeUser.Default;
        var id = _server.Snowflakes.Next();
        var gid = guildId ?? _server.Options.Guilds.FirstOrDefault();
        var msg = new JsonObject
        {
            ["id"] = id.ToString(CultureInfo.InvariantCulture),
            ["channel_id"] = channelId.ToString(CultureInfo.InvariantCulture),
            ["author"] = user.ToJson(),
            ["content"] = content,
            ["timestamp"] = _server.Options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture),
            ["edited_timestamp"] = null,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = new JsonArray(),
            ["pinned"] = false,
            ["type"] = 0,
            ["flags"] = 0,
            ["nonce"] = id.ToString(CultureInfo.InvariantCulture),
        };
        if (gid != 0)
        {
            msg["guild_id"] = gid.ToString(CultureInfo.InvariantCulture);
            msg["member"] = new JsonObject
            {
                ["roles"] = new JsonArray(),
                ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
                ["deaf"] = false,
                ["mute"] = false,
                ["flags"] = 0,
            };
        }

        return DispatchAsync("MESSAGE_CREATE", msg);
    }

    /// <summary>Op 7: asks the client to reconnect and resume.</summary>
    public Task SendReconnectAsync() => SendToCurrentAsync(Frame(7, null, null, null));

    /// <summary>Op 1: asks the client for an immediate heartbeat.</summary>
    public Task RequestHeartbeatAsync() => SendToCurrentAsync(Frame(1, null, null, null));

    /// <summary>Op 9. With <paramref name="resumable"/> false the session is forgotten, so the client must IDENTIFY again.</summary>
    public Task InvalidateSessionAsync(bool resumable)
    {
        if (!resumable && _current is { } s)
        {
            _sessions.TryRemove(s.Id, out _);
        }

        return SendToCurrentAsync(Frame(9, JsonValue.Create(resumable), null, null));
    }

    /// <summary>Closes the current connection with a close code (4000 → resume, 4004/4014 → fatal, 4007/4009 → new session).</summary>
    public async Task CloseAsync(int code, string reason = "")
    {
        if (code is 4003 or 4005 or 4007 or 4009 or 1000 or 1001 && _current is { } s)
        {
            _sessions.TryRemove(s.Id, out _);
        }

        var conn = CurrentConnection() ?? throw new InvalidOperationException("No open gateway connection.");
        await conn.CloseAsync(code, reason).ConfigureAwait(false);
    }

    /// <summary>Drops the TCP connection without a close frame (the client sees a broken socket and should RESUME).</summary>
    public void DropConnection()
    {
        var conn = CurrentConnection() ?? throw new InvalidOperationException("No open gateway connection.");
        conn.Abort();
    }

    /// <summary>Waits (real time) until <paramref name="condition"/> holds; re-checked whenever the gateway state changes.</summary>
    public async Task WaitUntilAsync(Func<FakeGateway, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (!condition(this))
        {
            try
            {
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(50), cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("Fake gateway condition not met in time. " + Describe());
            }
        }
    }

    /// <summary>Waits until a READY (IDENTIFY count reaches <paramref name="identifies"/>) with an open connection.</summary>
    public Task WaitForReadyAsync(int identifies = 1, TimeSpan? timeout = null)
        => WaitUntilAsync(g => g.IdentifyCount >= identifies && g._current?.Connection is { Open: true, Ready: true }, timeout);

    public string Describe() => $"connections={ConnectionCount} identifies={IdentifyCount} resumes={ResumeCount} heartbeats={HeartbeatCount} seq={Sequence} open={IsConnected} closes=[{string.Join(",", ClientCloseCodes)}]";

    internal async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        ConnectUrls.Enqueue(http.Request.Path + http.Request.QueryString);
        ConnectUserAgents.Enqueue(http.Request.Headers.UserAgent.ToString());
        using var ws = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var conn = new Connection(ws, http, http.Request.Path);
        lock (_connections)
        {
            _connections.Add(conn);
        }

        Interlocked.Increment(ref _connectionCount);
        Pulse();
        try
        {
            if (http.Request.Query["v"] != "10" || http.Request.Query["encoding"] != "json")
            {
                await conn.CloseAsync(4012, "Invalid API version").ConfigureAwait(false);
                return;
            }

            if (!WithholdHello)
            {
                await conn.SendAsync(Frame(10, new JsonObject { ["heartbeat_interval"] = _server.Options.HeartbeatIntervalMs }, null, null)).ConfigureAwait(false);
            }

            conn.LastHeartbeatAt = _server.Options.TimeProvider.GetUtcNow();
            if (_server.Options.CloseOnMissedHeartbeats)
            {
                var interval = TimeSpan.FromMilliseconds(_server.Options.HeartbeatIntervalMs);
                conn.Watchdog = _server.Options.TimeProvider.CreateTimer(_ => CheckHeartbeat(conn, interval), null, interval, interval);
            }

            await ReceiveLoopAsync(conn).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException)
        {
        }
        finally
        {
            conn.Watchdog?.Dispose();
            conn.Open = false;
            conn.Finished = true;
            Pulse();
        }
    }

    private void CheckHeartbeat(Connection conn, TimeSpan interval)
    {
        // Discord closes a connection whose heartbeat is overdue; half an interval of grace covers the client's jitter
        if (conn.Open && _server.Options.TimeProvider.GetUtcNow() - conn.LastHeartbeatAt > interval * 1.5)
        {
            Interlocked.Increment(ref _missedHeartbeatCloses);
            _ = conn.CloseAsync(4000, "Heartbeat missed.");
        }
    }

    private async Task ReceiveLoopAsync(Connection conn)
    {
        var buffer = new byte[64 * 1024];
        while (conn.Open)
        {
            using var ms = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await conn.Ws.ReceiveAsync(buffer, conn.Http.RequestAborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!conn.ServerClosed)
                    {
                        var code = (int?)result.CloseStatus ?? 1005;
                        lock (_clientCloseCodes)
                        {
                            _clientCloseCodes.Add(code);
                        }

                        // a client close with 1000/1001 ends the session on Discord's side: it cannot be resumed
                        if (code is 1000 or 1001 && conn.Session is { } ended)
                        {
                            _sessions.TryRemove(ended.Id, out _);
                        }
                    }

                    conn.Open = false;
                    Pulse();
                    try
                    {
                        await conn.Ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
                    {
                    }

                    return;
                }

                ms.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            JsonObject node;
            try
            {
                node = JsonNode.Parse(ms.ToArray())!.AsObject();
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                Violation("gateway payload is not a JSON object");
                await conn.CloseAsync(4002, "Error while decoding payload.").ConfigureAwait(false);
                return;
            }

            var op = node["op"]?.GetValue<int>() ?? -1;
            var d = node["d"]?.DeepClone();
            var now = _server.Options.TimeProvider.GetUtcNow();
            if (_server.Options.RecordHistory || op != 1)
            {
                lock (_received)
                {
                    _received.Add(new GatewayReceived(op, d, conn.Path, now));
                }
            }

            conn.Sent.Enqueue(now);
            while (conn.Sent.TryPeek(out var first) && first + TimeSpan.FromSeconds(60) <= now)
            {
                conn.Sent.TryDequeue(out _);
            }

            if (conn.Sent.Count > _server.Options.GatewaySendsPerMinute)
            {
                Violation($"more than {_server.Options.GatewaySendsPerMinute} gateway sends in 60 s");
                await conn.CloseAsync(4008, "Rate limited.").ConfigureAwait(false);
                return;
            }

            if (conn.Session is null && op is not (1 or 2 or 6))
            {
                Violation($"op {op} sent before IDENTIFY");
                await conn.CloseAsync(4003, "Not authenticated.").ConfigureAwait(false);
                return;
            }

            switch (op)
            {
                case 1:
                    conn.LastHeartbeatAt = now;
                    Interlocked.Increment(ref _heartbeats);
                    if (!WithholdAcks)
                    {
                        await conn.SendAsync(Frame(11, null, null, null)).ConfigureAwait(false);
                    }

                    break;
                case 2:
                    Interlocked.Increment(ref _identifies);
                    if (!WithholdReady)
                    {
                        await IdentifyAsync(conn, d!.AsObject()).ConfigureAwait(false);
                    }

                    break;
                case 6:
                    Interlocked.Increment(ref _resumes);
                    if (!WithholdReady)
                    {
                        await ResumeAsync(conn, d!.AsObject()).ConfigureAwait(false);
                    }

                    break;
            }

            Pulse();
        }
    }

    private async Task IdentifyAsync(Connection conn, JsonObject d)
    {
        if (d["token"]?.GetValue<string>() != _server.Options.Token)
        {
            await conn.CloseAsync(4004, "Authentication failed.").ConfigureAwait(false);
            return;
        }

        var intents = d["intents"]?.GetValue<int>() ?? 0;
        if ((intents & (1 << 15)) != 0 && !_server.Options.AllowMessageContentIntent)
        {
            await conn.CloseAsync(4014, "Disallowed intent(s).").ConfigureAwait(false);
            return;
        }

        Volatile.Write(ref _identifiedIntents, intents);

        if (conn.Session is not null)
        {
            await conn.CloseAsync(4005, "Already authenticated.").ConfigureAwait(false);
            return;
        }

        var shardId = d["shard"] is JsonArray sh && sh.Count == 2 ? sh[0]!.GetValue<int>() : 0;
        lock (_budgetLock)
        {
            var now = _server.Options.TimeProvider.GetUtcNow();
            RenewBudget(now);
            if (_sessionStartRemaining <= 0)
            {
                Violation("IDENTIFY with no session starts left (Discord resets the bot token)");
                _ = conn.CloseAsync(4004, "Authentication failed.");
                return;
            }

            _sessionStartRemaining--;
            var bucket = shardId % Math.Max(1, _server.Options.MaxConcurrency);
            if (_lastIdentifyByBucket.TryGetValue(bucket, out var last) && now - last < TimeSpan.FromSeconds(5))
            {
                Interlocked.Increment(ref _identifySpacingViolations);
            }

            _lastIdentifyByBucket[bucket] = now;
        }

        var session = new Session(Guid.NewGuid().ToString("N"));
        _sessions[session.Id] = session;
        _current = session;
        await session.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            session.Connection = conn;
            conn.Session = session;
            var o = _server.Options;
            var guilds = new JsonArray(o.Guilds.Select(g => (JsonNode)new JsonObject { ["id"] = g.ToString(CultureInfo.InvariantCulture), ["unavailable"] = true }).ToArray());
            var ready = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject
                {
                    ["id"] = o.BotUserId.ToString(CultureInfo.InvariantCulture),
                    ["username"] = o.BotUsername,
                    ["discriminator"] = "0",
                    ["global_name"] = null,
                    ["avatar"] = null,
                    ["bot"] = true,
                    ["verified"] = true,
                    ["flags"] = 0,
                },
                ["guilds"] = guilds,
                ["session_id"] = session.Id,
                ["session_type"] = "normal",
                ["resume_gateway_url"] = _server.ResumeGatewayUrl,
                ["private_channels"] = new JsonArray(),
                ["application"] = new JsonObject { ["id"] = o.ApplicationId.ToString(CultureInfo.InvariantCulture), ["flags"] = 8953856 },
                ["_trace"] = new JsonArray("[\"fake-gateway\"]"),
            };
            if (d["shard"] is JsonArray shard)
            {
                ready["shard"] = shard.DeepClone();
            }

            if (o.HoldReadyUntil is { } hold)
            {
                await hold.ConfigureAwait(false);
            }

            await AppendAndSendAsync(session, "READY", ready).ConfigureAwait(false);
            conn.Ready = true;
            foreach (var g in o.Guilds)
            {
                await AppendAndSendAsync(session, "GUILD_CREATE", FakeInteractions.GuildJson(g, o)).ConfigureAwait(false);
            }
        }
        finally
        {
            session.Lock.Release();
        }
    }

    private async Task ResumeAsync(Connection conn, JsonObject d)
    {
        var sessionId = d["session_id"]?.GetValue<string>();
        var seq = d["seq"]?.GetValue<int?>() ?? 0;
        if (d["token"]?.GetValue<string>() != _server.Options.Token || sessionId is null || !_sessions.TryGetValue(sessionId, out var session))
        {
            await conn.SendAsync(Frame(9, JsonValue.Create(false), null, null)).ConfigureAwait(false);
            return;
        }

        await session.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (session.Connection is { Open: true } old && !ReferenceEquals(old, conn))
            {
                old.Abort();
            }

            session.Connection = conn;
            conn.Session = session;
            _current = session;
            foreach (var (s, frame) in session.Log)
            {
                if (s > seq)
                {
                    Interlocked.Increment(ref _replayed);
                    await conn.SendAsync(frame).ConfigureAwait(false);
                }
            }

            await AppendAndSendAsync(session, "RESUMED", new JsonObject { ["_trace"] = new JsonArray("[\"fake-gateway-resume\"]") }).ConfigureAwait(false);
            conn.Ready = true;
        }
        finally
        {
            session.Lock.Release();
        }
    }

    private async Task AppendAndSendAsync(Session session, string name, JsonNode data)
    {
        var seq = ++session.Seq;
        var frame = Frame(0, data, seq, name);
        session.Log.Add((seq, frame));
        TrimLog(session);
        if (session.Connection is { Open: true } conn)
        {
            await conn.SendAsync(frame).ConfigureAwait(false);
        }
    }

    private void TrimLog(Session session)
    {
        if (!_server.Options.RecordHistory && session.Log.Count > 2000)
        {
            session.Log.RemoveRange(0, session.Log.Count - 2000);
        }
    }

    private Connection? CurrentConnection()
    {
        if (_current?.Connection is { Open: true } c)
        {
            return c;
        }

        lock (_connections)
        {
            return _connections.LastOrDefault(x => x.Open);
        }
    }

    private async Task SendToCurrentAsync(byte[] frame)
    {
        var conn = CurrentConnection() ?? throw new InvalidOperationException("No open gateway connection.");
        await conn.SendAsync(frame).ConfigureAwait(false);
    }

    private void Pulse()
    {
        Interlocked.Increment(ref _version);
        if (_changed.CurrentCount < 1000)
        {
            _changed.Release();
        }
    }

    internal static byte[] Frame(int op, JsonNode? d, int? s, string? t)
    {
        var o = new JsonObject { ["op"] = op, ["d"] = d?.DeepClone(), ["s"] = s, ["t"] = t };
        return Encoding.UTF8.GetBytes(o.ToJsonString());
    }

    internal void CloseAll()
    {
        lock (_connections)
        {
            foreach (var c in _connections)
            {
                c.Abort();
            }
        }
    }

    private sealed class Session(string id)
    {
        public string Id { get; } = id;
        public int Seq { get; set; }
        public List<(int Seq, byte[] Frame)> Log { get; } = [];
        public Connection? Connection { get; set; }
        public SemaphoreSlim Lock { get; } = new(1, 1);
    }

    private sealed class Connection(WebSocket ws, HttpContext http, string path)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Ws { get; } = ws;
        public HttpContext Http { get; } = http;
        public string Path { get; } = path;
        public volatile bool Open = true;
        public volatile bool Ready;
        public volatile bool ServerClosed;
        public DateTimeOffset LastHeartbeatAt;
        public ITimer? Watchdog;
        public ConcurrentQueue<DateTimeOffset> Sent { get; } = new();
        public Session? Session { get; set; }

        public async Task SendAsync(byte[] frame)
        {
            await _send.WaitAsync().ConfigureAwait(false);
            try
            {
                if (Open && Ws.State == WebSocketState.Open)
                {
                    await Ws.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or ConnectionAbortedException)
            {
                Open = false;
            }
            finally
            {
                _send.Release();
            }
        }

        public async Task CloseAsync(int code, string reason)
        {
            await _send.WaitAsync().ConfigureAwait(false);
            try
            {
                Open = false;
                ServerClosed = true;
                if (Ws.State == WebSocketState.Open)
                {
                    await Ws.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or ConnectionAbortedException)
            {
            }
            finally
            {
                _send.Release();
            }
        }

        public volatile bool Finished;

        public void Abort()
        {
            Open = false;
            if (Finished)
            {
                return;
            }

            try
            {
                Http.Abort();
            }
            catch (ObjectDisposedException)
            {
                // the request already completed
            }
        }
    }
}
