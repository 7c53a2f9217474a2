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
}
