using PaperBot.Bot.Commands;
using PaperBot.Bot.Polls;
using PaperBot.Bot.ReadingGroup;
using PaperBot.Bot.Permissions;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Tests.Unit;

public sealed class ReadingGroupUnitTests
{
    [Fact]
    public void Questions_quote_the_method_result_and_context_sentences_in_that_order()
    {
        var q = DiscussionQuestions.From(
            "Large models are costly to serve. We propose SpecDec, which drafts tokens with a small model. " +
            "SpecDec achieves a 2.1x speed-up on three benchmarks. However, gains shrink for long outputs.");
        Assert.Equal(3, q.Count);
        Assert.Contains("“We propose SpecDec, which drafts tokens with a small model.”", q[0]);
        Assert.Contains("“SpecDec achieves a 2.1x speed-up on three benchmarks.”", q[1]);
        Assert.Contains("“However, gains shrink for long outputs.”", q[2]);
    }

    [Fact]
    public void Questions_fall_back_to_plain_questions_and_escape_markdown()
    {
        Assert.All(DiscussionQuestions.From(""), x => Assert.DoesNotContain("“", x));
        var q = DiscussionQuestions.From("We propose **[bold](https://evil.invalid)** tricks for everyone here.");
        Assert.Contains(@"\*\*\[bold\]\(https://evil.invalid\)\*\*", q[0]);
        Assert.DoesNotContain("“", q[1]);
    }

    [Fact]
    public void Winners_are_every_answer_with_the_most_votes_and_none_without_votes()
    {
        Assert.Equal([1], PaperPolls.Winners([1, 3, 2]));
        Assert.Equal([0, 2], PaperPolls.Winners([2, 1, 2]));
        Assert.Empty(PaperPolls.Winners([0, 0]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(769)]
    public void Poll_duration_outside_discords_1_to_768_hours_is_refused(int hours) =>
        Assert.Throws<DiscordLimitException>(() => PollRequest.Create("Which?", ["A", "B"], hours));

    [Fact]
    public void Poll_answers_longer_than_55_characters_or_more_than_10_are_refused()
    {
        Assert.Throws<DiscordLimitException>(() => PollRequest.Create("Which?", [new string('a', 56)], 24));
        Assert.Throws<DiscordLimitException>(() => PollRequest.Create("Which?", Enumerable.Range(0, 11).Select(i => "p" + i).ToList(), 24));
        Assert.Equal(768, PollRequest.Create("Which?", [new string('a', 55)], 768).Duration);
    }

    [Fact]
    public void Local_times_convert_with_the_zones_offset_and_skipped_times_are_refused()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 17, 30, 0, TimeSpan.Zero), ReadingSessions.ToUtc(new DateTime(2026, 7, 1, 19, 30, 0), berlin)); // CEST
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 18, 30, 0, TimeSpan.Zero), ReadingSessions.ToUtc(new DateTime(2026, 12, 1, 19, 30, 0), berlin)); // CET
        Assert.Throws<CommandException>(() => ReadingSessions.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0), berlin));
    }

    [Fact]
    public void Missing_app_permissions_are_named_and_administrator_implies_all()
    {
        var member = ((1UL << 10) | (1UL << 11) | (1UL << 14)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["Create Events", "Send Messages in Threads"], PermissionCheck.Missing(member, PermissionCheck.CreateEvents | PermissionCheck.SendMessagesInThreads | PermissionCheck.SendMessages).Order());
        Assert.Empty(PermissionCheck.Missing("8", PermissionCheck.CreateEvents));
        Assert.Empty(PermissionCheck.Missing("17910013742144", PermissionCheck.CreateEvents | PermissionCheck.ManageEvents | PermissionCheck.CreatePublicThreads));
    }

    [Fact]
    public void External_events_need_an_end_a_location_and_a_name_within_100_characters()
    {
        var start = new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);
        Assert.Throws<DiscordLimitException>(() => CreateScheduledEventRequest.External(new string('x', 101), null, start, start.AddHours(1), "https://arxiv.org/abs/1").Validate());
        Assert.Throws<DiscordLimitException>(() => CreateScheduledEventRequest.External("Paper", null, start, start, "https://arxiv.org/abs/1").Validate());
        Assert.Throws<DiscordLimitException>(() => CreateScheduledEventRequest.External("Paper", null, start, start.AddHours(1), "").Validate());
        CreateScheduledEventRequest.InChannel("Paper", null, start, null, 42, stage: false).Validate();
    }
}
