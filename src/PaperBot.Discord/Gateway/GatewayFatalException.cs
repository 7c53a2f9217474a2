namespace PaperBot.Discord.Gateway;

/// <summary>The gateway closed with a code that reconnecting cannot fix (4004, 4010-4014). The message says what to change.</summary>
public sealed class GatewayFatalException(int closeCode, string message) : Exception(message)
{
    public int CloseCode { get; } = closeCode;

    /// <summary>A clear message for each fatal close code, or null when the code is not fatal.</summary>
    public static string? Describe(int code) => code switch
    {
        4004 => "Discord gateway closed with 4004 Authentication failed: the bot token is wrong. Reset it in the Developer Portal (Bot → Reset Token) and set PAPERBOT_Discord__Token.",
        4010 => "Discord gateway closed with 4010 Invalid shard: check Discord:ShardId and Discord:ShardCount.",
        4011 => "Discord gateway closed with 4011 Sharding required: the bot is in too many guilds for one connection; set Discord:ShardId and Discord:ShardCount.",
        4012 => "Discord gateway closed with 4012 Invalid API version: this client speaks gateway v10.",
        4013 => "Discord gateway closed with 4013 Invalid intent(s): Discord:Intents contains a bit Discord does not know.",
        4014 => "Discord gateway closed with 4014 Disallowed intent(s): enable the Message Content intent in the Developer Portal (Bot → Privileged Gateway Intents; also any other privileged intent you request), or remove it from Discord:Intents.",
        _ => null,
    };
}
