using Microsoft.Extensions.Logging;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Discord.Telemetry;

namespace PaperBot.Discord.Interactions;

/// <summary>
/// Routes INTERACTION_CREATE to handlers: commands and autocomplete by command name, components and modals by the longest
/// matching custom_id prefix. Unknown interactions and handler failures get an ephemeral answer so the user never sees
/// "This interaction failed"; exceptions are logged and never reach the gateway.
/// </summary>
public sealed class InteractionRouter(
    IEnumerable<ISlashCommandHandler> commands,
    IEnumerable<IAutocompleteHandler> autocompletes,
    IEnumerable<IComponentHandler> components,
    IEnumerable<IModalHandler> modals,
    IDiscordRestClient rest,
    TimeProvider time,
    ILogger<InteractionRouter> logger,
    DiscordMetrics? metrics = null) : IGatewayEventHandler<InteractionCreateEvent>
{
    public const string UnknownMessage = "This command is not available right now.";
    public const string ErrorMessage = "Sorry, something went wrong while handling that.";

    public ValueTask HandleAsync(InteractionCreateEvent interaction, CancellationToken cancellationToken) => HandleAsync(interaction, rest, cancellationToken);

    /// <summary>Routes an interaction whose callbacks go through <paramref name="callbacks"/> (the HTTP endpoint passes a
    /// <see cref="Http.HttpInteractionResponder"/>, so the first callback becomes its HTTP response).</summary>
    public async ValueTask HandleAsync(InteractionCreateEvent interaction, IDiscordRestClient callbacks, CancellationToken cancellationToken)
    {
        var rest = callbacks;
        metrics?.Interaction(interaction.Type);
        var context = new InteractionContext(interaction, rest, cancellationToken, time, logger, metrics);
        Func<InteractionContext, Task>? handler = null;
        string what;
        switch (interaction.Type)
        {
            case InteractionType.Ping:
                await rest.RespondPongAsync(interaction.Id, interaction.Token, cancellationToken).ConfigureAwait(false);
                return;
            case InteractionType.ApplicationCommand:
                what = "command /" + interaction.Data?.Name;
                handler = commands.FirstOrDefault(c => string.Equals(c.CommandName, interaction.Data?.Name, StringComparison.Ordinal)) is { } cmd ? cmd.HandleAsync : null;
                break;
            case InteractionType.ApplicationCommandAutocomplete:
                what = "autocomplete /" + interaction.Data?.Name;
                handler = autocompletes.FirstOrDefault(c => string.Equals(c.CommandName, interaction.Data?.Name, StringComparison.Ordinal)) is { } ac ? ac.HandleAsync : null;
                break;
            case InteractionType.MessageComponent:
                what = "component " + interaction.Data?.CustomId;
                handler = Match(components.Select(c => (c.CustomIdPrefix, (Func<InteractionContext, Task>)c.HandleAsync)), interaction.Data?.CustomId, context);
                break;
            case InteractionType.ModalSubmit:
                what = "modal " + interaction.Data?.CustomId;
                handler = Match(modals.Select(c => (c.CustomIdPrefix, (Func<InteractionContext, Task>)c.HandleAsync)), interaction.Data?.CustomId, context);
                break;
            default:
                logger.LogWarning("Ignoring interaction of unknown type {Type}", (int)interaction.Type);
                return;
        }

        if (handler is null)
        {
            logger.LogWarning("No handler for {What}", what);
            await AnswerFailureAsync(context, UnknownMessage).ConfigureAwait(false);
            return;
        }

        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Interaction handler for {What} failed", what);
            await AnswerFailureAsync(context, ErrorMessage).ConfigureAwait(false);
        }
    }

    private static Func<InteractionContext, Task>? Match(IEnumerable<(string Prefix, Func<InteractionContext, Task> Handle)> handlers, string? customId, InteractionContext context)
    {
        if (customId is null)
        {
            return null;
        }

        var best = handlers.Where(h => customId.StartsWith(h.Prefix, StringComparison.Ordinal))
            .OrderByDescending(h => h.Prefix.Length)
            .FirstOrDefault();
        if (best.Handle is null)
        {
            return null;
        }

        var rest = customId[best.Prefix.Length..];
        context.CustomIdArgs = rest.StartsWith(':') ? rest[1..] : rest;
        return best.Handle;
    }

    private async Task AnswerFailureAsync(InteractionContext context, string text)
    {
        try
        {
            if (context.Interaction.Type == InteractionType.ApplicationCommandAutocomplete)
            {
                if (!context.HasResponded)
                {
                    await context.AutocompleteAsync([]).ConfigureAwait(false);
                }

                return;
            }

            var message = new MessageBuilder(text).AsEphemeral().Build();
            if (!context.HasResponded)
            {
                await context.RespondAsync(message).ConfigureAwait(false);
            }
            else if (context.IsDeferred)
            {
                await context.FollowupAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException or InvalidOperationException or InteractionExpiredException)
        {
            logger.LogWarning("Could not tell the user about the failure: {Error}", ex.Message);
        }
    }
}
