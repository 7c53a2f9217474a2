using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>
/// Which mentions in a message may ping. Every send path requires one; <see cref="None"/> (<c>{"parse":[]}</c>) is the default
/// so that text from users or papers can never ping @everyone, roles or users.
/// </summary>
public sealed class AllowedMentions
{
    private AllowedMentions(IReadOnlyList<string> parse, IReadOnlyList<ulong>? users, IReadOnlyList<ulong>? roles, bool? repliedUser)
    {
        Parse = parse;
        Users = users;
        Roles = roles;
        RepliedUser = repliedUser;
    }

    /// <summary><c>{"parse":[]}</c>: nothing pings.</summary>
    public static AllowedMentions None { get; } = new([], null, null, null);

    [JsonPropertyName("parse")] public IReadOnlyList<string> Parse { get; }
    [JsonPropertyName("users")] public IReadOnlyList<ulong>? Users { get; }
    [JsonPropertyName("roles")] public IReadOnlyList<ulong>? Roles { get; }
    [JsonPropertyName("replied_user")] public bool? RepliedUser { get; }

    /// <summary>Only the listed users may be pinged (at most 100).</summary>
    public static AllowedMentions ForUsers(params ulong[] userIds)
    {
        if (userIds.Length > 100)
        {
            throw new DiscordLimitException("allowed_mentions.users may list at most 100 users.");
        }

        return new([], userIds.Distinct().ToArray(), null, null);
    }

    /// <summary>Only the listed roles may be pinged (at most 100).</summary>
    public static AllowedMentions ForRoles(params ulong[] roleIds)
    {
        if (roleIds.Length > 100)
        {
            throw new DiscordLimitException("allowed_mentions.roles may list at most 100 roles.");
        }

        return new([], null, roleIds.Distinct().ToArray(), null);
    }

    /// <summary>Same, but also ping (or explicitly not ping) the author of the message being replied to.</summary>
    public AllowedMentions WithRepliedUser(bool ping) => new(Parse, Users, Roles, ping);
}

/// <summary>A validated message body for every send path (create, edit, interaction response, follow-up). Build it with
/// <see cref="Builders.MessageBuilder"/>; it always carries <see cref="AllowedMentions"/>.</summary>
public sealed class MessagePayload
{
    internal MessagePayload(AllowedMentions allowedMentions)
    {
        AllowedMentions = allowedMentions ?? throw new ArgumentNullException(nameof(allowedMentions));
    }

    [JsonPropertyName("content")] public string? Content { get; internal init; }
    [JsonPropertyName("embeds")] public IReadOnlyList<Embed>? Embeds { get; internal init; }
    [JsonPropertyName("components")] public IReadOnlyList<Component>? Components { get; internal init; }

