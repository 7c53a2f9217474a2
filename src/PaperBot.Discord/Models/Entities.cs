using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>A Discord user (https://discord.com/developers/docs/resources/user#user-object).</summary>
public sealed class User
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("username")] public string Username { get; set; } = "";
    [JsonPropertyName("discriminator")] public string? Discriminator { get; set; }
    [JsonPropertyName("global_name")] public string? GlobalName { get; set; }
    [JsonPropertyName("avatar")] public string? Avatar { get; set; }
    [JsonPropertyName("bot")] public bool? Bot { get; set; }

    /// <summary>The name to show: global display name if set, else the username.</summary>
    [JsonIgnore] public string DisplayName => string.IsNullOrEmpty(GlobalName) ? Username : GlobalName;
}

/// <summary>A guild member. In interactions <see cref="Permissions"/> holds the member's total permissions in the channel.</summary>
public sealed class GuildMember
{
    [JsonPropertyName("user")] public User? User { get; set; }
    [JsonPropertyName("nick")] public string? Nick { get; set; }
    /// <summary>Role ids. Entries that are not snowflakes (e.g. whole role objects from a non-conforming server) are read by
    /// their "id" or skipped and counted in <see cref="LenientSnowflakeListConverter.Skipped"/>, never failing the event.</summary>
    [JsonPropertyName("roles")]
    [JsonConverter(typeof(LenientSnowflakeListConverter))]
    public List<ulong> Roles { get; set; } = [];
    [JsonPropertyName("joined_at")] public string? JoinedAt { get; set; }

    /// <summary>Permission bit set as Discord sends it: a decimal string.</summary>
    [JsonPropertyName("permissions")] public string? Permissions { get; set; }

    /// <summary>Parsed <see cref="Permissions"/>; 0 when absent.</summary>
    [JsonIgnore]
    public DiscordPermissions PermissionSet => ulong.TryParse(Permissions, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? (DiscordPermissions)p : DiscordPermissions.None;
}

/// <summary>Selected permission bits (https://discord.com/developers/docs/topics/permissions).</summary>
[Flags]
public enum DiscordPermissions : ulong
{
    None = 0,
    CreateInstantInvite = 1UL << 0,
    KickMembers = 1UL << 1,
    BanMembers = 1UL << 2,
    Administrator = 1UL << 3,
    ManageChannels = 1UL << 4,
    ManageGuild = 1UL << 5,
    AddReactions = 1UL << 6,
    ViewChannel = 1UL << 10,
    SendMessages = 1UL << 11,
    ManageMessages = 1UL << 13,
    EmbedLinks = 1UL << 14,
    AttachFiles = 1UL << 15,
    ReadMessageHistory = 1UL << 16,
    MentionEveryone = 1UL << 17,
    ManageRoles = 1UL << 28,
    ManageWebhooks = 1UL << 29,
    ManageEvents = 1UL << 33,
    ManageThreads = 1UL << 34,
    CreatePublicThreads = 1UL << 35,
    SendMessagesInThreads = 1UL << 38,
    CreateEvents = 1UL << 44,
}

public sealed class Channel
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("type")] public int Type { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("parent_id")] public ulong? ParentId { get; set; }
    [JsonPropertyName("owner_id")] public ulong? OwnerId { get; set; }
}

/// <summary>Channel types PaperBot tells apart (https://discord.com/developers/docs/resources/channel#channel-object-channel-types).</summary>
public static class ChannelTypes
{
    public const int GuildText = 0;
    public const int GuildVoice = 2;
    public const int GuildAnnouncement = 5;
    public const int PublicThread = 11;
    public const int GuildStageVoice = 13;
    public const int GuildForum = 15;
}

public sealed class EmbedFooter
{
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    [JsonPropertyName("icon_url")] public string? IconUrl { get; set; }
}

public sealed class EmbedAuthor
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("icon_url")] public string? IconUrl { get; set; }
}

public sealed class EmbedMedia
{
    [JsonPropertyName("url")] public string Url { get; set; } = "";
}

public sealed class EmbedField
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("value")] public string Value { get; set; } = "";
    [JsonPropertyName("inline")] public bool? Inline { get; set; }
}

public sealed class Embed
{
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("color")] public int? Color { get; set; }
    [JsonPropertyName("footer")] public EmbedFooter? Footer { get; set; }
    [JsonPropertyName("image")] public EmbedMedia? Image { get; set; }
    [JsonPropertyName("thumbnail")] public EmbedMedia? Thumbnail { get; set; }
    [JsonPropertyName("author")] public EmbedAuthor? Author { get; set; }
    [JsonPropertyName("fields")] public List<EmbedField>? Fields { get; set; }
}

/// <summary>Component types (https://discord.com/developers/docs/interactions/message-components).</summary>
public enum ComponentType
{
    ActionRow = 1,
    Button = 2,
    StringSelect = 3,
    TextInput = 4,
    UserSelect = 5,
    RoleSelect = 6,
    MentionableSelect = 7,
    ChannelSelect = 8,
    Section = 9,
    TextDisplay = 10,
    Container = 17,

    /// <summary>A modal field: a label (and optional description) wrapping one input component.</summary>
    Label = 18,
}

public enum ButtonStyle
{
    Primary = 1,
    Secondary = 2,
    Success = 3,
    Danger = 4,
    Link = 5,
}

public sealed class PartialEmoji
{
    [JsonPropertyName("id")] public ulong? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("animated")] public bool? Animated { get; set; }

    /// <summary>The emoji as the reaction routes name it: the Unicode emoji itself, or "name:id" for a custom emoji.</summary>
    [JsonIgnore] public string Key => Id is { } id ? $"{Name}:{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Name ?? "";
}

