using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>Guild scheduled event entity types (https://discord.com/developers/docs/resources/guild-scheduled-event).</summary>
public enum ScheduledEventEntityType
{
    StageInstance = 1,
    Voice = 2,
    External = 3,
}

/// <summary>Scheduled event statuses: 1 scheduled, 2 active, 3 completed, 4 canceled.</summary>
public enum ScheduledEventStatus
{
    Scheduled = 1,
    Active = 2,
    Completed = 3,
    Canceled = 4,
}

public sealed class ScheduledEventEntityMetadata
{
    /// <summary>Where an external event happens (1-100 characters): PaperBot puts the paper's link here.</summary>
    [JsonPropertyName("location")] public string? Location { get; set; }
}

/// <summary>A guild scheduled event as Discord returns it.</summary>
public sealed class GuildScheduledEvent
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("guild_id")] public ulong GuildId { get; set; }
    [JsonPropertyName("channel_id")] public ulong? ChannelId { get; set; }
    [JsonPropertyName("creator_id")] public ulong? CreatorId { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("scheduled_start_time")] public DateTimeOffset ScheduledStartTime { get; set; }
    [JsonPropertyName("scheduled_end_time")] public DateTimeOffset? ScheduledEndTime { get; set; }
    [JsonPropertyName("status")] public ScheduledEventStatus Status { get; set; }
    [JsonPropertyName("entity_type")] public ScheduledEventEntityType EntityType { get; set; }
    [JsonPropertyName("entity_metadata")] public ScheduledEventEntityMetadata? EntityMetadata { get; set; }

    /// <summary>Members who marked the event "Interested" (only with <c>with_user_count=true</c>).</summary>
    [JsonPropertyName("user_count")] public int? UserCount { get; set; }
}

/// <summary>One entry of GET …/scheduled-events/{id}/users.</summary>
public sealed class ScheduledEventUser
{
    [JsonPropertyName("guild_scheduled_event_id")] public ulong GuildScheduledEventId { get; set; }
    [JsonPropertyName("user")] public User? User { get; set; }
}

/// <summary>POST /guilds/{guild}/scheduled-events body. Build it with <see cref="External"/> or <see cref="InChannel"/>.</summary>
public sealed class CreateScheduledEventRequest
{
    public const int NameMax = 100;
    public const int DescriptionMax = 1000;
    public const int LocationMax = 100;

    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("scheduled_start_time")] public DateTimeOffset ScheduledStartTime { get; init; }
    [JsonPropertyName("scheduled_end_time")] public DateTimeOffset? ScheduledEndTime { get; init; }

    /// <summary>2 = GUILD_ONLY, the only level Discord accepts.</summary>
    [JsonPropertyName("privacy_level")] public int PrivacyLevel { get; init; } = 2;

    [JsonPropertyName("entity_type")] public ScheduledEventEntityType EntityType { get; init; }
    [JsonPropertyName("channel_id")] public ulong? ChannelId { get; init; }
    [JsonPropertyName("entity_metadata")] public ScheduledEventEntityMetadata? EntityMetadata { get; init; }

    /// <summary>An external event (no channel): needs an end time and a location.</summary>
    public static CreateScheduledEventRequest External(string name, string? description, DateTimeOffset start, DateTimeOffset end, string location) => new()
    {
        Name = name,
        Description = description,
        ScheduledStartTime = start,
        ScheduledEndTime = end,
        EntityType = ScheduledEventEntityType.External,
        EntityMetadata = new ScheduledEventEntityMetadata { Location = location },
    };

    /// <summary>An event in a voice (type 2) or stage (type 13) channel.</summary>
    public static CreateScheduledEventRequest InChannel(string name, string? description, DateTimeOffset start, DateTimeOffset? end, ulong channelId, bool stage) => new()
    {
        Name = name,
        Description = description,
        ScheduledStartTime = start,
        ScheduledEndTime = end,
        EntityType = stage ? ScheduledEventEntityType.StageInstance : ScheduledEventEntityType.Voice,
        ChannelId = channelId,
    };

    /// <summary>Discord's limits for this body; throws <see cref="DiscordLimitException"/> naming the broken one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > NameMax)
        {
            throw new DiscordLimitException($"A scheduled event name needs 1 to {NameMax} characters, got {Name?.Length ?? 0}.");
        }

        if (Description is { Length: > DescriptionMax })
        {
            throw new DiscordLimitException($"A scheduled event description may be at most {DescriptionMax} characters, got {Description.Length}.");
        }

        if (EntityType == ScheduledEventEntityType.External
            && (ScheduledEndTime is null || EntityMetadata?.Location is not { Length: > 0 and <= LocationMax } || ChannelId is not null))
        {
            throw new DiscordLimitException($"An external scheduled event needs an end time, a location of 1 to {LocationMax} characters and no channel.");
        }

        if (EntityType != ScheduledEventEntityType.External && ChannelId is null)
        {
            throw new DiscordLimitException("A voice or stage scheduled event needs its channel_id.");
        }

        if (ScheduledEndTime is { } end && end <= ScheduledStartTime)
        {
            throw new DiscordLimitException("A scheduled event must end after it starts.");
        }
    }
}

/// <summary>POST /channels/{forum}/threads body: a forum post (thread plus its first message).</summary>
internal sealed class CreateForumThreadRequest
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("auto_archive_duration")] public int? AutoArchiveDuration { get; init; }
    [JsonPropertyName("message")] public MessagePayload Message { get; init; } = null!;
}