    [JsonPropertyName("allowed_mentions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public AllowedMentions AllowedMentions { get; }

    [JsonPropertyName("message_reference")] public MessageReference? MessageReference { get; internal init; }
    [JsonPropertyName("flags")] public int? Flags { get; internal init; }
    [JsonPropertyName("tts")] public bool? Tts { get; internal init; }

    /// <summary>Idempotency key of a channel message (at most 25 characters); with <see cref="EnforceNonce"/> Discord returns
    /// the message already created with this nonce by the bot in the past few minutes instead of creating another.</summary>
    [JsonPropertyName("nonce")] public string? Nonce { get; internal init; }

    [JsonPropertyName("enforce_nonce")] public bool? EnforceNonce { get; internal init; }

    /// <summary>A native poll (create only; a poll cannot be edited).</summary>
    [JsonPropertyName("poll")] public PollRequest? Poll { get; internal init; }

    /// <summary>One entry per file in <see cref="Files"/> (id = its index); null when there are none.</summary>
    [JsonPropertyName("attachments")] public IReadOnlyList<AttachmentRequest>? Attachments { get; internal init; }

    /// <summary>Files to upload: when there are any, the message is sent as multipart/form-data (never part of the JSON).</summary>
    [JsonIgnore] public IReadOnlyList<FileAttachment> Files { get; internal init; } = [];

    /// <summary>The same message as a plain channel message: without the ephemeral flag, which only interactions know.</summary>
    public MessagePayload ForChannel() => new(AllowedMentions)
    {
        Content = Content,
        Embeds = Embeds,
        Components = Components,
        MessageReference = MessageReference,
        Flags = (Flags & ~MessageFlags.Ephemeral) is 0 or null ? null : Flags & ~MessageFlags.Ephemeral,
        Tts = Tts,
        Poll = Poll,
        Attachments = Attachments,
        Files = Files,
        Nonce = Nonce,
        EnforceNonce = EnforceNonce,
    };

    /// <summary>The same message with an enforced nonce, so that re-sending it after a crash or timeout does not post twice.</summary>
    public MessagePayload WithEnforcedNonce(string nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        if (nonce.Length > DiscordLimits.NonceLength)
        {
            throw new DiscordLimitException($"A message nonce may be at most {DiscordLimits.NonceLength} characters, got {nonce.Length}.");
        }

        return new MessagePayload(AllowedMentions)
        {
            Content = Content,
            Embeds = Embeds,
            Components = Components,
            MessageReference = MessageReference,
            Flags = Flags,
            Tts = Tts,
            Attachments = Attachments,
            Files = Files,
            Poll = Poll,
            Nonce = nonce,
            EnforceNonce = true,
        };
    }
}

/// <summary>Message flags used by the builders.</summary>
public static class MessageFlags
{
    public const int SuppressEmbeds = 1 << 2;
    public const int Ephemeral = 1 << 6;
    public const int SuppressNotifications = 1 << 12;
}

internal sealed class InteractionCallbackData
{
    [JsonPropertyName("content")] public string? Content { get; init; }
    [JsonPropertyName("embeds")] public IReadOnlyList<Embed>? Embeds { get; init; }
    [JsonPropertyName("components")] public IReadOnlyList<Component>? Components { get; init; }
    [JsonPropertyName("allowed_mentions")] public AllowedMentions? AllowedMentions { get; init; }
    [JsonPropertyName("flags")] public int? Flags { get; init; }
    [JsonPropertyName("tts")] public bool? Tts { get; init; }
    [JsonPropertyName("choices")] public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }
    [JsonPropertyName("custom_id")] public string? CustomId { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("attachments")] public IReadOnlyList<AttachmentRequest>? Attachments { get; init; }
    [JsonPropertyName("poll")] public PollRequest? Poll { get; init; }

    public static InteractionCallbackData FromMessage(MessagePayload m) => new()
    {
        Content = m.Content,
        Embeds = m.Embeds,
        Components = m.Components,
        AllowedMentions = m.AllowedMentions,
        Flags = m.Flags,
        Tts = m.Tts,
        Attachments = m.Attachments,
        Poll = m.Poll,
    };
}

internal sealed class InteractionCallbackPayload
{
    [JsonPropertyName("type")] public InteractionCallbackType Type { get; init; }
    [JsonPropertyName("data")] public InteractionCallbackData? Data { get; init; }
}

/// <summary>The answer to a callback sent with <c>?with_response=true</c>: the interaction and, for a message, the message created.</summary>
internal sealed class InteractionCallbackResponse
{
    [JsonPropertyName("resource")] public InteractionCallbackResource? Resource { get; init; }
}

internal sealed class InteractionCallbackResource
{
    [JsonPropertyName("type")] public int Type { get; init; }
    [JsonPropertyName("message")] public Message? Message { get; init; }
}

/// <summary>A modal (callback type 9). Build with <see cref="Builders.ModalBuilder"/>.</summary>
public sealed class ModalPayload
{
    internal ModalPayload(string customId, string title, IReadOnlyList<Component> components)
    {
        CustomId = customId;
        Title = title;
        Components = components;
    }

    public string CustomId { get; }
    public string Title { get; }
    public IReadOnlyList<Component> Components { get; }
}

internal sealed class StartThreadRequest
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("auto_archive_duration")] public int? AutoArchiveDuration { get; init; }
    [JsonPropertyName("rate_limit_per_user")] public int? RateLimitPerUser { get; init; }
}

internal sealed class CreateDmRequest
{
    [JsonPropertyName("recipient_id")] public ulong RecipientId { get; init; }
}
