using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Discord.Telemetry;

namespace PaperBot.Discord.Interactions;

/// <summary>The interaction can no longer be answered through its token (past 15 minutes, or Discord answered 10062/50027/10015).</summary>
public sealed class InteractionExpiredException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One interaction plus the calls that answer it. Respond once within 3 s (<see cref="RespondAsync(MessagePayload)"/>,
/// <see cref="DeferAsync"/>, <see cref="UpdateMessageAsync"/>, <see cref="DeferUpdateAsync"/>, <see cref="AutocompleteAsync"/>,
/// <see cref="ShowModalAsync"/>), then edit the original or send follow-ups while the token lives (15 minutes).
/// <see cref="FinishAsync"/> and <see cref="FollowupOrPostAsync"/> respect that window: when the work finished too late, they
/// post in the channel instead and mention only the user.
/// </summary>
public sealed class InteractionContext
{
    /// <summary>Discord's window for the first response (callback).</summary>
    public static readonly TimeSpan ResponseWindow = TimeSpan.FromSeconds(3);

    /// <summary>Lifetime of the interaction token (edits of @original and follow-ups).</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Requests are not started this close to the end of the token's life (they would arrive too late).</summary>
    public static readonly TimeSpan TokenSafetyMargin = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _responded;
    private volatile bool _tokenDead;
    private bool _lateNoticeSent;

    private readonly DiscordMetrics? _metrics;

    public InteractionContext(Interaction interaction, IDiscordRestClient rest, CancellationToken cancellationToken, TimeProvider? time = null, ILogger? logger = null, DiscordMetrics? metrics = null)
    {
        _metrics = metrics;
        Interaction = interaction;
        Rest = rest;
        CancellationToken = cancellationToken;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        ReceivedAt = _time.GetUtcNow();

        // Discord created the interaction at its snowflake's time; trust it when it is plausible (clocks agree within a minute).
        var created = DateTimeOffset.FromUnixTimeMilliseconds((long)(interaction.Id >> 22) + 1420070400000);
        CreatedAt = created <= ReceivedAt && ReceivedAt - created < TimeSpan.FromMinutes(1) ? created : ReceivedAt;
    }

    public Interaction Interaction { get; }

    public IDiscordRestClient Rest { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>When the gateway event was handled here.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>When Discord created the interaction (from its id), or <see cref="ReceivedAt"/> if that looks off.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The first response must reach Discord before this.</summary>
    public DateTimeOffset ResponseDeadline => CreatedAt + ResponseWindow;

    /// <summary>After this, @original cannot be edited and no follow-up can be sent.</summary>
    public DateTimeOffset TokenExpiresAt => CreatedAt + TokenLifetime;

    /// <summary>Whether the token can still be used (with a safety margin) and Discord has not said it is gone.</summary>
    public bool IsTokenAlive => !_tokenDead && _time.GetUtcNow() < TokenExpiresAt - TokenSafetyMargin;

    /// <summary>Whether the initial callback was sent (or deferred).</summary>
    public bool HasResponded => Volatile.Read(ref _responded) != 0;

    /// <summary>Whether the initial callback was a deferral (type 5/6), so the final answer goes to @original.</summary>
    public bool IsDeferred { get; private set; }

    /// <summary>The first response came too late (Discord answered 10062): the user saw "This interaction failed".</summary>
    public bool ResponseMissed { get; private set; }

    /// <summary>For component and modal interactions: the custom_id text after the handler's prefix (and one ':' separator).</summary>
    public string CustomIdArgs { get; internal set; } = "";

    public User? User => Interaction.Invoker;

    public Task RespondAsync(string content, bool ephemeral = false)
        => RespondAsync(new MessageBuilder(content).AsEphemeral(ephemeral).Build());

    /// <summary>Callback type 4. If Discord says the interaction is unknown (answered after 3 s), a public message is posted in the channel instead.</summary>
    public Task RespondAsync(MessagePayload message)
    {
        MarkResponded();
        return CallbackOrPostAsync(() => Rest.RespondWithMessageAsync(Interaction.Id, Interaction.Token, message, CancellationToken), message);
    }

    /// <summary>
    /// Callback type 4 that also returns the message Discord created (<c>?with_response=true</c>), e.g. to remember its id for
    /// reactions. When Discord says the interaction is unknown (too late), the message posted in the channel instead is returned.
    /// </summary>
    public async Task<Message?> RespondAndGetMessageAsync(MessagePayload message)
    {
        MarkResponded();
        try
        {
            return await Rest.RespondWithMessageAndGetAsync(Interaction.Id, Interaction.Token, message, CancellationToken).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.IsInteractionExpired)
        {
            ResponseMissed = true;
            _tokenDead = true;
            _logger.LogWarning("Interaction {Id} was answered too late (code {Code})", Interaction.Id, ex.DiscordCode);
            return await PostLateAsync(message).ConfigureAwait(false);
        }
    }

    /// <summary>Callback type 5: shows "thinking…"; finish with <see cref="FinishAsync"/> (or <see cref="EditResponseAsync"/>).
    /// A deferral that came too late (10062) is logged, and <see cref="FinishAsync"/> then posts in the channel.</summary>
    public Task DeferAsync(bool ephemeral = false)
    {
        MarkResponded();
        IsDeferred = true;
        return CallbackOrPostAsync(() => Rest.DeferAsync(Interaction.Id, Interaction.Token, ephemeral, CancellationToken), null);
    }

    /// <summary>Callback type 6 (components): acknowledge now, edit the message later.</summary>
    public Task DeferUpdateAsync()
    {
        MarkResponded();
        IsDeferred = true;
        return CallbackOrPostAsync(() => Rest.DeferUpdateAsync(Interaction.Id, Interaction.Token, CancellationToken), null);
    }

    /// <summary>Callback type 7 (components): replace the message the component is on.</summary>
    public Task UpdateMessageAsync(MessagePayload message)
    {
        MarkResponded();
        return CallbackOrPostAsync(() => Rest.UpdateMessageAsync(Interaction.Id, Interaction.Token, message, CancellationToken), message);
    }

    /// <summary>Callback type 8. Too late is simply dropped: the user has typed on.</summary>
    public async Task AutocompleteAsync(IReadOnlyList<ApplicationCommandOptionChoice> choices)
    {
        MarkResponded();
        try
        {
            await Rest.RespondAutocompleteAsync(Interaction.Id, Interaction.Token, choices, CancellationToken).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.IsInteractionExpired)
        {
            ResponseMissed = true;
            _logger.LogInformation("Autocomplete answer for interaction {Id} came too late ({Code}); dropped", Interaction.Id, ex.DiscordCode);
        }
    }

    /// <summary>Callback type 9.</summary>
    public Task ShowModalAsync(ModalPayload modal)
    {
        MarkResponded();
        return CallbackOrPostAsync(() => Rest.RespondWithModalAsync(Interaction.Id, Interaction.Token, modal, CancellationToken), null);
    }

    /// <summary>PATCH @original (after a deferral, or to change the first answer). Throws <see cref="InteractionExpiredException"/>
    /// without sending anything once the token is past its 15 minutes.</summary>
    public Task<Message> EditResponseAsync(MessagePayload message)
        => WithTokenAsync(() => Rest.EditOriginalResponseAsync(Interaction.Token, message, CancellationToken), "edit @original");

    public Task DeleteResponseAsync()
        => WithTokenAsync(async () =>
        {
            await Rest.DeleteOriginalResponseAsync(Interaction.Token, CancellationToken).ConfigureAwait(false);
            return true;
        }, "delete @original");

    /// <summary>POST a follow-up. Throws <see cref="InteractionExpiredException"/> without sending once the token is past its 15 minutes.</summary>
    public Task<Message> FollowupAsync(MessagePayload message)
        => WithTokenAsync(() => Rest.CreateFollowupAsync(Interaction.Token, message, CancellationToken), "follow-up");

    /// <summary>
    /// Delivers the final answer of a deferred interaction: edits @original while the token lives (or sends a follow-up when
    /// there was no deferral); when the work finished too late, posts it in the channel instead (see <see cref="PostLateAsync"/>).
    /// Returns the message shown, or null when nothing could be shown.
    /// </summary>
    public async Task<Message?> FinishAsync(MessagePayload message)
    {
        if (IsTokenAlive && !ResponseMissed)
        {
            try
            {
                return IsDeferred || HasResponded ? await EditResponseAsync(message).ConfigureAwait(false) : await FollowupAsync(message).ConfigureAwait(false);
            }
            catch (InteractionExpiredException)
            {
                // fall through to the channel
            }
        }

        return await PostLateAsync(message).ConfigureAwait(false);
    }

    /// <summary>A further message of the answer: a follow-up while the token lives, else a channel message (see <see cref="PostLateAsync"/>).</summary>
    public async Task<Message?> FollowupOrPostAsync(MessagePayload message)
    {
        if (IsTokenAlive && !ResponseMissed)
        {
            try
            {
                return await FollowupAsync(message).ConfigureAwait(false);
            }
            catch (InteractionExpiredException)
            {
            }
        }

        return await PostLateAsync(message, noticeAlreadySent: _lateNoticeSent).ConfigureAwait(false);
    }

    /// <summary>
    /// Tells the user in the interaction's channel that the answer came too late for the interaction, mentioning only them
    /// (<c>allowed_mentions.users</c>), then posts the message there if it was public. An ephemeral message is never posted
    /// publicly: the user is asked to run the command again.
    /// </summary>
    public async Task<Message?> PostLateAsync(MessagePayload message, bool noticeAlreadySent = false)
    {
        if (Interaction.ChannelId is not { } channel)
        {
            _logger.LogWarning("Interaction {Id} finished too late and has no channel to post in; the answer is dropped", Interaction.Id);
            return null;
        }

        var user = User?.Id ?? 0;
        var ephemeral = ((message.Flags ?? 0) & MessageFlags.Ephemeral) != 0;
        var what = Interaction.Type == InteractionType.ApplicationCommand && Interaction.Data?.Name is { } name ? $"`/{name}`" : "request";
        try
        {
            Message? notice = null;
            if (!noticeAlreadySent)
            {
                _lateNoticeSent = true;
                var text = ephemeral
                    ? $"<@{user.ToString(CultureInfo.InvariantCulture)}> your {what} finished after Discord's time limit for answering it, and its answer was only for you, so it is not shown here. Please run it again."
                    : $"<@{user.ToString(CultureInfo.InvariantCulture)}> your {what} finished after Discord's time limit for answering it, so the answer is posted here:";
                notice = await Rest.CreateMessageAsync(channel, new MessageBuilder(text).WithAllowedMentions(user == 0 ? AllowedMentions.None : AllowedMentions.ForUsers(user)).Build(), CancellationToken).ConfigureAwait(false);
            }

            _logger.LogInformation("Interaction {Id} finished too late for its token; posted in channel {Channel} instead", Interaction.Id, channel);
            if (ephemeral)
            {
                return notice;
            }

            return await Rest.CreateMessageAsync(channel, message.ForChannel(), CancellationToken).ConfigureAwait(false);
        }
        catch (DiscordRestException ex)
        {
            _logger.LogWarning("Interaction {Id} finished too late, and posting in channel {Channel} failed too: {Error}", Interaction.Id, channel, ex.Message);
            return null;
        }
    }

    private async Task CallbackOrPostAsync(Func<Task> callback, MessagePayload? message)
    {
        try
        {
            await callback().ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.IsInteractionExpired)
        {
            ResponseMissed = true;
            _tokenDead = true;
            var late = _time.GetUtcNow() - ResponseDeadline;
            _logger.LogWarning("Interaction {Id} was answered too late (code {Code}, {Late} ms after the 3 s window)", Interaction.Id, ex.DiscordCode, (int)Math.Max(0, late.TotalMilliseconds));
            if (message is not null)
            {
                await PostLateAsync(message).ConfigureAwait(false);
            }
        }
    }

    private async Task<T> WithTokenAsync<T>(Func<Task<T>> call, string what)
    {
        if (!IsTokenAlive)
        {
            throw new InteractionExpiredException($"Cannot {what}: the interaction token expired (15 minutes) or Discord no longer knows the interaction.");
        }

        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.IsInteractionExpired)
        {
            _tokenDead = true;
            throw new InteractionExpiredException($"Cannot {what}: Discord answered {ex.DiscordCode} (the interaction or its token is gone).", ex);
        }
    }

    private void MarkResponded()
    {
        if (Interlocked.Exchange(ref _responded, 1) != 0)
        {
            throw new InvalidOperationException("This interaction was already answered; use EditResponseAsync or FollowupAsync.");
        }

        _metrics?.FirstResponse(Interaction.Type, _time.GetUtcNow() - ReceivedAt);
    }
}
