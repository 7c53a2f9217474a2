using PaperBot.Bot.Subscriptions;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/unsubscribe: stop the keyword DMs.</summary>
public sealed class UnsubscribeCommand(IRecordStore<Subscription> subscriptions) : ISlashCommand
{
    public ApplicationCommand Definition { get; } = Command("unsubscribe", "Stop the keyword DMs");

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        Task.FromResult(CommandReply.Ephemeral(subscriptions.Delete(Subscription.KeyFor(context.UserId))
            ? "Unsubscribed: no more keyword DMs."
            : "You had no subscription."));
}
