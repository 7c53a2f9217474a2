using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using PaperBot.Discord.Commands;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Rest;

/// <summary>Discord REST calls used by the bot. All message bodies are <see cref="MessagePayload"/>s, which always carry allowed_mentions.</summary>
public interface IDiscordRestClient
{
    Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken ct = default);

    /// <summary>GET /applications/@me.</summary>
    Task<Application> GetCurrentApplicationAsync(CancellationToken ct = default);

    /// <summary>The configured application id, or the one from GET /applications/@me (cached).</summary>
    Task<ulong> GetApplicationIdAsync(CancellationToken ct = default);

    Task<Message> CreateMessageAsync(ulong channelId, MessagePayload message, CancellationToken ct = default);

    Task<Message> EditMessageAsync(ulong channelId, ulong messageId, MessagePayload message, CancellationToken ct = default);

    Task DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default);

    /// <summary>POST /channels/{channel}/messages/{message}/threads. <paramref name="autoArchiveMinutes"/>: 60, 1440, 4320 or 10080.</summary>
    Task<Channel> StartThreadFromMessageAsync(ulong channelId, ulong messageId, string name, int? autoArchiveMinutes = null, CancellationToken ct = default);

    /// <summary>PUT /channels/{channel}/messages/{message}/reactions/{emoji}/@me: the bot reacts ("👍", or "name:id" for a custom emoji).
    /// Needs Add Reactions (and Read Message History).</summary>
    Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default);

    /// <summary>DELETE /channels/{channel}/messages/{message}/reactions/{emoji}/@me: removes the bot's own reaction.</summary>
    Task RemoveOwnReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default);

    /// <summary>Callback type 1 (PONG).</summary>
    Task RespondPongAsync(ulong interactionId, string interactionToken, CancellationToken ct = default);

    /// <summary>Callback type 4: reply with a message (multipart/form-data when it carries files).</summary>
    Task RespondWithMessageAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default);

    /// <summary>Callback type 4 with <c>?with_response=true</c>: returns the message Discord created (null if it sent none back).</summary>
    Task<Message?> RespondWithMessageAndGetAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default);

    /// <summary>Callback type 5: "thinking…"; edit <c>@original</c> later.</summary>
    Task DeferAsync(ulong interactionId, string interactionToken, bool ephemeral = false, CancellationToken ct = default);

    /// <summary>Callback type 6: acknowledge a component; edit the message later.</summary>
    Task DeferUpdateAsync(ulong interactionId, string interactionToken, CancellationToken ct = default);

    /// <summary>Callback type 7: edit the message the component is on.</summary>
    Task UpdateMessageAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default);

    /// <summary>Callback type 8: autocomplete choices (at most 25).</summary>
    Task RespondAutocompleteAsync(ulong interactionId, string interactionToken, IReadOnlyList<ApplicationCommandOptionChoice> choices, CancellationToken ct = default);

    /// <summary>Callback type 9: show a modal.</summary>
    Task RespondWithModalAsync(ulong interactionId, string interactionToken, ModalPayload modal, CancellationToken ct = default);

    /// <summary>PATCH /webhooks/{app}/{token}/messages/@original.</summary>
    Task<Message> EditOriginalResponseAsync(string interactionToken, MessagePayload message, CancellationToken ct = default);

    Task DeleteOriginalResponseAsync(string interactionToken, CancellationToken ct = default);

    /// <summary>POST /webhooks/{app}/{token}: a follow-up message.</summary>
    Task<Message> CreateFollowupAsync(string interactionToken, MessagePayload message, CancellationToken ct = default);

    Task<Message> EditFollowupAsync(string interactionToken, ulong messageId, MessagePayload message, CancellationToken ct = default);

    Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default);

    Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(ulong guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default);

    /// <summary>POST /users/@me/channels: opens (or returns) the DM channel with a user.</summary>
    Task<Channel> CreateDmChannelAsync(ulong userId, CancellationToken ct = default);

    /// <summary>GET /channels/{channel}/messages?limit=n (newest first, at most 100).</summary>
    Task<IReadOnlyList<Message>> GetChannelMessagesAsync(ulong channelId, int limit = 100, CancellationToken ct = default);

    /// <summary>GET /channels/{channel}/messages/{message}.</summary>
    Task<Message> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default);

    /// <summary>POST /channels/{forum}/threads: a forum (or media) post, the thread and its first message at once.</summary>
    Task<Channel> CreateForumPostAsync(ulong forumChannelId, string name, MessagePayload message, int? autoArchiveMinutes = null, CancellationToken ct = default);

    /// <summary>GET /channels/{channel}/polls/{message}/answers/{answer}?limit=100: the first 100 voters of an answer.</summary>
    Task<PollAnswerVoters> GetPollAnswerVotersAsync(ulong channelId, ulong messageId, int answerId, CancellationToken ct = default);

    /// <summary>POST /guilds/{guild}/scheduled-events. Needs Create Events (or Manage Events).</summary>
    Task<GuildScheduledEvent> CreateGuildScheduledEventAsync(ulong guildId, CreateScheduledEventRequest request, CancellationToken ct = default);

    /// <summary>GET /guilds/{guild}/scheduled-events/{event}?with_user_count=true.</summary>
    Task<GuildScheduledEvent> GetGuildScheduledEventAsync(ulong guildId, ulong eventId, bool withUserCount = true, CancellationToken ct = default);

    /// <summary>GET /guilds/{guild}/scheduled-events?with_user_count=true.</summary>
    Task<IReadOnlyList<GuildScheduledEvent>> ListGuildScheduledEventsAsync(ulong guildId, bool withUserCount = true, CancellationToken ct = default);

    /// <summary>DELETE /guilds/{guild}/scheduled-events/{event}.</summary>
    Task DeleteGuildScheduledEventAsync(ulong guildId, ulong eventId, CancellationToken ct = default);

    /// <summary>GET /guilds/{guild}/scheduled-events/{event}/users?with_member=false&amp;limit=100: up to 100 members who are interested.</summary>
    Task<IReadOnlyList<ScheduledEventUser>> GetGuildScheduledEventUsersAsync(ulong guildId, ulong eventId, CancellationToken ct = default);
}

