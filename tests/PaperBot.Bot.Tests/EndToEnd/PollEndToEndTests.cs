using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Bot.Polls;
using PaperBot.Core.Persistence;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>/vote: a native poll through the real host and the strict fake Discord, its votes and its announced result.</summary>
public sealed class PollEndToEndTests
{
    private static readonly FakeUser[] Voters =
    [
        new(700000000000000501, "v1"), new(700000000000000502, "v2"), new(700000000000000503, "v3"), new(700000000000000504, "v4"),
    ];

    private static async Task<(FakeInteraction Interaction, ulong MessageId)> VoteAsync(BotHarness h, RunningBot bot, string papers, int? hours = null)
    {
        var options = new List<FakeOption> { FakeOption.String("papers", papers) };
        if (hours is { } hrs)
        {
            options.Add(FakeOption.Integer("hours", hrs));
        }

        var i = await h.Discord.Interactions.SlashCommandAsync("vote", options);
        var cb = await i.WaitForCallbackAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(4, cb.Type);
        await Eventually.TrueAsync(() => i.OriginalMessage is not null, "the poll message");
        var id = ulong.Parse(i.OriginalMessage!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var polls = bot.Services.GetRequiredService<PaperPolls>();
        await Eventually.TrueAsync(() => polls.Get(id) is not null, "the poll tracked");
        return (i, id);
    }

    private static List<JsonObject> Announcements(BotHarness h) =>
        h.Discord.Rest.CreatedMessages.Where(m => m["content"]!.GetValue<string>().StartsWith("🗳️ The paper vote has ended", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_poll_of_papers_ends_with_the_winner_announced_once_and_a_schedule_button()
    {
        var time = ReadingGroupEndToEndTests.Clock();
        await using var h = await ReadingGroupEndToEndTests.HarnessAsync(time);
        await using var bot = await h.StartBotAsync();

        var (vote, pollId) = await VoteAsync(h, bot, "2611.10000, 2611.10001, 2611.10002", hours: 2);
        var poll = (await vote.Callback).Data!["poll"]!;
        Assert.Equal("Which paper should we read next?", poll["question"]!["text"]!.GetValue<string>());
        var answers = poll["answers"]!.AsArray().Select(a => a!["poll_media"]!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(["Diffusion Model Study 00: image generation", "Diffusion Model Study 01: video synthesis", "Diffusion Model Study 02: audio generation"], answers);
        Assert.All(answers, a => Assert.True(a.Length <= 55));
        Assert.Equal(2, poll["duration"]!.GetValue<int>());
        Assert.False(poll["allow_multiselect"]!.GetValue<bool>());

        // live counts from MESSAGE_POLL_VOTE_ADD (GUILD_MESSAGE_POLLS is in the bot's intents)
        Assert.NotEqual(0, h.Discord.Gateway.IdentifiedIntents & FakeRest.GuildMessagePollsIntent);
        await h.Discord.Rest.VoteAsync(pollId, Voters[0].Id, 2);
        await h.Discord.Rest.VoteAsync(pollId, Voters[1].Id, 2);
        await h.Discord.Rest.VoteAsync(pollId, Voters[2].Id, 1);
        var polls = bot.Services.GetRequiredService<PaperPolls>();
        await Eventually.TrueAsync(() => polls.Get(pollId)!.LiveVotes.Sum() == 3, "live votes");
        Assert.Equal([1, 2, 0], polls.Get(pollId)!.LiveVotes);

        // the poll ends: MESSAGE_UPDATE with finalized results → one announcement replying to the poll
        time.Advance(TimeSpan.FromHours(2));
        await h.Discord.Rest.EndPollAsync(pollId);
        await Eventually.TrueAsync(() => Announcements(h).Count == 1, "the announcement");
        var announcement = Announcements(h)[0];
        Assert.Contains("**Diffusion Model Study 01: video synthesis** (`2611.10001`) wins with 2 votes of 3", announcement["content"]!.GetValue<string>());
        Assert.Equal(pollId.ToString(CultureInfo.InvariantCulture), announcement["message_reference"]!["message_id"]!.GetValue<string>());
        var button = Assert.Single(announcement["components"]![0]!["components"]!.AsArray())!;
        Assert.Equal("rgs|2611.10001", button["custom_id"]!.GetValue<string>());

        var click = await h.Discord.Interactions.ClickButtonAsync("rgs|2611.10001", ulong.Parse(announcement["id"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(5, (await click.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Type);
        await Eventually.TrueAsync(() => click.OriginalMessage?["content"]?.GetValue<string>()?.Contains("/readinggroup schedule", StringComparison.Ordinal) == true, "the schedule hint");
        Assert.Contains("`/readinggroup schedule paper:2611.10001 when:2026-12-08 18:00 timezone:UTC`", click.OriginalMessage!["content"]!.GetValue<string>());

        // the watcher sees it announced: nothing more after the grace period, nor after a restart
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        Assert.Single(Announcements(h));
        var record = bot.Services.GetRequiredService<IRecordStore<PollAnnouncement>>().Get(PaperPoll.KeyFor(pollId))!;
        Assert.Equal("results", record.Source);
        Assert.Equal([1, 2, 0], record.Counts);
        Assert.Empty(h.Discord.Rest.Violations);
    }

    /// <summary>
    /// The host stops while the result's create-message request is in flight (Discord has created it, the answer is
    /// held): the announcement is finished and its message id recorded; after a restart nothing more is sent. Before,
    /// the stop cancelled the request and the claimed announcement was left without its message.
    /// </summary>
    [Fact]
    public async Task An_announcement_in_flight_when_the_host_stops_is_finished_and_recorded_once()
    {
        var time = ReadingGroupEndToEndTests.Clock();
        await using var h = await ReadingGroupEndToEndTests.HarnessAsync(time);
        var bot = await h.StartBotAsync();
        var (_, pollId) = await VoteAsync(h, bot, "2611.10000, 2611.10001, 2611.10002", hours: 2);
        await h.Discord.Rest.VoteAsync(pollId, Voters[0].Id, 2);

        var stopped = ReadingGroupEndToEndTests.StopDuringFirstPost(h, bot, _ => true);
        time.Advance(TimeSpan.FromHours(2));
        await h.Discord.Rest.EndPollAsync(pollId);
        Assert.Equal(0, await await stopped.WaitAsync(TimeSpan.FromSeconds(30)));
        h.Discord.Rest.BeforeResponse = null;

        await using var again = await h.StartBotAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        var record = again.Services.GetRequiredService<IRecordStore<PollAnnouncement>>().Get(PaperPoll.KeyFor(pollId));
        Assert.NotNull(record);
        var announcement = Assert.Single(Announcements(h));
        Assert.Equal(announcement["id"]!.GetValue<string>(), record.AnnouncementId?.ToString(CultureInfo.InvariantCulture));
        Assert.Null(record.Error);
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task A_tie_that_ended_while_the_bot_was_down_is_announced_once_after_the_restart()
    {
        var time = ReadingGroupEndToEndTests.Clock();
        await using var h = await ReadingGroupEndToEndTests.HarnessAsync(time);
        var bot = await h.StartBotAsync();
        var (_, pollId) = await VoteAsync(h, bot, "2611.10003 2611.10004 2611.10005");
        await h.Discord.Rest.VoteAsync(pollId, Voters[0].Id, 1);
        await h.Discord.Rest.VoteAsync(pollId, Voters[1].Id, 3);
        Assert.Equal(0, await bot.StopAsync());

        // the poll (24 h by default) ends while the bot is down: no MESSAGE_UPDATE reaches it
        time.Advance(TimeSpan.FromHours(25));
        await h.Discord.Rest.EndPollAsync(pollId, dispatch: false);
        bot = await h.StartBotAsync();
        await Eventually.TrueAsync(() => Announcements(h).Count == 1, "the caught-up announcement");
        var text = Announcements(h)[0]["content"]!.GetValue<string>();
        Assert.Contains("ended in a tie (1 vote each): **Diffusion Model Study 03: protein design** (`2611.10003`) and **Diffusion Model Study 05: video synthesis** (`2611.10005`)", text);
        Assert.Equal(["rgs|2611.10003", "rgs|2611.10005"], Announcements(h)[0]["components"]![0]!["components"]!.AsArray().Select(b => b!["custom_id"]!.GetValue<string>()));

        Assert.Equal(0, await bot.StopAsync());
        await using var bot3 = await h.StartBotAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        Assert.Single(Announcements(h));
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task Without_final_results_the_votes_are_counted_from_the_answer_voters_after_the_grace_period()
    {
        var time = ReadingGroupEndToEndTests.Clock();
        await using var h = await ReadingGroupEndToEndTests.HarnessAsync(time);
        await using var bot = await h.StartBotAsync();
        var (_, pollId) = await VoteAsync(h, bot, "2611.10006, 2611.10007", hours: 1);
        await h.Discord.Rest.VoteAsync(pollId, Voters[0].Id, 2);
        await h.Discord.Rest.VoteAsync(pollId, Voters[1].Id, 2);
        await h.Discord.Rest.VoteAsync(pollId, Voters[2].Id, 1);

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1)); // expired, still within ReadingGroup:PollResultsGrace (2 min)
        await Task.Delay(300);
        Assert.Empty(Announcements(h));
        time.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => Announcements(h).Count == 1, "the counted announcement");
        Assert.Contains("(`2611.10007`) wins with 2 votes of 3", Announcements(h)[0]["content"]!.GetValue<string>());
        Assert.Equal(2, h.Discord.Rest.RequestsTo("polls.answers").Count());
        Assert.Equal("voters", bot.Services.GetRequiredService<IRecordStore<PollAnnouncement>>().Get(PaperPoll.KeyFor(pollId))!.Source);
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task Too_few_papers_or_unknown_ids_get_an_ephemeral_message_and_no_poll()
    {
        var time = ReadingGroupEndToEndTests.Clock();
        await using var h = await ReadingGroupEndToEndTests.HarnessAsync(time);
        await using var bot = await h.StartBotAsync();
        foreach (var (papers, expected) in new[] { ("2611.10000", "Give 2 to 10 different paper ids (got 1)"), ("2611.10000, 9999.99999", "No paper with id `9999.99999`") })
        {
            var i = await h.Discord.Interactions.SlashCommandAsync("vote", [FakeOption.String("papers", papers)]);
            var cb = await i.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>());
            Assert.Contains(expected, cb.Data!["content"]!.GetValue<string>());
            Assert.Null(cb.Data!["poll"]);
        }

        Assert.Empty(h.Discord.Rest.Violations);
    }
}
