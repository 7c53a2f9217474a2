namespace PaperBot.Testing.FakeDiscord;

/// <summary>Settings of a <see cref="FakeDiscordServer"/>.</summary>
public sealed class FakeDiscordOptions
{
    /// <summary>The bot token the fake accepts (REST Authorization and gateway IDENTIFY/RESUME).</summary>
    public string Token { get; set; } = "fake-bot-token.MTIzNDU2Nzg5MDEyMzQ1Njc4.secret";

    public ulong ApplicationId { get; set; } = 900000000000000001;

    public ulong BotUserId { get; set; } = 900000000000000002;

    public string BotUsername { get; set; } = "PaperBot";

    /// <summary>Guilds announced in READY (unavailable) and then sent as GUILD_CREATE.</summary>
    public List<ulong> Guilds { get; set; } = [800000000000000001];

    public int HeartbeatIntervalMs { get; set; } = 41250;

    /// <summary>When false, IDENTIFY with the MESSAGE_CONTENT intent is closed with 4014 (privileged intent not enabled).</summary>
    public bool AllowMessageContentIntent { get; set; } = true;

    /// <summary>Clock used for rate-limit windows (share a FakeTimeProvider with the client in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Enforce the 50 requests/second global limit (429 global + a counted violation when exceeded).</summary>
    public int GlobalLimitPerSecond { get; set; } = 50;

    /// <summary>Seed for random fault injection.</summary>
    public int Seed { get; set; } = 12345;

    /// <summary>An interaction callback later than this (on <see cref="TimeProvider"/>) gets 10062 Unknown interaction, as on
    /// Discord (3 s). Tests on the real clock widen it, because a shared machine under load must not make them flaky; the
    /// 3 s rule itself is tested on a FakeTimeProvider.</summary>
    public TimeSpan InteractionCallbackWindow { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Webhook calls with an interaction token older than this get 401 50027 Invalid Webhook Token (Discord: 15 min).</summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>session_start_limit.total (IDENTIFYs per reset period).</summary>
    public int SessionStartTotal { get; set; } = 1000;

    /// <summary>session_start_limit.remaining at start; counts down with each IDENTIFY.</summary>
    public int SessionStartRemaining { get; set; } = 1000;

    /// <summary>Time until the session-start budget is renewed (reset_after at start).</summary>
    public TimeSpan SessionStartResetAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>session_start_limit.max_concurrency.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>A connection whose heartbeat is overdue by half an interval is closed (4000, resumable), as Discord does.</summary>
    public bool CloseOnMissedHeartbeats { get; set; } = true;

    /// <summary>Keep every request, received payload, message and interaction for assertions (default). Soak benchmarks turn
    /// it off so the fake's own memory stays flat: then only counters are kept, interactions are forgotten after their token
    /// lifetime and a session's replay log keeps its last 2,000 events.</summary>
    public bool RecordHistory { get; set; } = true;

    /// <summary>How long a create-message nonce is remembered for <c>enforce_nonce</c> (Discord: "the past few minutes").</summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Client sends allowed per 60 s before the fake closes with 4008 (Discord: 120).</summary>
    public int GatewaySendsPerMinute { get; set; } = 120;

    /// <summary>When set, READY is sent only after this task completes (tests that look at a bot before READY).</summary>
    public Task? HoldReadyUntil { get; set; }
}