/// <summary>REST client: rate limits through <see cref="RateLimitManager"/>, retries through the named Polly pipeline
/// <see cref="PipelineName"/> (429 after the limiter's wait; bounded 5xx retries with backoff).</summary>
public sealed class DiscordRestClient : IDiscordRestClient
{
    public const string PipelineName = "PaperBot.Discord.Rest";

    private readonly IRestRequestHandler _handler;
    private readonly RateLimitManager _limits;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly DiscordOptions _options;
    private readonly string _baseUrl;
    private readonly ProductInfoHeaderValue[] _userAgent;
    private ulong? _applicationId;

    public DiscordRestClient(
        IRestRequestHandler handler,
        RateLimitManager limits,
        ResiliencePipelineProvider<string> pipelines,
        IOptions<DiscordOptions> options,
        ILogger<DiscordRestClient> logger)
    {
        _handler = handler;
        _limits = limits;
        _pipeline = pipelines.GetPipeline<HttpResponseMessage>(PipelineName);
        _logger = logger;
        _options = options.Value;
        _baseUrl = _options.ApiBaseUrl.TrimEnd('/');
        _applicationId = _options.ApplicationId;
        _userAgent =
        [
            new ProductInfoHeaderValue("DiscordBot", null),
            new ProductInfoHeaderValue($"({_options.UserAgentUrl}, {_options.UserAgentVersion})"),
        ];
    }

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken ct = default)
        => SendAsync(new RestRoute(HttpMethod.Get, "/gateway/bot", "/gateway/bot", "-"), null, DiscordJsonContext.Default.GatewayBotInfo, ct);

    public async Task<Application> GetCurrentApplicationAsync(CancellationToken ct = default)
    {
        var app = await SendAsync(new RestRoute(HttpMethod.Get, "/applications/@me", "/applications/@me", "-"), null, DiscordJsonContext.Default.Application, ct).ConfigureAwait(false);
        _applicationId ??= app.Id;
        return app;
    }

    public async Task<ulong> GetApplicationIdAsync(CancellationToken ct = default)
        => _applicationId ?? (await GetCurrentApplicationAsync(ct).ConfigureAwait(false)).Id;

    public Task<Message> CreateMessageAsync(ulong channelId, MessagePayload message, CancellationToken ct = default)
        => SendAsync(
            new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", $"/channels/{RestRoute.Id(channelId)}/messages", RestRoute.Id(channelId)),
            MessageBody(message), DiscordJsonContext.Default.Message, ct);

    public Task<Message> EditMessageAsync(ulong channelId, ulong messageId, MessagePayload message, CancellationToken ct = default)
        => SendAsync(
            new RestRoute(HttpMethod.Patch, "/channels/{channel_id}/messages/{message_id}", $"/channels/{RestRoute.Id(channelId)}/messages/{RestRoute.Id(messageId)}", RestRoute.Id(channelId)),
            MessageBody(message), DiscordJsonContext.Default.Message, ct);

    public Task DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default)
        => SendNoContentAsync(
            new RestRoute(HttpMethod.Delete, "/channels/{channel_id}/messages/{message_id}", $"/channels/{RestRoute.Id(channelId)}/messages/{RestRoute.Id(messageId)}", RestRoute.Id(channelId)),
            null, ct);

    public Task<Channel> StartThreadFromMessageAsync(ulong channelId, ulong messageId, string name, int? autoArchiveMinutes = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > DiscordLimits.ThreadName)
        {
            throw new DiscordLimitException($"A thread name needs 1 to {DiscordLimits.ThreadName} characters, got {name?.Length ?? 0}.");
        }

        if (autoArchiveMinutes is not (null or 60 or 1440 or 4320 or 10080))
        {
            throw new DiscordLimitException($"auto_archive_duration must be 60, 1440, 4320 or 10080 minutes, got {autoArchiveMinutes}.");
        }

        return SendAsync(
            new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages/{message_id}/threads", $"/channels/{RestRoute.Id(channelId)}/messages/{RestRoute.Id(messageId)}/threads", RestRoute.Id(channelId)),
            Json(new StartThreadRequest { Name = name, AutoArchiveDuration = autoArchiveMinutes }, DiscordJsonContext.Default.StartThreadRequest),
            DiscordJsonContext.Default.Channel, ct);
    }

    public Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default)
        => SendNoContentAsync(ReactionRoute(HttpMethod.Put, channelId, messageId, emoji), null, ct);

    public Task RemoveOwnReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken ct = default)
        => SendNoContentAsync(ReactionRoute(HttpMethod.Delete, channelId, messageId, emoji), null, ct);

    /// <summary>
    /// /channels/{channel}/messages/{message}/reactions/{emoji}/@me. A Unicode emoji goes URL-encoded as itself; a custom
    /// emoji as "name:id". Discord limits this route hard (about 1 request per 250 ms per channel); the bucket is learnt
    /// from the headers like every other.
    /// </summary>
    private static RestRoute ReactionRoute(HttpMethod method, ulong channelId, ulong messageId, string emoji)
    {
        if (string.IsNullOrWhiteSpace(emoji) || emoji.Length > 100)
        {
            throw new ArgumentException("An emoji is a Unicode emoji or 'name:id' of a custom emoji.", nameof(emoji));
        }

        return new RestRoute(method, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            $"/channels/{RestRoute.Id(channelId)}/messages/{RestRoute.Id(messageId)}/reactions/{Uri.EscapeDataString(emoji)}/@me", RestRoute.Id(channelId));
    }

    public Task RespondPongAsync(ulong interactionId, string interactionToken, CancellationToken ct = default)
        => CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload { Type = InteractionCallbackType.Pong }, ct);

    public Task RespondWithMessageAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default)
        => CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload { Type = InteractionCallbackType.ChannelMessageWithSource, Data = InteractionCallbackData.FromMessage(message) }, ct, message.Files);

    public async Task<Message?> RespondWithMessageAndGetAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(interactionToken))
        {
            throw new ArgumentException("The interaction token is empty.", nameof(interactionToken));
        }

        var body = CallbackBody(new InteractionCallbackPayload { Type = InteractionCallbackType.ChannelMessageWithSource, Data = InteractionCallbackData.FromMessage(message) }, message.Files);
        try
        {
            var response = await SendAsync(CallbackRoute(interactionId, interactionToken, withResponse: true), body, DiscordJsonContext.Default.InteractionCallbackResponse, ct).ConfigureAwait(false);
            return response.Resource?.Message;
        }
        catch (DiscordRestException ex) when (ex.DiscordCode == DiscordErrorCodes.AlreadyAcknowledged)
        {
            _logger.LogInformation("Interaction callback was already acknowledged (40060); treating it as done");
            return null;
        }
    }

    public Task DeferAsync(ulong interactionId, string interactionToken, bool ephemeral = false, CancellationToken ct = default)
        => CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload
        {
            Type = InteractionCallbackType.DeferredChannelMessageWithSource,
            Data = ephemeral ? new InteractionCallbackData { Flags = MessageFlags.Ephemeral } : null,
        }, ct);

    public Task DeferUpdateAsync(ulong interactionId, string interactionToken, CancellationToken ct = default)
        => CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload { Type = InteractionCallbackType.DeferredUpdateMessage }, ct);

    public Task UpdateMessageAsync(ulong interactionId, string interactionToken, MessagePayload message, CancellationToken ct = default)
        => CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload { Type = InteractionCallbackType.UpdateMessage, Data = InteractionCallbackData.FromMessage(message) }, ct, message.Files);

    public Task RespondAutocompleteAsync(ulong interactionId, string interactionToken, IReadOnlyList<ApplicationCommandOptionChoice> choices, CancellationToken ct = default)
    {
        if (choices.Count > DiscordLimits.AutocompleteChoices)
        {
            throw new DiscordLimitException($"Autocomplete may return at most {DiscordLimits.AutocompleteChoices} choices, got {choices.Count}.");
        }

        foreach (var c in choices)
        {
            if (c.Name.Length is 0 or > DiscordLimits.ChoiceName)
            {
                throw new DiscordLimitException($"A choice name needs 1 to {DiscordLimits.ChoiceName} characters, got {c.Name.Length}.");
            }

            if (c.Value.ValueKind == JsonValueKind.String && c.Value.GetString()!.Length > DiscordLimits.ChoiceStringValue)
            {
                throw new DiscordLimitException($"A string choice value may be at most {DiscordLimits.ChoiceStringValue} characters.");
            }
        }

        return CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload
        {
            Type = InteractionCallbackType.ApplicationCommandAutocompleteResult,
            Data = new InteractionCallbackData { Choices = choices },
        }, ct);
    }

    public Task RespondWithModalAsync(ulong interactionId, string interactionToken, ModalPayload modal, CancellationToken ct = default)
        => CallbackAsync(interactionId, interactionToken, new InteractionCallbackPayload
        {
            Type = InteractionCallbackType.Modal,
            Data = new InteractionCallbackData { CustomId = modal.CustomId, Title = modal.Title, Components = modal.Components },
        }, ct);

    public async Task<Message> EditOriginalResponseAsync(string interactionToken, MessagePayload message, CancellationToken ct = default)
    {
        var app = await GetApplicationIdAsync(ct).ConfigureAwait(false);
        return await SendAsync(
            WebhookRoute(HttpMethod.Patch, "/webhooks/{application_id}/{interaction_token}/messages/@original", app, interactionToken, "/messages/@original"),
            MessageBody(message), DiscordJsonContext.Default.Message, ct).ConfigureAwait(false);
    }

    public async Task DeleteOriginalResponseAsync(string interactionToken, CancellationToken ct = default)
    {
        var app = await GetApplicationIdAsync(ct).ConfigureAwait(false);
        await SendNoContentAsync(WebhookRoute(HttpMethod.Delete, "/webhooks/{application_id}/{interaction_token}/messages/@original", app, interactionToken, "/messages/@original"), null, ct).ConfigureAwait(false);
    }

    public async Task<Message> CreateFollowupAsync(string interactionToken, MessagePayload message, CancellationToken ct = default)
    {
        var app = await GetApplicationIdAsync(ct).ConfigureAwait(false);
        return await SendAsync(
            WebhookRoute(HttpMethod.Post, "/webhooks/{application_id}/{interaction_token}", app, interactionToken, ""),
            MessageBody(message), DiscordJsonContext.Default.Message, ct).ConfigureAwait(false);
    }

    public async Task<Message> EditFollowupAsync(string interactionToken, ulong messageId, MessagePayload message, CancellationToken ct = default)
    {
        var app = await GetApplicationIdAsync(ct).ConfigureAwait(false);
        return await SendAsync(
            WebhookRoute(HttpMethod.Patch, "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", app, interactionToken, "/messages/" + RestRoute.Id(messageId)),
            MessageBody(message), DiscordJsonContext.Default.Message, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGlobalCommandsAsync(IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default)
    {
        ValidateCommands(commands);
        var app = await GetApplicationIdAsync(ct).ConfigureAwait(false);
        return await SendAsync(
            new RestRoute(HttpMethod.Put, "/applications/{application_id}/commands", $"/applications/{RestRoute.Id(app)}/commands", RestRoute.Id(app)),
            Json(commands.ToList(), DiscordJsonContext.Default.ListApplicationCommand), DiscordJsonContext.Default.ListApplicationCommand, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteGuildCommandsAsync(ulong guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken ct = default)
    {
        ValidateCommands(commands);
        var app = await GetApplicationIdAsync(ct).ConfigureAwait(false);
        return await SendAsync(
            new RestRoute(HttpMethod.Put, "/applications/{application_id}/guilds/{guild_id}/commands", $"/applications/{RestRoute.Id(app)}/guilds/{RestRoute.Id(guildId)}/commands", RestRoute.Id(guildId)),
            Json(commands.ToList(), DiscordJsonContext.Default.ListApplicationCommand), DiscordJsonContext.Default.ListApplicationCommand, ct).ConfigureAwait(false);
    }

    private static void ValidateCommands(IReadOnlyList<ApplicationCommand> commands) => ApplicationCommandValidator.ThrowIfInvalid(commands);

    private static RestRoute WebhookRoute(HttpMethod method, string template, ulong app, string token, string suffix)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException("The interaction token is empty.", nameof(token));
        }

        // Webhook buckets are keyed by webhook id + token (the major parameter); only a hash of the token is kept, so it never reaches logs.
        var tokenHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)), 0, 8);
        return new RestRoute(method, template, $"/webhooks/{RestRoute.Id(app)}/{RestRoute.Token(token)}{suffix}", RestRoute.Id(app) + "/" + tokenHash, ExemptFromGlobalLimit: true);
    }

    private Task CallbackAsync(ulong interactionId, string interactionToken, InteractionCallbackPayload payload, CancellationToken ct, IReadOnlyList<FileAttachment>? files = null)
        => CallbackCoreAsync(CallbackRoute(interactionId, interactionToken, withResponse: false), CallbackBody(payload, files), ct);

    private static RestBody CallbackBody(InteractionCallbackPayload payload, IReadOnlyList<FileAttachment>? files) =>
        new(JsonSerializer.SerializeToUtf8Bytes(payload, DiscordJsonContext.Default.InteractionCallbackPayload), files ?? []);

    private static RestRoute CallbackRoute(ulong interactionId, string interactionToken, bool withResponse)
    {
        if (string.IsNullOrEmpty(interactionToken))
        {
            throw new ArgumentException("The interaction token is empty.", nameof(interactionToken));
        }

        // Interaction callbacks are not bound by the global rate limit.
        // A callback answered with 5xx may still have been applied, and a second one would fail with 40060: it is not retried.
        return new RestRoute(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback",
            $"/interactions/{RestRoute.Id(interactionId)}/{RestRoute.Token(interactionToken)}/callback{(withResponse ? "?with_response=true" : "")}", RestRoute.Id(interactionId), ExemptFromGlobalLimit: true)
        {
            RetryServerErrors = false,
        };
    }

    private async Task CallbackCoreAsync(RestRoute route, RestBody body, CancellationToken ct)
    {
        try
        {
            await SendNoContentAsync(route, body, ct).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.DiscordCode == DiscordErrorCodes.AlreadyAcknowledged)
        {
            // 40060: an earlier attempt (whose answer was lost) was applied; the interaction is acknowledged, which is what we wanted.
            _logger.LogInformation("Interaction callback was already acknowledged (40060); treating it as done");
        }
    }

    public Task<Channel> CreateDmChannelAsync(ulong userId, CancellationToken ct = default) =>
        SendAsync(
            new RestRoute(HttpMethod.Post, "/users/@me/channels", "/users/@me/channels", "-"),
            Json(new CreateDmRequest { RecipientId = userId }, DiscordJsonContext.Default.CreateDmRequest),
            DiscordJsonContext.Default.Channel,
            ct);

    public async Task<IReadOnlyList<Message>> GetChannelMessagesAsync(ulong channelId, int limit = 100, CancellationToken ct = default)
    {
        if (limit is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "GET messages takes a limit from 1 to 100.");
        }

        var c = RestRoute.Id(channelId);
        return await SendAsync(
            new RestRoute(HttpMethod.Get, "/channels/{channel_id}/messages", $"/channels/{c}/messages?limit={limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}", c),
            null, DiscordJsonContext.Default.ListMessage, ct).ConfigureAwait(false);
    }

    public Task<Message> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken ct = default)
        => SendAsync(
            new RestRoute(HttpMethod.Get, "/channels/{channel_id}/messages/{message_id}", $"/channels/{RestRoute.Id(channelId)}/messages/{RestRoute.Id(messageId)}", RestRoute.Id(channelId)),
            null, DiscordJsonContext.Default.Message, ct);

    public Task<Channel> CreateForumPostAsync(ulong forumChannelId, string name, MessagePayload message, int? autoArchiveMinutes = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > DiscordLimits.ThreadName)
        {
            throw new DiscordLimitException($"A forum post title needs 1 to {DiscordLimits.ThreadName} characters, got {name?.Length ?? 0}.");
        }

        if (message.Files.Count > 0)
        {
            throw new DiscordLimitException("Forum posts with files are not supported by this client.");
        }

        var c = RestRoute.Id(forumChannelId);
        return SendAsync(
            new RestRoute(HttpMethod.Post, "/channels/{channel_id}/threads", $"/channels/{c}/threads", c),
            Json(new CreateForumThreadRequest { Name = name, AutoArchiveDuration = autoArchiveMinutes, Message = message.ForChannel() }, DiscordJsonContext.Default.CreateForumThreadRequest),
            DiscordJsonContext.Default.Channel, ct);
    }

    public Task<PollAnswerVoters> GetPollAnswerVotersAsync(ulong channelId, ulong messageId, int answerId, CancellationToken ct = default)
    {
        var c = RestRoute.Id(channelId);
        var a = answerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return SendAsync(
            new RestRoute(HttpMethod.Get, "/channels/{channel_id}/polls/{message_id}/answers/{answer_id}", $"/channels/{c}/polls/{RestRoute.Id(messageId)}/answers/{a}?limit=100", c),
            null, DiscordJsonContext.Default.PollAnswerVoters, ct);
    }

    public Task<GuildScheduledEvent> CreateGuildScheduledEventAsync(ulong guildId, CreateScheduledEventRequest request, CancellationToken ct = default)
    {
        request.Validate();
        var g = RestRoute.Id(guildId);
        return SendAsync(
            new RestRoute(HttpMethod.Post, "/guilds/{guild_id}/scheduled-events", $"/guilds/{g}/scheduled-events", g),
            Json(request, DiscordJsonContext.Default.CreateScheduledEventRequest), DiscordJsonContext.Default.GuildScheduledEvent, ct);
    }

    public Task<GuildScheduledEvent> GetGuildScheduledEventAsync(ulong guildId, ulong eventId, bool withUserCount = true, CancellationToken ct = default)
    {
        var g = RestRoute.Id(guildId);
        return SendAsync(
            new RestRoute(HttpMethod.Get, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"/guilds/{g}/scheduled-events/{RestRoute.Id(eventId)}{(withUserCount ? "?with_user_count=true" : "")}", g),
            null, DiscordJsonContext.Default.GuildScheduledEvent, ct);
    }

    public async Task<IReadOnlyList<GuildScheduledEvent>> ListGuildScheduledEventsAsync(ulong guildId, bool withUserCount = true, CancellationToken ct = default)
    {
        var g = RestRoute.Id(guildId);
        return await SendAsync(
            new RestRoute(HttpMethod.Get, "/guilds/{guild_id}/scheduled-events", $"/guilds/{g}/scheduled-events{(withUserCount ? "?with_user_count=true" : "")}", g),
            null, DiscordJsonContext.Default.ListGuildScheduledEvent, ct).ConfigureAwait(false);
    }

    public Task DeleteGuildScheduledEventAsync(ulong guildId, ulong eventId, CancellationToken ct = default)
    {
        var g = RestRoute.Id(guildId);
        return SendNoContentAsync(
            new RestRoute(HttpMethod.Delete, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"/guilds/{g}/scheduled-events/{RestRoute.Id(eventId)}", g),
            null, ct);
    }

    public async Task<IReadOnlyList<ScheduledEventUser>> GetGuildScheduledEventUsersAsync(ulong guildId, ulong eventId, CancellationToken ct = default)
    {
        var g = RestRoute.Id(guildId);
        return await SendAsync(
            new RestRoute(HttpMethod.Get, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users", $"/guilds/{g}/scheduled-events/{RestRoute.Id(eventId)}/users?with_member=false&limit=100", g),
            null, DiscordJsonContext.Default.ListScheduledEventUser, ct).ConfigureAwait(false);
    }

    private static RestBody Json<T>(T value, JsonTypeInfo<T> info) => new(JsonSerializer.SerializeToUtf8Bytes(value, info), []);

    private static RestBody MessageBody(MessagePayload message) => new(JsonSerializer.SerializeToUtf8Bytes(message, DiscordJsonContext.Default.MessagePayload), message.Files);

    private async Task<T> SendAsync<T>(RestRoute route, RestBody? body, JsonTypeInfo<T> responseType, CancellationToken ct)
    {
        using var response = await ExecuteAsync(route, body, ct).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes, responseType) ?? throw new DiscordRestException(response.StatusCode, null, route.RouteKey, "empty response body");
        }
        catch (JsonException ex)
        {
            throw new DiscordRestException(response.StatusCode, null, route.RouteKey, "unexpected response JSON: " + ex.Message);
        }
    }

    private async Task SendNoContentAsync(RestRoute route, RestBody? body, CancellationToken ct)
    {
        using var response = await ExecuteAsync(route, body, ct).ConfigureAwait(false);
    }

    /// <summary>Runs one call through the named pipeline; returns a successful response or throws <see cref="DiscordRestException"/>.</summary>
    private async Task<HttpResponseMessage> ExecuteAsync(RestRoute route, RestBody? body, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(RouteKey, route);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.self.AttemptAsync(state.route, state.body, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (self: this, route, body)).ConfigureAwait(false);
            outcome.ThrowIfException();
            var response = outcome.Result!;
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                DiscordErrorBody? error = null;
                try
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                    error = bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, DiscordJsonContext.Default.DiscordErrorBody);
                }
                catch (JsonException)
                {
                }

                var fields = DiscordRestException.FlattenErrors(error?.Errors);
                if (fields.Count > 0)
                {
                    // 50035 Invalid Form Body: the errors tree says which field broke which rule
                    _logger.LogWarning("Discord {Route} answered {Status} (code {Code}): {Message}; field errors: {Fields}", route.RouteKey, (int)response.StatusCode, error?.Code, error?.Message, string.Join("; ", fields));
                }
                else
                {
                    _logger.LogWarning("Discord {Route} answered {Status} (code {Code}): {Message}", route.RouteKey, (int)response.StatusCode, error?.Code, error?.Message);
                }

                throw new DiscordRestException(response.StatusCode, error?.Code, route.RouteKey, error?.Message ?? response.ReasonPhrase ?? "error", fields);
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    internal static readonly ResiliencePropertyKey<RestRoute> RouteKey = new("PaperBot.Discord.Route");

    private async Task<HttpResponseMessage> AttemptAsync(RestRoute route, RestBody? body, CancellationToken ct)
    {
        using var lease = await _limits.AcquireAsync(route, ct).ConfigureAwait(false);
        using var request = new HttpRequestMessage(route.Method, _baseUrl + route.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
        foreach (var ua in _userAgent)
        {
            request.Headers.UserAgent.Add(ua);
        }

        if (body is not null)
        {
            request.Content = body.ToContent();
        }

        _logger.LogDebug("Discord REST {Route}", route.RouteKey);
        var response = await _handler.SendAsync(request, ct).ConfigureAwait(false);
        await lease.CompleteAsync(response).ConfigureAwait(false);
        return response;
    }

    /// <summary>Whether the pipeline retries this status: 429 (after the limiter's wait) or 5xx.</summary>
    internal static bool IsRateLimited(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.TooManyRequests;

    internal static bool IsServerError(HttpResponseMessage r) => (int)r.StatusCode >= 500;
}

/// <summary>
/// A request body: JSON, or, when files are attached, multipart/form-data with the JSON as <c>payload_json</c> and each
/// file as <c>files[n]</c> (n = its id in the JSON's <c>attachments</c>). Content is built anew for every attempt, so a
/// retried upload sends the same bytes again.
/// </summary>
internal sealed record RestBody(byte[] Json, IReadOnlyList<FileAttachment> Files)
{
    public HttpContent ToContent()
    {
        var json = new ByteArrayContent(Json);
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (Files.Count == 0)
        {
            return json;
        }

        var form = new MultipartFormDataContent("paperbot-" + Guid.NewGuid().ToString("N"));
        form.Add(json, "payload_json");
        for (var i = 0; i < Files.Count; i++)
        {
            var f = Files[i];
            var part = new ReadOnlyMemoryContent(f.Content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(f.ContentType);
            form.Add(part, "files[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", f.FileName);
        }

        return form;
    }
}
