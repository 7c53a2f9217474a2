using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Discord.Interactions;

/// <summary>
/// One interaction plus the calls that answer it. Respond once within 3 s (<see cref="RespondAsync(MessagePayload)"/>,
/// <see cref="DeferAsync"/>, <see cref="UpdateMessageAsync"/>, <see cref="DeferUpdateAsync"/>, <see cref="AutocompleteAsync"/>,
/// <see cref="ShowModalAsync"/>), then edit the original or send follow-ups for up to 15 minutes.
/// </summary>
public sealed class InteractionContext(Interaction interaction, IDiscordRestClient rest, CancellationToken cancellationToken)
{
    private int _responded;

    public Interaction Interaction { get; } = interaction;

    public IDiscordRestClient Rest { get; } = rest;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Whether the initial callback was sent (or deferred).</summary>
    public bool HasResponded => Volatile.Read(ref _responded) != 0;

    /// <summary>Whether the initial callback was a deferral (type 5/6), so the final answer goes to @original.</summary>
    public bool IsDeferred { get; private set; }

    /// <summary>For component and modal interactions: the custom_id text after the handler's prefix (and one ':' separator).</summary>
    public string CustomIdArgs { get; internal set; } = "";

    public User? User => Interaction.Invoker;

    public Task RespondAsync(string content, bool ephemeral = false)
        => RespondAsync(new MessageBuilder(content).AsEphemeral(ephemeral).Build());

    /// <summary>Callback type 4.</summary>
    public Task RespondAsync(MessagePayload message)
    {
        MarkResponded();
        return Rest.RespondWithMessageAsync(Interaction.Id, Interaction.Token, message, CancellationToken);
    }

    /// <summary>Callback type 5: shows "thinking…"; finish with <see cref="EditResponseAsync"/>.</summary>
    public Task DeferAsync(bool ephemeral = false)
    {
        MarkResponded();
        IsDeferred = true;
        return Rest.DeferAsync(Interaction.Id, Interaction.Token, ephemeral, CancellationToken);
    }

    /// <summary>Callback type 6 (components): acknowledge now, edit the message later.</summary>
    public Task DeferUpdateAsync()
    {
        MarkResponded();
        IsDeferred = true;
        return Rest.DeferUpdateAsync(Interaction.Id, Interaction.Token, CancellationToken);
    }

    /// <summary>Callback type 7 (components): replace the message the component is on.</summary>
    public Task UpdateMessageAsync(MessagePayload message)
    {
        MarkResponded();
        return Rest.UpdateMessageAsync(Interaction.Id, Interaction.Token, message, CancellationToken);
    }

    /// <summary>Callback type 8.</summary>
    public Task AutocompleteAsync(IReadOnlyList<ApplicationCommandOptionChoice> choices)
    {
        MarkResponded();
        return Rest.RespondAutocompleteAsync(Interaction.Id, Interaction.Token, choices, CancellationToken);
    }

    /// <summary>Callback type 9.</summary>
    public Task ShowModalAsync(ModalPayload modal)
    {
        MarkResponded();
        return Rest.RespondWithModalAsync(Interaction.Id, Interaction.Token, modal, CancellationToken);
    }

    /// <summary>PATCH @original (after a deferral, or to change the first answer).</summary>
    public Task<Message> EditResponseAsync(MessagePayload message) => Rest.EditOriginalResponseAsync(Interaction.Token, message, CancellationToken);

    public Task DeleteResponseAsync() => Rest.DeleteOriginalResponseAsync(Interaction.Token, CancellationToken);

    public Task<Message> FollowupAsync(MessagePayload message) => Rest.CreateFollowupAsync(Interaction.Token, message, CancellationToken);

    private void MarkResponded()
    {
        if (Interlocked.Exchange(ref _responded, 1) != 0)
        {
            throw new InvalidOperationException("This interaction was already answered; use EditResponseAsync or FollowupAsync.");
        }
    }
}
