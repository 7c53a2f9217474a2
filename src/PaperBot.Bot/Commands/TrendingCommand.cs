using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>
/// /trending [days] [top] [scope]: papers featured in the last days. scope:global ranks by HF upvotes; scope:server (the
/// default in a server) blends them with this server's reactions, views, summaries and questions (<see cref="TrendingRanker"/>).
/// </summary>
public sealed class TrendingCommand(IPaperStore store, TimeProvider time, TrendingRanker ranker, TrendingMessage render) : ISlashCommand
{
    /// <summary>How many featured papers of the window are candidates for the blend.</summary>
    public const int CandidatePool = 500;

    public ApplicationCommand Definition { get; } = Command("trending", "Trending papers: this server's blend or HF upvotes",
        Integer("days", "How many days back (default 1)", 1, 30),
        Integer("top", "How many papers (default 5)", 1, 10),
        String("scope", "server (default in a server): upvotes + this server's activity; global: HF upvotes").Choices("server", "global"));

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var days = context.GetInt("days", 1, 30) ?? 1;
        var top = context.GetInt("top", 1, 10) ?? 5;
        TrendingScope scope;
        try
        {
            scope = TrendingRanker.ParseScope(context.GetString("scope"), context.GuildId is not null);
        }
        catch (ArgumentException ex)
        {
            throw new CommandException(ex.Message);
        }

        if (scope == TrendingScope.Server && context.GuildId is null)
        {
            throw new CommandException("`scope:server` works in a server; in DMs use `scope:global`.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = today.AddDays(1 - days);
        var result = TrendingWindow.Find(store, from, today, scope == TrendingScope.Server ? CandidatePool : top);
        var ranked = ranker.Rank(result.Papers, context.GuildId, scope, top, includeServerPapers: true);
        var span = days == 1 ? "today" : $"the last {days} days";
        var message = ranked.Count == 0
            ? new MessageBuilder($"No papers featured {span} are in the database yet.")
            : render.Build(ranked, scope, span, result.Notice(from, today));
        return Task.FromResult(CommandReply.Of(message));
    }
}
