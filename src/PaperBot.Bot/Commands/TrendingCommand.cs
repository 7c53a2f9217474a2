using PaperBot.Bot.Formatting;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/trending [days] [top]: the most upvoted papers featured in the last days.</summary>
public sealed class TrendingCommand(IPaperStore store, TimeProvider time) : ISlashCommand
{
    public ApplicationCommand Definition { get; } = Command("trending", "Most upvoted recent papers",
        Integer("days", "How many days back (default 1)", 1, 30),
        Integer("top", "How many papers (default 5)", 1, 10));

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var days = context.GetInt("days", 1, 30) ?? 1;
        var top = context.GetInt("top", 1, 10) ?? 5;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = today.AddDays(1 - days);
        var result = TrendingWindow.Find(store, from, today, top);
        var papers = result.Papers;
        var span = days == 1 ? "today" : $"the last {days} days";
        var message = papers.Count == 0
            ? new MessageBuilder($"No papers featured {span} are in the database yet.")
            : result.Notice(from, today) is { } notice
                ? new MessageBuilder(notice).AddEmbed(PaperEmbeds.List("Trending papers of the newest featured days", PaperEmbeds.AsHits(papers)))
                : new MessageBuilder().AddEmbed(PaperEmbeds.List($"Trending papers of {span}", PaperEmbeds.AsHits(papers)));
        return Task.FromResult(CommandReply.Of(message));
    }
}
