using PaperBot.AI.Offline;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Interactions;
using PaperBot.Core.Papers;

namespace PaperBot.Bot.Polls;

/// <summary>
/// The "📅 Schedule" button on a poll's result (custom_id "rgs|paperId"): tells the clicker, only them, the
/// /readinggroup schedule command for the winning paper, with a suggested time a week from now (bots cannot pre-fill a
/// slash command in the user's input box).
/// </summary>
public sealed class ScheduleButtonHandler(IPaperStore store, TimeProvider time) : IButtonHandler
{
    public const string IdPrefix = "rgs|";

    public string Prefix => IdPrefix;

    public ComponentResponse Response => ComponentResponse.DeferredEphemeral;

    public bool Costly => false;

    public static string CustomIdFor(string paperId) => IdPrefix + paperId;

    public Task<CommandReply> ExecuteAsync(CommandContext context, string customId, CancellationToken cancellationToken)
    {
        var paper = PaperCommand.Require(store, customId[IdPrefix.Length..]);
        var suggested = time.GetUtcNow().AddDays(7);
        return Task.FromResult(CommandReply.Ephemeral(
            $"📅 To schedule **{MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(paper.Title), 200))}**, run:\n"
            + $"`/readinggroup schedule paper:{paper.Id} when:{suggested:yyyy-MM-dd} 18:00 timezone:UTC`\n"
            + "Change the date, time and time zone as you like; add `channel:` for a voice or forum channel. You need the **Create Events** permission."));
    }
}
