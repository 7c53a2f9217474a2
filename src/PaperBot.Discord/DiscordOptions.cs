using System.ComponentModel.DataAnnotations;
using PaperBot.Discord.Models;

namespace PaperBot.Discord;

/// <summary>Configuration section "Discord". The token is a secret: set it with the env var PAPERBOT_Discord__Token or user-secrets.</summary>
public sealed class DiscordOptions : IValidatableObject
{
    public const string SectionName = "Discord";

    /// <summary>Bot token (Developer Portal → Bot → Reset Token). Never logged.</summary>
    [Required(ErrorMessage = "Discord:Token is missing: set the environment variable PAPERBOT_Discord__Token (or user-secrets 'Discord:Token') to your bot token.")]
    public string Token { get; set; } = "";

    /// <summary>Application id; when unset it is read from GET /applications/@me.</summary>
    public ulong? ApplicationId { get; set; }

    /// <summary>REST base URL including the version; tests point it at the loopback fake.</summary>
    [Required(ErrorMessage = "Discord:ApiBaseUrl must be set (default https://discord.com/api/v10).")]
    [Url(ErrorMessage = "Discord:ApiBaseUrl must be an absolute http(s) URL such as https://discord.com/api/v10.")]
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Gateway intents; default GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT.</summary>
    public GatewayIntents Intents { get; set; } = GatewayIntents.Default;

    /// <summary>Optional shard id (with <see cref="ShardCount"/>): IDENTIFY sends shard [id, count].</summary>
    [Range(0, 65535, ErrorMessage = "Discord:ShardId must be between 0 and 65535.")]
    public int? ShardId { get; set; }

    [Range(1, 65536, ErrorMessage = "Discord:ShardCount must be between 1 and 65536.")]
    public int? ShardCount { get; set; }

    /// <summary>The application's public key (Developer Portal → General Information → Public Key), 64 hex digits: the
    /// HTTP Interactions Endpoint (`paperbot serve-interactions`) verifies every request's Ed25519 signature with it.</summary>
    public string? PublicKey { get; set; }

    /// <summary>The URL in <c>User-Agent: DiscordBot (url, version)</c>.</summary>
    [Required(ErrorMessage = "Discord:UserAgentUrl must be set (a URL identifying the bot, for the User-Agent header).")]
    public string UserAgentUrl { get; set; } = "https://github.com/paperbot/paperbot";

    public string UserAgentVersion { get; set; } = "1.0";

    /// <summary>First reconnect delay (grows exponentially with jitter up to <see cref="ReconnectMaxDelay"/>).</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many 429 responses one request may see before it fails.</summary>
    [Range(0, 100, ErrorMessage = "Discord:RateLimitRetries must be between 0 and 100.")]
    public int RateLimitRetries { get; set; } = 10;

    /// <summary>Bounded retries of 5xx / connection failures (exponential backoff with jitter).</summary>
    [Range(0, 10, ErrorMessage = "Discord:ServerErrorRetries must be between 0 and 10.")]
    public int ServerErrorRetries { get; set; } = 3;

    public TimeSpan ServerErrorBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Global REST limit (Discord: 50 requests per second per bot).</summary>
    [Range(1, 50, ErrorMessage = "Discord:GlobalRequestsPerSecond must be between 1 and 50.")]
    public int GlobalRequestsPerSecond { get; set; } = 45;

    /// <summary>When 401/403/429 responses in the last 10 minutes reach this count, requests wait (Discord bans at 10,000).</summary>
    [Range(1, 9000, ErrorMessage = "Discord:InvalidRequestSoftLimit must be between 1 and 9000 (Discord bans at 10,000 per 10 minutes).")]
    public int InvalidRequestSoftLimit { get; set; } = 5000;

    /// <summary>Gateway events the client may send per 60 s (Discord closes at 120); heartbeats have their own reserve.</summary>
    [Range(1, 115, ErrorMessage = "Discord:GatewaySendsPerMinute must be between 1 and 115 (Discord disconnects at 120 per minute).")]
    public int GatewaySendsPerMinute { get; set; } = 110;

    /// <summary>A rate-limit bucket nobody used for this long (and whose reset has passed) is dropped from memory.</summary>
    public TimeSpan RateLimitBucketIdleTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A learnt route → X-RateLimit-Bucket hash is forgotten this long after its last use (Discord may re-map routes).</summary>
    public TimeSpan RateLimitHashLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a new gateway connection waits for HELLO before it is closed and retried.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the gateway waits for READY (after IDENTIFY) or RESUMED (after RESUME) before it reconnects.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RateLimitBucketIdleTime < TimeSpan.FromSeconds(1) || RateLimitBucketIdleTime > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Discord:RateLimitBucketIdleTime must be between 00:00:01 and 1.00:00:00.", [nameof(RateLimitBucketIdleTime)]);
        }

        if (RateLimitHashLifetime < TimeSpan.FromMinutes(1) || RateLimitHashLifetime > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("Discord:RateLimitHashLifetime must be between 00:01:00 and 7.00:00:00.", [nameof(RateLimitHashLifetime)]);
        }

        if (HelloTimeout < TimeSpan.FromSeconds(1) || HelloTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Discord:HelloTimeout must be between 00:00:01 and 00:05:00.", [nameof(HelloTimeout)]);
        }

        if (ReadyTimeout < TimeSpan.FromSeconds(1) || ReadyTimeout > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Discord:ReadyTimeout must be between 00:00:01 and 00:10:00.", [nameof(ReadyTimeout)]);
        }

        if (!string.IsNullOrEmpty(PublicKey) && (PublicKey.Length != 64 || !PublicKey.All(Uri.IsHexDigit)))
        {
            yield return new ValidationResult("Discord:PublicKey must be the application's public key: 64 hex digits (Developer Portal → General Information → Public Key).", [nameof(PublicKey)]);
        }

        if (ShardId.HasValue != ShardCount.HasValue)
        {
            yield return new ValidationResult("Set both Discord:ShardId and Discord:ShardCount, or neither.", [nameof(ShardId), nameof(ShardCount)]);
        }
        else if (ShardId >= ShardCount)
        {
            yield return new ValidationResult($"Discord:ShardId ({ShardId}) must be less than Discord:ShardCount ({ShardCount}).", [nameof(ShardId)]);
        }

        if (!string.IsNullOrEmpty(Token) && (Token.Any(char.IsWhiteSpace) || Token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase)))
        {
            yield return new ValidationResult("Discord:Token must be the bare token, without a 'Bot ' prefix or spaces.", [nameof(Token)]);
        }

        if (ReconnectBaseDelay < TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            yield return new ValidationResult("Discord:ReconnectBaseDelay must be >= 0 and <= Discord:ReconnectMaxDelay.", [nameof(ReconnectBaseDelay)]);
        }
    }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"DiscordOptions(ApiBaseUrl={ApiBaseUrl}, ApplicationId={ApplicationId}, Intents={Intents}, Token={(string.IsNullOrEmpty(Token) ? "<unset>" : "<redacted>")})";
}
