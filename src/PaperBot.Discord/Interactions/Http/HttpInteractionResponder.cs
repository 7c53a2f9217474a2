using System.Text.Json;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Discord.Interactions.Http;

/// <summary>
/// The REST client an interaction received over HTTP (Discord's Interactions Endpoint URL) is handled with. Discord wants
/// the first callback of such an interaction as the body of the HTTP response, not as a POST to /callback, so the first
/// callback for this interaction completes <see cref="Response"/> instead of being sent; everything else (follow-ups,
/// @original edits, messages) goes to the real client. When the handler is too slow, the endpoint calls
/// <see cref="TryDefer"/> first; a callback that comes after that is turned into the matching webhook call (a message
/// becomes a PATCH of @original), so the same command handlers serve the gateway and the HTTP path unchanged.
/// Written by hand because no served library maps Discord's callback types onto an HTTP response.
/// </summary>
public sealed class HttpInteractionResponder(IDiscordRestClient inner, Interaction interaction) : IDiscordRestClient
{
    private readonly TaskCompletionSource<byte[]> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private bool _answered;

    /// <summary>The JSON body of the HTTP response (an interaction callback object).</summary>
    public Task<byte[]> Response => _response.Task;

    /// <summary>True when the endpoint answered with a deferral because the handler took too long.</summary>
    public bool AutoDeferred { get; private set; }

    /// <summary>Answers with a deferral (type 6 for a component, else 5) unless the handler already answered.</summary>
    public bool TryDefer()
    {
        var type = interaction.Type is InteractionType.MessageComponent ? InteractionCallbackType.DeferredUpdateMessage : InteractionCallbackType.DeferredChannelMessageWithSource;
        if (!TryAnswer(new InteractionCallbackPayload { Type = type }))
        {
            return false;
        }

        AutoDeferred = true;
        return true;
    }

    /// <summary>Completes the HTTP response with a PONG (type 1).</summary>
    public bool TryPong() => TryAnswer(new InteractionCallbackPayload { Type = InteractionCallbackType.Pong });

    private bool Mine(ulong interactionId) => interactionId == interaction.Id;

    private bool TryAnswer(InteractionCallbackPayload payload)
    {
        lock (_gate)
        {
            if (_answered)
            {
                return false;
            }

            _answered = true;
        }

        _response.TrySetResult(JsonSerializer.SerializeToUtf8Bytes(payload, DiscordJsonContext.Default.InteractionCallbackPayload));
        return true;
    }

    /// <summary>A message callback: into the HTTP response, or, once deferred, an edit of @original. Files cannot ride in
    /// this JSON response, so a message with files defers and is sent by the edit.</summary>
    private async Task<Message?> MessageAsync(InteractionCallbackType type, MessagePayload message, CancellationToken ct)
    {
        if (message.Files.Count == 0 && TryAnswer(new InteractionCallbackPayload { Type = type, Data = InteractionCallbackData.FromMessage(message) }))
        {
            return null;
        }

        if (message.Files.Count > 0)
        {
            TryAnswer(new InteractionCallbackPayload
            {
                Type = type == InteractionCallbackType.UpdateMessage ? InteractionCallbackType.DeferredUpdateMessage : InteractionCallbackType.DeferredChannelMessageWithSource,
                Data = type == InteractionCallbackType.UpdateMessage || (message.Flags & MessageFlags.Ephemeral) == 0 ? null : new InteractionCallbackData { Flags = MessageFlags.Ephemeral },
            });
        }

        return await inner.EditOriginalResponseAsync(interaction.Token, message, ct).ConfigureAwait(false);
    }

    public Task RespondPongAsync(ulong interactionId, string interactionToken, CancellationToken ct = default) =>
        Mine(interactionId) ? Task.FromResult(TryPong()) : inner.RespondPongAsync(interactionId, interactionToken, ct);

