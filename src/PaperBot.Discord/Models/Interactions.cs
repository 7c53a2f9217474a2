using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding).</summary>
public enum InteractionCallbackType
{
    Pong = 1,
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    DeferredUpdateMessage = 6,
    UpdateMessage = 7,
    ApplicationCommandAutocompleteResult = 8,
    Modal = 9,
}

public enum ApplicationCommandOptionType
{
    SubCommand = 1,
    SubCommandGroup = 2,
    String = 3,
    Integer = 4,
    Boolean = 5,
    User = 6,
    Channel = 7,
    Role = 8,
    Mentionable = 9,
    Number = 10,
    Attachment = 11,
}

public sealed class InteractionDataOption
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("type")] public ApplicationCommandOptionType Type { get; set; }

    /// <summary>String, integer, double or boolean, as sent.</summary>
    [JsonPropertyName("value")] public JsonElement? Value { get; set; }
    [JsonPropertyName("options")] public List<InteractionDataOption>? Options { get; set; }
    [JsonPropertyName("focused")] public bool? Focused { get; set; }

    /// <summary>The value as text (numbers formatted invariantly), or null.</summary>
    public string? GetString() => Value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public long? GetInt64() => Value is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var l) ? l
        : long.TryParse(GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null;

    public double? GetDouble() => Value is { ValueKind: JsonValueKind.Number } v ? v.GetDouble()
        : double.TryParse(GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;

    public bool? GetBoolean() => Value is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;
}

public sealed class InteractionResolved
{
    [JsonPropertyName("users")] public Dictionary<string, User>? Users { get; set; }
    [JsonPropertyName("members")] public Dictionary<string, GuildMember>? Members { get; set; }
    [JsonPropertyName("channels")] public Dictionary<string, Channel>? Channels { get; set; }
    [JsonPropertyName("messages")] public Dictionary<string, Message>? Messages { get; set; }
}

public sealed class InteractionData
{
    // application command
    [JsonPropertyName("id")] public ulong? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("type")] public int? Type { get; set; }
    [JsonPropertyName("options")] public List<InteractionDataOption>? Options { get; set; }
    [JsonPropertyName("resolved")] public InteractionResolved? Resolved { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("target_id")] public ulong? TargetId { get; set; }

    // message component / modal submit
    [JsonPropertyName("custom_id")] public string? CustomId { get; set; }
    [JsonPropertyName("component_type")] public ComponentType? ComponentType { get; set; }
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
    [JsonPropertyName("components")] public List<Component>? Components { get; set; }
}

/// <summary>An interaction (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).</summary>
public class Interaction
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("application_id")] public ulong ApplicationId { get; set; }
    [JsonPropertyName("type")] public InteractionType Type { get; set; }
    [JsonPropertyName("data")] public InteractionData? Data { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("channel_id")] public ulong? ChannelId { get; set; }
    [JsonPropertyName("channel")] public Channel? Channel { get; set; }

    /// <summary>Set in guilds; <see cref="User"/> is set in DMs.</summary>
    [JsonPropertyName("member")] public GuildMember? Member { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }

    /// <summary>Continuation token, valid 15 minutes. A secret: do not log it.</summary>
    [JsonPropertyName("token")] public string Token { get; set; } = "";
    [JsonPropertyName("version")] public int Version { get; set; }
    [JsonPropertyName("message")] public Message? Message { get; set; }
    [JsonPropertyName("app_permissions")] public string? AppPermissions { get; set; }
    [JsonPropertyName("locale")] public string? Locale { get; set; }
    [JsonPropertyName("guild_locale")] public string? GuildLocale { get; set; }

    /// <summary>The invoking user, in a guild (from member) or a DM.</summary>
    [JsonIgnore] public User? Invoker => Member?.User ?? User;

    /// <summary>Flattened options of the (sub)command: nested sub-command options are returned at the leaf level.</summary>
    public IReadOnlyList<InteractionDataOption> LeafOptions()
    {
        var options = Data?.Options;
        while (options is { Count: 1 } && options[0].Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup)
        {
            options = options[0].Options;
        }

        return options ?? [];
    }

    /// <summary>The sub-command path, e.g. "papers search" for /papers search.</summary>
    public string CommandPath()
    {
        var parts = new List<string> { Data?.Name ?? "" };
        var options = Data?.Options;
        while (options is { Count: 1 } && options[0].Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup)
        {
            parts.Add(options[0].Name);
            options = options[0].Options;
        }

        return string.Join(' ', parts);
    }

    public InteractionDataOption? GetOption(string name) => LeafOptions().FirstOrDefault(o => o.Name == name);

    /// <summary>The option the user is typing in (autocomplete).</summary>
    public InteractionDataOption? FocusedOption() => LeafOptions().FirstOrDefault(o => o.Focused == true);
}

public sealed class ApplicationCommandOptionChoice
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    /// <summary>String, integer or double.</summary>
    [JsonPropertyName("value")] public JsonElement Value { get; set; }

    public static ApplicationCommandOptionChoice String(string name, string value)
        => new() { Name = name, Value = JsonSerializer.SerializeToElement(value, DiscordJsonContext.Default.String) };

    public static ApplicationCommandOptionChoice Integer(string name, long value)
        => new() { Name = name, Value = JsonSerializer.SerializeToElement(value, DiscordJsonContext.Default.Int64) };

    public static ApplicationCommandOptionChoice Number(string name, double value)
        => new() { Name = name, Value = JsonSerializer.SerializeToElement(value, DiscordJsonContext.Default.Double) };
}

public sealed class ApplicationCommandOption
{
    [JsonPropertyName("type")] public ApplicationCommandOptionType Type { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string Description { get; set; } = "";
    [JsonPropertyName("required")] public bool? Required { get; set; }
    [JsonPropertyName("choices")] public List<ApplicationCommandOptionChoice>? Choices { get; set; }
    [JsonPropertyName("options")] public List<ApplicationCommandOption>? Options { get; set; }
    [JsonPropertyName("autocomplete")] public bool? Autocomplete { get; set; }
    [JsonPropertyName("min_value")] public double? MinValue { get; set; }
    [JsonPropertyName("max_value")] public double? MaxValue { get; set; }
    [JsonPropertyName("min_length")] public int? MinLength { get; set; }
    [JsonPropertyName("max_length")] public int? MaxLength { get; set; }
    [JsonPropertyName("channel_types")] public List<int>? ChannelTypes { get; set; }
}

/// <summary>An application command, as sent in bulk overwrite and as returned.</summary>
public sealed class ApplicationCommand
{
    [JsonPropertyName("id")] public ulong? Id { get; set; }

    /// <summary>1 chat input (slash), 2 user, 3 message.</summary>
    [JsonPropertyName("type")] public int Type { get; set; } = 1;
    [JsonPropertyName("application_id")] public ulong? ApplicationId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string Description { get; set; } = "";
    [JsonPropertyName("options")] public List<ApplicationCommandOption>? Options { get; set; }

    /// <summary>Permission bit set as a decimal string; "0" = admins only; null = everyone.</summary>
    [JsonPropertyName("default_member_permissions")] public string? DefaultMemberPermissions { get; set; }
    [JsonPropertyName("nsfw")] public bool? Nsfw { get; set; }

    /// <summary>0 guild, 1 bot DM, 2 private channel.</summary>
    [JsonPropertyName("contexts")] public List<int>? Contexts { get; set; }
    [JsonPropertyName("version")] public ulong? Version { get; set; }
}
