using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.ReadingGroup;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Polls;

/// <summary>
/// /vote papers [hours]: a native Discord poll (the message's <c>poll</c> object) with 2-10 candidate papers, one answer
/// each (the title cut to Discord's 55 characters), single choice, open for <c>hours</c> (1-768, Discord's limit; default
/// ReadingGroup:PollHours). The poll is tracked, and its winner announced when it ends (<see cref="PaperPolls"/>).
/// </summary>
public sealed class VoteCommand(IPaperStore store, PaperSuggestions suggestions, PaperPolls polls, ReadingSessions sessions, TimeProvider time) : IAutocompleteCommand
{
    public const string Question = "Which paper should we read next?";

    public ApplicationCommand Definition { get; } = BuildDefinition();

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.GuildId is not { } guildId)
        {
            throw new CommandException("`/vote` works in a server, not in DMs.");
        }

        var ids = PaperIdList.Parse(context.RequireString("papers")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ids.Count is < 2 or > PollRequest.AnswersMax)
        {
            throw new CommandException($"Give 2 to {PollRequest.AnswersMax} different paper ids (got {ids.Count}).");
        }

        var papers = new List<Paper>();
        foreach (var id in ids)
        {
            papers.Add(PaperCommand.Require(store, id));
        }

        var hours = context.GetInt("hours", 1, PollRequest.DurationHoursMax) ?? sessions.Options.PollHours;
        var titles = papers.Select(p => PaperText.Truncate(PaperText.OneLine(p.Title), PollRequest.AnswerMax)).ToList();
        var ends = time.GetUtcNow().AddHours(hours);
        var message = new MessageBuilder($"🗳️ <@{context.UserId}> asks: which paper should the reading group read next? The poll ends <t:{ends.ToUnixTimeSeconds()}:R>; I'll announce the winner.")
            .WithPoll(PollRequest.Create(Question, titles, hours));
        return Task.FromResult(CommandReply.Of(message) with
        {
            Sent = m => polls.Track(new PaperPoll
            {
                GuildId = guildId,
                ChannelId = m.ChannelId,
                MessageId = m.Id,
                PaperIds = papers.Select(p => p.Id).ToList(),
                Titles = papers.Select(p => PaperText.OneLine(p.Title)).ToList(),
                ExpiresAt = m.Poll?.Expiry ?? ends,
                CreatedBy = context.UserId,
                LiveVotes = papers.Select(_ => 0).ToList(),
            }),
        });
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken) =>
        Task.FromResult(focused.Name == "papers" ? suggestions.Suggest(focused.GetString(), multiple: true) : []);

    private static ApplicationCommand BuildDefinition()
    {
        var command = Command("vote", "Let the server vote on the next paper to read (a Discord poll)",
            String("papers", "2-10 paper ids separated by commas — start typing a title", required: true, autocomplete: true, maxLength: 1000),
            Integer("hours", "How long the poll stays open, in hours (default 24, at most 768)", 1, PollRequest.DurationHoursMax));
        command.Contexts = [0];
        return command;
    }
}