public sealed class SelectOption
{
    [JsonPropertyName("label")] public string Label { get; set; } = "";
    [JsonPropertyName("value")] public string Value { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji? Emoji { get; set; }
    [JsonPropertyName("default")] public bool? Default { get; set; }
}

/// <summary>Any message component (action row, button, select, text input); unused fields stay null.</summary>
public sealed class Component
{
    [JsonPropertyName("type")] public ComponentType Type { get; set; }
    [JsonPropertyName("components")] public List<Component>? Components { get; set; }
    [JsonPropertyName("style")] public int? Style { get; set; }
    [JsonPropertyName("label")] public string? Label { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji? Emoji { get; set; }
    [JsonPropertyName("custom_id")] public string? CustomId { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("disabled")] public bool? Disabled { get; set; }
    [JsonPropertyName("options")] public List<SelectOption>? Options { get; set; }
    [JsonPropertyName("placeholder")] public string? Placeholder { get; set; }
    [JsonPropertyName("min_values")] public int? MinValues { get; set; }
    [JsonPropertyName("max_values")] public int? MaxValues { get; set; }
    [JsonPropertyName("min_length")] public int? MinLength { get; set; }
    [JsonPropertyName("max_length")] public int? MaxLength { get; set; }
    [JsonPropertyName("required")] public bool? Required { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }

    /// <summary>Label (type 18): the description under the label.</summary>
    [JsonPropertyName("description")] public string? Description { get; set; }

    /// <summary>Label (type 18): the one component it wraps (e.g. a text input).</summary>
    [JsonPropertyName("component")] public Component? Child { get; set; }

    /// <summary>Text display (type 10): its Markdown.</summary>
    [JsonPropertyName("content")] public string? Content { get; set; }

    /// <summary>Every text input (type 4) in a modal's components, whether in action rows or in labels: custom_id → value.</summary>
    public static IReadOnlyDictionary<string, string> TextInputValues(IEnumerable<Component>? components)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(Component c)
        {
            if (c.Type == ComponentType.TextInput && c.CustomId is { } id)
            {
                values[id] = c.Value ?? "";
            }

            foreach (var child in c.Components ?? [])
            {
                Walk(child);
            }

            if (c.Child is { } inner)
            {
                Walk(inner);
            }
        }

        foreach (var c in components ?? [])
        {
            Walk(c);
        }

        return values;
    }
}

public sealed class MessageReference
{
    [JsonPropertyName("message_id")] public ulong? MessageId { get; set; }
    [JsonPropertyName("channel_id")] public ulong? ChannelId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("fail_if_not_exists")] public bool? FailIfNotExists { get; set; }
}

/// <summary>A message as Discord returns it (REST responses, MESSAGE_CREATE).</summary>
public class Message
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("channel_id")] public ulong ChannelId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("author")] public User? Author { get; set; }
    [JsonPropertyName("member")] public GuildMember? Member { get; set; }
    [JsonPropertyName("content")] public string Content { get; set; } = "";
    [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("edited_timestamp")] public string? EditedTimestamp { get; set; }
    [JsonPropertyName("type")] public int Type { get; set; }
    [JsonPropertyName("flags")] public int? Flags { get; set; }
    [JsonPropertyName("mentions")] public List<User>? Mentions { get; set; }
    [JsonPropertyName("embeds")] public List<Embed>? Embeds { get; set; }
    [JsonPropertyName("components")] public List<Component>? Components { get; set; }
    [JsonPropertyName("message_reference")] public MessageReference? MessageReference { get; set; }
    [JsonPropertyName("webhook_id")] public ulong? WebhookId { get; set; }
    [JsonPropertyName("application_id")] public ulong? ApplicationId { get; set; }
    [JsonPropertyName("attachments")] public List<Attachment>? Attachments { get; set; }
    [JsonPropertyName("reactions")] public List<Reaction>? Reactions { get; set; }
    [JsonPropertyName("poll")] public Poll? Poll { get; set; }
}

/// <summary>One emoji's reactions on a message (GET messages returns them).</summary>
public sealed class Reaction
{
    [JsonPropertyName("count")] public int Count { get; set; }
    [JsonPropertyName("me")] public bool? Me { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji Emoji { get; set; } = new();
}

public sealed class Application
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("bot_public")] public bool? BotPublic { get; set; }
    [JsonPropertyName("flags")] public long? Flags { get; set; }
    [JsonPropertyName("bot")] public User? Bot { get; set; }
}

public sealed class UnavailableGuild
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("unavailable")] public bool? Unavailable { get; set; }
}

public sealed class SessionStartLimit
{
    [JsonPropertyName("total")] public int Total { get; set; }
    [JsonPropertyName("remaining")] public int Remaining { get; set; }
    [JsonPropertyName("reset_after")] public long ResetAfter { get; set; }
    [JsonPropertyName("max_concurrency")] public int MaxConcurrency { get; set; }
}

/// <summary>GET /gateway/bot.</summary>
public sealed class GatewayBotInfo
{
    [JsonPropertyName("url")] public string Url { get; set; } = "";
    [JsonPropertyName("shards")] public int Shards { get; set; }
    [JsonPropertyName("session_start_limit")] public SessionStartLimit? SessionStartLimit { get; set; }
}

/// <summary>Discord's JSON error body, and the 429 body (<c>retry_after</c>, <c>global</c>).</summary>
public sealed class DiscordErrorBody
{
    [JsonPropertyName("code")] public int? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("retry_after")] public double? RetryAfter { get; set; }
    [JsonPropertyName("global")] public bool? Global { get; set; }
    [JsonPropertyName("errors")] public JsonElement? Errors { get; set; }
}
