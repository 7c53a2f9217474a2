using Microsoft.Extensions.Logging;
using PaperBot.Bot.Commands;
using PaperBot.Bot.RateLimiting;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot.Interactions;

/// <summary>
/// Runs PaperBot's commands, autocomplete and buttons for the Discord interaction router. The router handles one gateway
/// event at a time, so everything here returns at once: LLM work is deferred (type 5) first and then finished on
/// <see cref="BotWork"/> by editing @original. Errors reach the user as short ephemeral messages (flags 64), never stack traces.
/// </summary>
public sealed class InteractionDispatcher(UserRateLimiter limiter, BotWork work, ILogger<InteractionDispatcher> logger, BotMetrics? metrics = null)
{
    public const string GenericError = "Sorry, something went wrong while handling that. Please try again in a moment.";

    public async Task HandleCommandAsync(InteractionContext ctx, ISlashCommand command)
    {
        var context = new CommandContext(ctx.Interaction);
        var lease = command.Costly ? limiter.TryAcquire(context.UserId) : null;
        if (lease is { Allowed: false })
        {
            await ctx.RespondAsync(lease.Message!, ephemeral: true);
            return;
        }

        var what = "/" + command.Definition.Name;
        metrics?.Command(what);
        try
        {
            if (command.Mode == ResponseMode.Deferred)
            {
                // the deferral is sent from the work item too, so the next gateway event is not held up by this POST
                var owned = lease;
                lease = null;
                work.Run(what, async ct =>
                {
                    using (owned)
                    {
                        await ctx.DeferAsync();
                        await FinishDeferredAsync(ctx, what, ephemeral: false, c => command.ExecuteAsync(context, c), ct);
                    }
                });
                return;
            }

            work.Run(what, ct => RespondAsync(ctx, what, update: false, c => command.ExecuteAsync(context, c), ct));
        }
        finally
        {
            lease?.Dispose();
        }
    }

    public Task HandleAutocompleteAsync(InteractionContext ctx, IAutocompleteCommand command)
    {
        work.Run("autocomplete /" + command.Definition.Name, async ct =>
        {
            IReadOnlyList<ApplicationCommandOptionChoice> choices = [];
            try
            {
                if (ctx.Interaction.FocusedOption() is { } focused)
                {
                    choices = await command.AutocompleteAsync(new CommandContext(ctx.Interaction), focused, ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Autocomplete for /{Command} failed", command.Definition.Name);
            }

            await ctx.AutocompleteAsync(choices.Take(DiscordLimits.AutocompleteChoices).ToList());
        });
        return Task.CompletedTask;
    }

    public async Task HandleButtonAsync(InteractionContext ctx, IButtonHandler handler)
    {
        var context = new CommandContext(ctx.Interaction);
        var customId = ctx.Interaction.Data?.CustomId ?? "";
        var lease = handler.Costly ? limiter.TryAcquire(context.UserId) : null;
        if (lease is { Allowed: false })
        {
            await ctx.RespondAsync(lease.Message!, ephemeral: true);
            return;
        }

        var what = "button " + handler.Prefix;
        metrics?.Command(what);
        try
        {
            if (handler.Response == ComponentResponse.DeferredEphemeral)
            {
                var owned = lease;
                lease = null;
                work.Run(what, async ct =>
                {
                    using (owned)
                    {
                        await ctx.DeferAsync(ephemeral: true);
                        await FinishDeferredAsync(ctx, what, ephemeral: true, c => handler.ExecuteAsync(context, customId, c), ct);
                    }
                });
                return;
            }

            work.Run(what, ct => RespondAsync(ctx, what, update: true, c => handler.ExecuteAsync(context, customId, c), ct));
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>Runs fast work and answers with type 4 (or 7 for a button's message update).</summary>
    private async Task RespondAsync(InteractionContext ctx, string what, bool update, Func<CancellationToken, Task<CommandReply>> run, CancellationToken ct)
    {
        CommandReply reply;
        MessagePayload first;
        try
        {
            reply = await run(ct);
            first = reply.Messages[0].Build();
        }
        catch (CommandException ex)
        {
            await ctx.RespondAsync(ex.Message, ephemeral: true);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "{What} failed", what);
            await ctx.RespondAsync(GenericError, ephemeral: true);
            return;
        }

        if (update)
        {
            await ctx.UpdateMessageAsync(first);
        }
        else if (reply.Sent is not null)
        {
            NotifySent(reply, await ctx.RespondAndGetMessageAsync(first), what);
        }
        else
        {
            await ctx.RespondAsync(first);
        }

        await FollowUpsAsync(ctx, reply, reply.Messages[0].Ephemeral);
    }

    /// <summary>After a deferral: run, edit @original with the first message, post the rest as follow-ups.</summary>
    private async Task FinishDeferredAsync(InteractionContext ctx, string what, bool ephemeral, Func<CancellationToken, Task<CommandReply>> run, CancellationToken ct)
    {
        string? error = null;
        CommandReply? reply = null;
        MessagePayload? first = null;
        try
        {
            reply = await run(ct);
            first = reply.Messages[0].Build();
        }
        catch (CommandException ex)
        {
            error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "{What} failed", what);
            error = GenericError;
        }

        if (error is not null)
        {
            if (ephemeral || !ctx.IsTokenAlive)
            {
                // past the token's 15 minutes FinishAsync tells the user in the channel (never showing an ephemeral text there)
                await ctx.FinishAsync(new MessageBuilder(error).AsEphemeral(ephemeral || !ctx.IsTokenAlive).Build());
            }
            else
            {
                // the public "thinking…" message becomes an ephemeral note only the user sees
                await ctx.DeleteResponseAsync();
                await ctx.FollowupOrPostAsync(new MessageBuilder(error).AsEphemeral().Build());
            }

            return;
        }

        // FinishAsync edits @original while the token lives; when the work took longer than Discord's 15 minutes it posts the
        // answer in the channel instead, mentioning only the user
        NotifySent(reply!, await ctx.FinishAsync(first!), what);
        await FollowUpsAsync(ctx, reply!, ephemeral, deferred: true);
    }

    private void NotifySent(CommandReply reply, Message? sent, string what)
    {
        if (sent is null || reply.Sent is null)
        {
            return;
        }

        try
        {
            reply.Sent(sent);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{What}: recording the sent message failed", what);
        }
    }

    private static async Task FollowUpsAsync(InteractionContext ctx, CommandReply reply, bool ephemeral, bool deferred = false)
    {
        foreach (var m in reply.Messages.Skip(1))
        {
            var payload = m.AsEphemeral(ephemeral || m.Ephemeral).Build();
            if (deferred)
            {
                await ctx.FollowupOrPostAsync(payload);
            }
            else
            {
                await ctx.FollowupAsync(payload);
            }
        }
    }
}
