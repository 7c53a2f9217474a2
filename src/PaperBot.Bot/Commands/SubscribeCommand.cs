using PaperBot.Bot.Subscriptions;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/subscribe keywords: DM me (at most once a day) when newly ingested papers match.</summary>
public sealed class SubscribeCommand(IRecordStore<Subscription> subscriptions, IPaperStore papers, TimeProvider time) : ISlashCommand
{
    public ApplicationCommand Definition { get; } = Command("subscribe", "Get a daily DM when new papers match your keywords",
        String("keywords", "Keywords or phrases, separated by commas", required: true, maxLength: 300));

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var keywords = Subscription.ParseKeywords(context.RequireString("keywords"));
        if (keywords.Count == 0)
        {
            throw new CommandException("Give at least one keyword, e.g. `diffusion, RLHF`.");
        }

        var key = Subscription.KeyFor(context.UserId);
        var existing = subscriptions.Get(key);
        subscriptions.Put(key, new Subscription
        {
            UserId = context.UserId,
            Keywords = keywords,
            CreatedAt = time.GetUtcNow(),
            SinceRevision = existing?.SinceRevision ?? papers.CurrentRevision,
            LastNotifiedDate = existing?.LastNotifiedDate,
            NotifiedIds = existing?.NotifiedIds ?? [],
        });
        var list = string.Join(", ", keywords.Select(k => $"`{k.Replace('`', '\'')}`"));
        return Task.FromResult(CommandReply.Ephemeral(
            $"Subscribed to {list}. I'll DM you (at most once a day) when newly ingested papers match. Use `/unsubscribe` to stop."));
    }
}