    public Task RespondWithMessageAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default) =>
        Mine(interactionId) ? MessageAsync(InteractionCallbackType.ChannelMessageWithSource, message, ct) : inner.RespondWithMessageAsync(interactionId, interactionToken, message, ct);

    public Task<Message?> RespondWithMessageAndGetAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default) =>
        Mine(interactionId) ? MessageAsync(InteractionCallbackType.ChannelMessageWithSource, message, ct) : inner.RespondWithMessageAndGetAsync(interactionId, interactionToken, message, ct);

    public Task DeferAsync(ulong interactionId, string interactionToken, bool ephemeral = false, CancellationToken ct = default)
    {
        if (!Mine(interactionId))
        {
            return inner.DeferAsync(interactionId, interactionToken, ephemeral, ct);
        }

        TryAnswer(new InteractionCallbackPayload
        {
            Type = InteractionCallbackType.DeferredChannelMessageWithSource,
            Data = ephemeral ? new InteractionCallbackData { Flags = MessageFlags.Ephemeral } : null,
        });
        return Task.CompletedTask;
    }

    public Task DeferUpdateAsync(ulong interactionId, string interactionToken, CancellationToken ct = default)
    {
        if (!Mine(interactionId))
        {
            return inner.DeferUpdateAsync(interactionId, interactionToken, ct);
        }

        TryAnswer(new InteractionCallbackPayload { Type = InteractionCallbackType.DeferredUpdateMessage });
        return Task.CompletedTask;
    }

    public Task UpdateMessageAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default) =>
        Mine(interactionId) ? MessageAsync(InteractionCallbackType.UpdateMessage, message, ct) : inner.UpdateMessageAsync(interactionId, interactionToken, message, ct);

    public Task RespondAutocompleteAsync(ulong interactionId, string interactionToken, IReadOnlyList<ApplicationCommandOptionChoice> choices, CancellationToken ct = default)
    {
        if (!Mine(interactionId))
        {
            return inner.RespondAutocompleteAsync(interactionId, interactionToken, choices, ct);
        }

        // too late is dropped, as on the gateway path: the user has typed on
        TryAnswer(new InteractionCallbackPayload { Type = InteractionCallbackType.ApplicationCommandAutocompleteResult, Data = new InteractionCallbackData { Choices = choices } });
        return Task.CompletedTask;
    }

    public Task RespondWithModalAsync(ulong interactionId, string interactionToken, ModalPayload modal, CancellationToken ct = default)
    {
        if (!Mine(interactionId))
        {
            return inner.RespondWithModalAsync(interactionId, interactionToken, modal, ct);
        }

        if (!TryAnswer(new InteractionCallbackPayload { Type = InteractionCallbackType.Modal, Data = new InteractionCallbackData { CustomId = modal.CustomId, Title = modal.Title, Components = modal.Components } }))
        {
            throw new InteractionExpiredException("A modal must be the first answer to an interaction; this one was already deferred.");
        }

        return Task.CompletedTask;
    }

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken ct = default) => inner.GetGatewayBotAsync(ct);

    public Task<Application> GetCurrentApplicationAsync(CancellationToken ct = default) => inner.GetCurrentApplicationAsync(ct);

    public Task<ulong> GetApplicationIdAsync(CancellationToken ct = default) => inner.GetApplicationIdAsync(ct);

    public Task<Message> CreateMessageAsync(ulong channelId, MessagePayload message, CancellationToken ct = default) => inner.CreateMessageAsync(channelId, message, ct);

    public Task<Message> EditMessageAsync(ulong channelId, ulong messageId, MessagePayload message, CancellationToken ct = default) => inner.EditMessageAsync(channelId, messageId, message, ct);

    public Task DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default) => inner.DeleteMessageAsync(channelId, messageId, ct);

    public Task<Channel> StartThreadFromMessageAsync(ulong channelId, ulong messageId, string name, int? autoArchiveMinutes = null, CancellationToken ct = default) =>
        inner.StartThreadFromMessageAsync(channelId, messageId, name, autoArchiveMinutes, ct);

    public Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default) => inner.AddReactionAsync(channelId, messageId, emoji, ct);

    public Task RemoveOwnReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default) => inner.RemoveOwnReactionAsync(channelId, messageId, emoji, ct);

    public Task<Message> EditOriginalResponseAsync(string interactionToken, MessagePayload message, CancellationToken ct = default) => inner.EditOriginalResponseAsync(interactionToken, message, ct);

    public Task DeleteOriginalResponseAsync(string interactionToken, CancellationToken ct = default) => inner.DeleteOriginalResponseAsync(interactionToken, ct);

    public Task<Message> CreateFollowupAsync(string interactionToken, MessagePayload message, CancellationToken ct = default) => inner.CreateFollowupAsync(interactionToken, message, ct);

    public Task<Message> EditFollowupAsync(string interactionToken, ulong messageId, MessagePayload message, CancellationToken ct = default) => inner.EditFollowupAsync(interactionToken, messageId, message, ct);

    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default) => inner.BulkOverwriteGlobalCommandsAsync(commands, ct);

    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(ulong guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default) =>
        inner.BulkOverwriteGuildCommandsAsync(guildId, commands, ct);

    public Task<Channel> CreateDmChannelAsync(ulong userId, CancellationToken ct = default) => inner.CreateDmChannelAsync(userId, ct);

    public Task<IReadOnlyList<Message>> GetChannelMessagesAsync(ulong channelId, int limit = 100, CancellationToken ct = default) => inner.GetChannelMessagesAsync(channelId, limit, ct);

    public Task<Message> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default) => inner.GetMessageAsync(channelId, messageId, ct);

    public Task<Channel> CreateForumPostAsync(ulong forumChannelId, string name, MessagePayload message, int? autoArchiveMinutes = null, CancellationToken ct = default) =>
        inner.CreateForumPostAsync(forumChannelId, name, message, autoArchiveMinutes, ct);

    public Task<PollAnswerVoters> GetPollAnswerVotersAsync(ulong channelId, ulong messageId, int answerId, CancellationToken ct = default) => inner.GetPollAnswerVotersAsync(channelId, messageId, answerId, ct);

    public Task<GuildScheduledEvent> CreateGuildScheduledEventAsync(ulong guildId, CreateScheduledEventRequest request, CancellationToken ct = default) => inner.CreateGuildScheduledEventAsync(guildId, request, ct);

    public Task<GuildScheduledEvent> GetGuildScheduledEventAsync(ulong guildId, ulong eventId, bool withUserCount = true, CancellationToken ct = default) =>
        inner.GetGuildScheduledEventAsync(guildId, eventId, withUserCount, ct);

    public Task<IReadOnlyList<GuildScheduledEvent>> ListGuildScheduledEventsAsync(ulong guildId, bool withUserCount = true, CancellationToken ct = default) =>
        inner.ListGuildScheduledEventsAsync(guildId, withUserCount, ct);

    public Task DeleteGuildScheduledEventAsync(ulong guildId, ulong eventId, CancellationToken ct = default) => inner.DeleteGuildScheduledEventAsync(guildId, eventId, ct);

    public Task<IReadOnlyList<ScheduledEventUser>> GetGuildScheduledEventUsersAsync(ulong guildId, ulong eventId, CancellationToken ct = default) => inner.GetGuildScheduledEventUsersAsync(guildId, eventId, ct);
}

/// <summary>Reads an interaction delivered over HTTP (the same JSON object as the gateway's INTERACTION_CREATE).</summary>
public static class HttpInteractionJson
{
    /// <summary>Throws <see cref="JsonException"/> when the body is not an interaction.</summary>
    public static InteractionCreateEvent Parse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, DiscordJsonContext.Default.InteractionCreateEvent) ?? throw new JsonException("The body is not an interaction object.");
}
