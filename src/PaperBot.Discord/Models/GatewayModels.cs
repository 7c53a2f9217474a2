using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).</summary>
[Flags]
public enum GatewayIntents
{
    None = 0,
    Guilds = 1 << 0,
    GuildMembers = 1 << 1,
    GuildModeration = 1 << 2,
    GuildMessages = 1 << 9,
    GuildMessageReactions = 1 << 10,
    DirectMessages = 1 << 12,
    DirectMessageReactions = 1 << 13,
    MessageContent = 1 << 15,
    GuildScheduledEvents = 1 << 16,
    GuildMessagePolls = 1 << 24,
    DirectMessagePolls = 1 << 25,

    /// <summary>What PaperBot needs: GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES | MESSAGE_CONTENT |
    /// GUILD_MESSAGE_POLLS (16815617). Of these only MESSAGE_CONTENT is privileged.</summary>
    Default = Guilds | GuildMessages | GuildMessageReactions | DirectMessages | MessageContent | GuildMessagePolls,
}

public static class GatewayOpcode
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int PresenceUpdate = 3;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>An incoming gateway frame.</summary>
public sealed class GatewayPayload
{
    [JsonPropertyName("op")] public int Op { get; set; }
    [JsonPropertyName("d")] public JsonElement D { get; set; }
    [JsonPropertyName("s")] public int? S { get; set; }
    [JsonPropertyName("t")] public string? T { get; set; }
}

public sealed class HelloData
{
    [JsonPropertyName("heartbeat_interval")] public int HeartbeatInterval { get; set; }
}

public sealed class IdentifyProperties
{
    [JsonPropertyName("os")] public string Os { get; set; } = "linux";
    [JsonPropertyName("browser")] public string Browser { get; set; } = "PaperBot.Discord";
    [JsonPropertyName("device")] public string Device { get; set; } = "PaperBot.Discord";
}

public sealed class IdentifyData
{
    [JsonPropertyName("token")] public string Token { get; set; } = "";
    [JsonPropertyName("properties")] public IdentifyProperties Properties { get; set; } = new();
    [JsonPropertyName("intents")] public int Intents { get; set; }
    [JsonPropertyName("shard")] public int[]? Shard { get; set; }
    [JsonPropertyName("large_threshold")] public int? LargeThreshold { get; set; }
}

public sealed class ResumeData
{
    [JsonPropertyName("token")] public string Token { get; set; } = "";
    [JsonPropertyName("session_id")] public string SessionId { get; set; } = "";
    [JsonPropertyName("seq")] public int? Seq { get; set; }
}

public sealed class PresenceActivity
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("type")] public int Type { get; set; }
    [JsonPropertyName("state")] public string? State { get; set; }
}

public sealed class PresenceUpdateData
{
    /// <summary>Unix ms since the client went idle; Discord wants an explicit null when not idle.</summary>
    [JsonPropertyName("since")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? Since { get; set; }
    [JsonPropertyName("activities")] public List<PresenceActivity> Activities { get; set; } = [];
    [JsonPropertyName("status")] public string Status { get; set; } = "online";
    [JsonPropertyName("afk")] public bool Afk { get; set; }
}

public sealed class ReadyApplication
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("flags")] public long? Flags { get; set; }
}

/// <summary>READY dispatch.</summary>
public sealed class ReadyEvent
{
    [JsonPropertyName("v")] public int Version { get; set; }
    [JsonPropertyName("user")] public User User { get; set; } = new();
    [JsonPropertyName("guilds")] public List<UnavailableGuild> Guilds { get; set; } = [];
    [JsonPropertyName("session_id")] public string SessionId { get; set; } = "";
    [JsonPropertyName("resume_gateway_url")] public string ResumeGatewayUrl { get; set; } = "";
    [JsonPropertyName("shard")] public int[]? Shard { get; set; }
    [JsonPropertyName("application")] public ReadyApplication? Application { get; set; }
}

/// <summary>RESUMED dispatch: the session is back and missed events were replayed before it.</summary>
public sealed class ResumedEvent
{
}

/// <summary>GUILD_CREATE dispatch (lazy-load at connect, or the bot joined a guild).</summary>
public sealed class GuildCreateEvent
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("owner_id")] public ulong? OwnerId { get; set; }
    [JsonPropertyName("unavailable")] public bool? Unavailable { get; set; }
    [JsonPropertyName("member_count")] public int? MemberCount { get; set; }
    [JsonPropertyName("joined_at")] public string? JoinedAt { get; set; }
    [JsonPropertyName("channels")] public List<Channel>? Channels { get; set; }
    [JsonPropertyName("threads")] public List<Channel>? Threads { get; set; }
}

/// <summary>MESSAGE_CREATE dispatch (a message with guild_id/member when in a guild).</summary>
public sealed class MessageCreateEvent : Message
{
}

/// <summary>INTERACTION_CREATE dispatch.</summary>
public sealed class InteractionCreateEvent : Interaction
{
}

/// <summary>MESSAGE_REACTION_ADD dispatch: a user reacted to a message.</summary>
public sealed class MessageReactionAddEvent
{
    [JsonPropertyName("user_id")] public ulong UserId { get; set; }
    [JsonPropertyName("channel_id")] public ulong ChannelId { get; set; }
    [JsonPropertyName("message_id")] public ulong MessageId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("member")] public GuildMember? Member { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji Emoji { get; set; } = new();
    [JsonPropertyName("message_author_id")] public ulong? MessageAuthorId { get; set; }

    /// <summary>True for a super reaction.</summary>
    [JsonPropertyName("burst")] public bool? Burst { get; set; }

    /// <summary>0 normal, 1 burst.</summary>
    [JsonPropertyName("type")] public int? Type { get; set; }
}

/// <summary>MESSAGE_REACTION_REMOVE dispatch: a user removed a reaction (no member object, unlike the add).</summary>
public sealed class MessageReactionRemoveEvent
{
    [JsonPropertyName("user_id")] public ulong UserId { get; set; }
    [JsonPropertyName("channel_id")] public ulong ChannelId { get; set; }
    [JsonPropertyName("message_id")] public ulong MessageId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji Emoji { get; set; } = new();
    [JsonPropertyName("burst")] public bool? Burst { get; set; }
    [JsonPropertyName("type")] public int? Type { get; set; }
}

/// <summary>MESSAGE_REACTION_REMOVE_ALL dispatch: every reaction of a message was removed (by a moderator).</summary>
public sealed class MessageReactionRemoveAllEvent
{
    [JsonPropertyName("channel_id")] public ulong ChannelId { get; set; }
    [JsonPropertyName("message_id")] public ulong MessageId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
}

/// <summary>MESSAGE_REACTION_REMOVE_EMOJI dispatch: all reactions with one emoji were removed from a message.</summary>
public sealed class MessageReactionRemoveEmojiEvent
{
    [JsonPropertyName("channel_id")] public ulong ChannelId { get; set; }
    [JsonPropertyName("message_id")] public ulong MessageId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji Emoji { get; set; } = new();
}
