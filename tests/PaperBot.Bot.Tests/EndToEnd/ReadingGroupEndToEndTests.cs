using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.ReadingGroup;
using PaperBot.Core.Persistence;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>/readinggroup through the real host against the fake Discord (every body checked against the OpenAPI spec), on fake time.</summary>
public sealed class ReadingGroupEndToEndTests
{
    internal const ulong ForumChannel = 810000000000000015;
    internal const ulong VoiceChannel = 810000000000000002;

    // 2026-12-01 10:00 UTC = 11:00 in Berlin (CET, UTC+1)
    internal static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    internal static async Task<BotHarness> HarnessAsync(FakeTimeProvider time, bool llm = false)
    {
        var h = await BotHarness.CreateAsync(llm: llm, time: time);
        h.Seed(BotTestPapers.All);

        // many sessions in one channel on a clock that moves only when the test says so: wide buckets
        foreach (var route in new[] { "messages.create", "threads.create", "threads.forum", "events.create", "events.delete", "events.list", "events.get", "events.users", "messages.list" })
        {
            h.Discord.Rest.ConfigureBucket(route, 1000, TimeSpan.FromSeconds(1));
        }

        h.Discord.Rest.SetChannelType(ForumChannel, 15);
        h.Discord.Rest.SetChannelType(VoiceChannel, 2);
        return h;
    }

    /// <summary>Runs a /readinggroup sub-command and returns the text the user finally sees (edited reply or ephemeral follow-up).</summary>
    internal static async Task<(string Text, bool Ephemeral)> RunAsync(BotHarness h, string sub, FakeOption[] options, string? permissions = null, ulong? channelId = null)
    {
        var i = await h.Discord.Interactions.SlashCommandAsync("readinggroup", [FakeOption.SubCommand(sub, options)], permissions: permissions ?? FakePermissions.Administrator, channelId: channelId);
        Assert.Equal(5, (await i.WaitForCallbackAsync(TimeSpan.FromSeconds(20))).Type);
        await Eventually.TrueAsync(() => !i.Followups.IsEmpty || (i.OriginalMessage is { } m && (m["flags"]!.GetValue<int>() & 128) == 0), "the /readinggroup answer");
        if (i.Followups.TryPeek(out var f))
        {
            return (f["content"]!.GetValue<string>(), (f["flags"]!.GetValue<int>() & 64) != 0);
        }

        return (i.OriginalMessage!["content"]!.GetValue<string>(), false);
    }

    internal static FakeOption[] Schedule(string paper, string when, string? zone = "Europe/Berlin", ulong? channel = null, int? duration = null)
    {
        var o = new List<FakeOption> { FakeOption.String("paper", paper), FakeOption.String("when", when) };
        if (zone is not null)
        {
            o.Add(FakeOption.String("timezone", zone));
        }

        if (channel is { } c)
        {
            o.Add(FakeOption.Channel("channel", c));
        }

        if (duration is { } d)
        {
            o.Add(FakeOption.Integer("duration", d));
        }

        return [.. o];
    }

    /// <summary>
    /// On the first create-message request whose path matches, after Discord has created the message, tells the bot to
    /// stop and holds the answer: until the bot aborts the request, or half a second (time for a bot that cancels its
    /// requests on stopping to do so). Completes with the stop's task.
    /// </summary>
    internal static Task<Task<int>> StopDuringFirstPost(BotHarness h, RunningBot bot, Func<string, bool> path)
    {
        var stopping = new TaskCompletionSource<Task<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Discord.Rest.BeforeResponse = async (route, p, aborted) =>
        {
            if (route == "messages.create" && path(p) && stopping.TrySetResult(bot.StopAsync()))
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, aborted), Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None));
            }
        };
        return stopping.Task;
    }

    private static string Text(JsonObject m) => m["content"]?.GetValue<string>() ?? "";

    [Fact]
    public async Task Schedule_creates_an_external_event_and_a_thread_with_the_card_pre_read_questions_and_links()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        await using var bot = await h.StartBotAsync();

        var (reply, ephemeral) = await RunAsync(h, "schedule", Schedule("2611.10000", "2026-12-03 19:30"));

        Assert.False(ephemeral);
        Assert.Contains("📅 Scheduled **Diffusion Model Study 00: image generation**", reply);
        Assert.Contains("19:30 Europe/Berlin", reply);
        var body = Assert.Single(h.Discord.Rest.CreatedEvents);
        Assert.Equal(3, body["entity_type"]!.GetValue<int>());
        Assert.Equal(2, body["privacy_level"]!.GetValue<int>());
        Assert.Equal("📖 Diffusion Model Study 00: image generation", body["name"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 18, 30, 0, TimeSpan.Zero), DateTimeOffset.Parse(body["scheduled_start_time"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 19, 30, 0, TimeSpan.Zero), DateTimeOffset.Parse(body["scheduled_end_time"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal("https://arxiv.org/abs/2611.10000", body["entity_metadata"]!["location"]!.GetValue<string>());
        Assert.Contains("https://arxiv.org/abs/2611.10000", body["description"]!.GetValue<string>());

        // the announcement with the paper card in the channel, a thread from it, and the pre-read, questions and links inside
        var thread = Assert.Single(h.Discord.Rest.Threads);
        var threadId = ulong.Parse(thread["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var announcement = h.Discord.Rest.FindMessage(threadId)!;
        Assert.Equal(BotHarness.ChannelId.ToString(CultureInfo.InvariantCulture), announcement["channel_id"]!.GetValue<string>());
        Assert.Equal("Diffusion Model Study 00: image generation", announcement["embeds"]![0]!["title"]!.GetValue<string>());
        var eventId = h.Discord.Rest.ScheduledEvents.Keys.Single();
        Assert.Contains($"https://discord.com/events/{BotHarness.GuildId}/{eventId}", Text(announcement));
        Assert.Equal("📖 Diffusion Model Study 00: image generation", thread["name"]!.GetValue<string>());
        var inThread = h.Discord.Rest.MessagesIn(threadId).Select(Text).ToList();
        Assert.Contains(inThread, t => t.StartsWith(@"**Pre-read \(technical summary\): Diffusion Model Study 00", StringComparison.Ordinal));
        var questions = Assert.Single(inThread, t => t.StartsWith("**Discussion questions**", StringComparison.Ordinal));
        Assert.Equal(3, questions.Split('\n').Count(l => l.Length > 2 && char.IsDigit(l[0]) && l[1] == '.'));
        Assert.Contains("“We present diffusion study number 0.”", questions); // drawn from the abstract
        Assert.Contains("**Links**: [arXiv](https://arxiv.org/abs/2611.10000)", questions);
        Assert.Contains($"<#{threadId}>", reply);

        var session = bot.Services.GetRequiredService<IRecordStore<ReadingSession>>().Get(eventId.ToString(CultureInfo.InvariantCulture))!;
        Assert.Equal((threadId, "2611.10000", "Europe/Berlin"), (session.ThreadId, session.PaperId, session.TimeZone));
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task Bad_input_past_times_and_missing_permissions_get_clear_ephemeral_messages_and_create_nothing()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        await using var bot = await h.StartBotAsync();

        var cases = new (FakeOption[] Options, string? Permissions, string Expected)[]
        {
            (Schedule("2611.10000", "2026-12-01 10:30"), null, "is in the past"), // 10:30 Berlin = 09:30 UTC
            (Schedule("2611.10000", "tomorrow 7pm"), null, "YYYY-MM-DD HH:MM"),
            (Schedule("2611.10000", "2026-12-03 19:30", "Mars/Olympus"), null, "is not a time zone I know"),
            (Schedule("9999.00000", "2026-12-03 19:30"), null, "No paper with id `9999.00000`"),
            (Schedule("2611.10000", "2027-03-28 02:30"), null, "does not exist in Europe/Berlin"), // DST gap
            (Schedule("2611.10000", "2026-12-03 19:30"), FakePermissions.Member, "You need the **Create Events** or **Manage Events** permission"),
        };
        foreach (var (options, permissions, expected) in cases)
        {
            var (text, ephemeral) = await RunAsync(h, "schedule", options, permissions);
            Assert.True(ephemeral, text);
            Assert.Contains(expected, text);
        }

        // the bot itself lacks Create Events (app_permissions of the invite before this feature)
        h.Discord.Interactions.AppPermissions = FakePermissions.Member;
        var (missing, eph) = await RunAsync(h, "schedule", Schedule("2611.10000", "2026-12-03 19:30"));
        Assert.True(eph);
        Assert.Contains("I'm missing the **Create Events** permission", missing);

        Assert.Empty(h.Discord.Rest.CreatedEvents);
        Assert.Empty(h.Discord.Rest.Threads);
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task A_forum_channel_gets_a_forum_post_and_a_voice_channel_hosts_the_event()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        await using var bot = await h.StartBotAsync();

        var (forumReply, _) = await RunAsync(h, "schedule", Schedule("2611.10001", "2026-12-04 18:00", "UTC", ForumChannel, 90));
        Assert.Contains("90 min", forumReply);
        var post = Assert.Single(h.Discord.Rest.ForumPosts);
        Assert.Equal(ForumChannel.ToString(CultureInfo.InvariantCulture), post["parent_id"]!.GetValue<string>());
        Assert.Equal("📖 Diffusion Model Study 01: video synthesis", post["name"]!.GetValue<string>());
        Assert.Equal("Diffusion Model Study 01: video synthesis", post["message"]!["embeds"]![0]!["title"]!.GetValue<string>());
        var postId = ulong.Parse(post["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Contains(h.Discord.Rest.MessagesIn(postId), m => Text(m).StartsWith("**Discussion questions**", StringComparison.Ordinal));
        Assert.Empty(h.Discord.Rest.Threads); // no thread from a message in a forum
        var forumEvent = h.Discord.Rest.CreatedEvents.Single();
        Assert.Equal(3, forumEvent["entity_type"]!.GetValue<int>());
        Assert.Equal("2026-12-04T19:30:00+00:00", forumEvent["scheduled_end_time"]!.GetValue<string>());

        await RunAsync(h, "schedule", Schedule("2611.10002", "2026-12-05 18:00", "UTC", VoiceChannel));
        var voiceEvent = h.Discord.Rest.CreatedEvents.Last();
        Assert.Equal(2, voiceEvent["entity_type"]!.GetValue<int>());
        Assert.Equal(VoiceChannel.ToString(CultureInfo.InvariantCulture), voiceEvent["channel_id"]!.GetValue<string>());
        Assert.Null(voiceEvent["entity_metadata"]);
        var thread = Assert.Single(h.Discord.Rest.Threads); // the discussion is a thread in the channel the command ran in
        Assert.Equal(BotHarness.ChannelId.ToString(CultureInfo.InvariantCulture), thread["parent_id"]!.GetValue<string>());
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task List_shows_interested_counts_notes_quote_the_most_reacted_messages_and_cancel_deletes_the_event()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        await using var bot = await h.StartBotAsync();
        await RunAsync(h, "schedule", Schedule("2611.10003", "2026-12-06 18:00", "UTC"));
        await RunAsync(h, "schedule", Schedule("2611.10004", "2026-12-02 18:00", "UTC"));
        var events = h.Discord.Rest.ScheduledEvents.Keys.Order().ToList();
        for (ulong u = 1; u <= 3; u++)
        {
            h.Discord.Rest.MarkInterested(events[0], 700000000000000100 + u);
        }

        var (list, _) = await RunAsync(h, "list", []);
        var lines = list.Split('\n');
        Assert.StartsWith("**Upcoming reading sessions** (2)", lines[0]);
        Assert.Contains("Diffusion Model Study 04", lines[1]); // soonest first
        Assert.Contains("· 0 interested", lines[1]);
        Assert.Contains("Diffusion Model Study 03", lines[2]);
        Assert.Contains("· 3 interested", lines[2]);

        // the discussion in the second session's thread: the most-reacted message comes first
        var session = bot.Services.GetRequiredService<ReadingSessions>().Get(events[1])!;
        var bob = new FakeUser(700000000000000201, "bob", "Bob");
        var carol = new FakeUser(700000000000000202, "carol", "Carol");
        var quiet = h.Discord.Rest.AddUserMessage(session.ThreadId, "I think the schedule matters less than claimed.", bob);
        var popular = h.Discord.Rest.AddUserMessage(session.ThreadId, "Key point: guidance scale trades diversity for fidelity @everyone", carol);
        await h.Discord.Gateway.AddReactionAsync(session.ThreadId, popular, "👍", bob);
        await h.Discord.Gateway.AddReactionAsync(session.ThreadId, popular, "🔥", FakeUser.Default);
        await h.Discord.Gateway.AddReactionAsync(session.ThreadId, quiet, "👍", carol);

        var (confirm, _) = await RunAsync(h, "notes", [], channelId: session.ThreadId);
        Assert.Contains("Posted the notes", confirm);
        var digest = Text(h.Discord.Rest.MessagesIn(session.ThreadId).Last());
        var digestLines = digest.Split('\n');
        Assert.StartsWith("📝 **Session notes: Diffusion Model Study 04", digestLines[0]);
        Assert.Contains("the 2 most-reacted of 2 member messages", digestLines[0]);
        Assert.StartsWith("1. **Carol** (", digestLines[1]);
        Assert.Contains("Key point: guidance scale", digestLines[1]);
        Assert.StartsWith("2. **Bob** (👍 1)", digestLines[2]);

        var (cancelled, _) = await RunAsync(h, "cancel", [FakeOption.String("session", events[1].ToString(CultureInfo.InvariantCulture))]);
        Assert.Contains("❌ Cancelled **Diffusion Model Study 04", cancelled);
        Assert.Equal([events[1]], h.Discord.Rest.DeletedEventIds.ToArray());
        Assert.Contains("was cancelled by <@700000000000000001>", Text(h.Discord.Rest.MessagesIn(session.ThreadId).Last()));
        var (after, _) = await RunAsync(h, "list", []);
        Assert.StartsWith("**Upcoming reading sessions** (1)", after);
        Assert.Empty(h.Discord.Rest.Violations);
        Assert.All(h.Discord.Rest.RequestsTo("messages.create"), r => Assert.Equal("""{"parse":[]}""", r.Json!["allowed_mentions"]!.ToJsonString()));
    }

    [Fact]
    public async Task With_an_llm_the_notes_are_the_models_summary_of_the_members_messages_escaped()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time, llm: true);
        h.OpenAi!.DefaultChatReply = FakeReply.Text("- Guidance trades diversity for fidelity [see](https://example.invalid) @everyone");
        await using var bot = await h.StartBotAsync();
        await RunAsync(h, "schedule", Schedule("2611.10003", "2026-12-01 12:00", "UTC"));
        var session = bot.Services.GetRequiredService<ReadingSessions>().All().Single();
        var carol = new FakeUser(700000000000000202, "carol", "Carol");
        var m = h.Discord.Rest.AddUserMessage(session.ThreadId, "Guidance scale is the real knob here.", carol);
        await h.Discord.Gateway.AddReactionAsync(session.ThreadId, m, "👍", FakeUser.Default);
        h.Discord.Rest.AddUserMessage(session.ThreadId, "I disagree, the schedule matters more.", FakeUser.Default);

        time.Advance(TimeSpan.FromHours(3));
        await RunAsync(h, "notes", [], channelId: session.ThreadId);

        var prompt = h.OpenAi.ChatRequests[^1].MessagesOf("user").Last();
        Assert.Contains("[1] Guidance scale is the real knob here.", prompt);
        Assert.Contains("[0] I disagree, the schedule matters more.", prompt);
        var digest = Text(h.Discord.Rest.MessagesIn(session.ThreadId).Last());
        Assert.StartsWith("📝 **Session notes: Diffusion Model Study 03: protein design** — summarized from 2 member messages\n", digest);
        Assert.Contains(@"\[see\]\(https://example.invalid\)", digest); // no masked link from model output
        Assert.Empty(h.Discord.Rest.Violations);
    }

    /// <summary>
    /// The host is told to stop while a reminder's create-message request is in flight (Discord has created the message,
    /// the answer is held): the post is finished and recorded, so the slot is Posted with its message id, and the next
    /// start sends nothing more. Before, the stop cancelled the request and the slot was left Failed for good.
    /// </summary>
    [Fact]
    public async Task A_reminder_in_flight_when_the_host_stops_is_finished_and_recorded_once()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        var bot = await h.StartBotAsync();
        var start = time.GetUtcNow() + TimeSpan.FromHours(2);
        var (reply, ephemeral) = await RunAsync(h, "schedule", Schedule(BotTestPapers.All[0].Id, start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), "UTC"));
        Assert.False(ephemeral, reply);
        var session = bot.Services.GetRequiredService<ReadingSessions>().All().Single();
        var thread = session.ThreadId.ToString(CultureInfo.InvariantCulture);

        var stopped = StopDuringFirstPost(h, bot, path => path.Contains(thread, StringComparison.Ordinal));
        time.Advance(TimeSpan.FromMinutes(61)); // the reminder is due an hour before the start
        Assert.Equal(0, await await stopped.WaitAsync(TimeSpan.FromSeconds(30)));
        h.Discord.Rest.BeforeResponse = null;

        await using var again = await h.StartBotAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        var reminder = again.Services.GetRequiredService<IRecordStore<ReadingReminder>>().Get(ReadingSession.KeyFor(session.EventId));
        Assert.NotNull(reminder);
        Assert.Equal(ReminderStatus.Posted, reminder.Status);
        Assert.NotNull(reminder.MessageId);
        var posted = h.Discord.Rest.CreatedMessages.Where(m => Text(m).StartsWith("⏰", StringComparison.Ordinal)).ToList();
        Assert.Single(posted);
        Assert.Equal(thread, posted[0]["channel_id"]!.GetValue<string>());
        Assert.Empty(h.Discord.Rest.Violations);
    }

    /// <summary>
    /// The bar: 20 sessions, reminders due every 30 min; the host is stopped after the 10th, stays down over two due times
    /// and is recreated on the same database: each session gets exactly one reminder (the two missed ones caught up).
    /// </summary>
    [Fact]
    public async Task Reminders_go_out_exactly_once_over_twenty_sessions_with_a_restart_in_the_middle()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        var bot = await h.StartBotAsync();
        var first = time.GetUtcNow() + TimeSpan.FromHours(2); // 12:00 UTC; reminders from 11:00, every 30 min
        for (var i = 0; i < 20; i++)
        {
            var start = first + TimeSpan.FromMinutes(30 * i);
            var (reply, ephemeral) = await RunAsync(h, "schedule", Schedule(BotTestPapers.All[i % BotTestPapers.All.Count].Id, start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), "UTC"));
            Assert.False(ephemeral, reply);

            // the fake (and the bot) allow 50 requests per second of this clock
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var sessions = bot.Services.GetRequiredService<ReadingSessions>().All().OrderBy(s => s.StartUtc).ToList();
        Assert.Equal(20, sessions.Count);
        for (var i = 0; i < 20; i++)
        {
            for (var u = 0; u < i % 4; u++)
            {
                h.Discord.Rest.MarkInterested(sessions[i].EventId, 700000000000000300 + (ulong)u);
            }
        }

        Dictionary<ulong, int> Reminders() => h.Discord.Rest.CreatedMessages
            .Where(m => Text(m).StartsWith("⏰", StringComparison.Ordinal))
            .GroupBy(m => ulong.Parse(m["channel_id"]!.GetValue<string>(), CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count());

        // 11:00 … 15:30: the first 10 reminders, in 15-minute steps
        time.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(200);
        Assert.Empty(Reminders());
        for (var step = 0; step < 19; step++)
        {
            time.Advance(TimeSpan.FromMinutes(15));
            var expected = Math.Min(10, (step / 2) + 1);
            await Eventually.TrueAsync(() => Reminders().Count >= expected, $"{expected} reminders");
        }

        Assert.Equal(10, Reminders().Count);

        // down from 15:44 to 16:44: the reminders due at 16:00 and 16:30 are missed …
        Assert.Equal(0, await bot.StopAsync());
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(10, Reminders().Count);

        // … and caught up once by the recreated host on the same database
        bot = await h.StartBotAsync();
        await Eventually.TrueAsync(() => Reminders().Count == 12, "the two missed reminders caught up");
        var store = bot.Services.GetRequiredService<IRecordStore<ReadingReminder>>();
        Assert.All(sessions.Take(12), s => Assert.Equal(ReminderStatus.Posted, store.Get(ReadingSession.KeyFor(s.EventId))!.Status));
        Assert.True(store.Get(ReadingSession.KeyFor(sessions[10].EventId))!.CatchUp);
        Assert.True(store.Get(ReadingSession.KeyFor(sessions[11].EventId))!.CatchUp);

        for (var step = 0; step < 20; step++)
        {
            time.Advance(TimeSpan.FromMinutes(15));
            var expected = Math.Min(20, 12 + ((step + 1) / 2));
            await Eventually.TrueAsync(() => Reminders().Count >= expected, $"{expected} reminders");
        }

        // long after the last session, and after one more restart, nothing more is sent
        time.Advance(TimeSpan.FromHours(6));
        Assert.Equal(0, await bot.StopAsync());
        await using var bot3 = await h.StartBotAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);

        var reminders = Reminders();
        Assert.Equal(20, reminders.Count);
        Assert.All(reminders.Values, n => Assert.Equal(1, n));
        Assert.Equal(sessions.Select(s => s.ThreadId).Order(), reminders.Keys.Order());
        for (var i = 0; i < 20; i++)
        {
            var text = Text(h.Discord.Rest.CreatedMessages.Single(m => Text(m).StartsWith("⏰", StringComparison.Ordinal) && m["channel_id"]!.GetValue<string>() == sessions[i].ThreadId.ToString(CultureInfo.InvariantCulture)));
            var interested = i % 4;
            Assert.Contains(interested switch { 0 => "No one has marked the event as interested yet", 1 => "1 member is interested", _ => $"{interested} members are interested" }, text);
        }

        Assert.Equal(20, h.Discord.Rest.RequestsTo("events.users").Count());
        Assert.Empty(h.Discord.Rest.Violations);
        Console.WriteLine($"reminders: {reminders.Values.Sum()} for {sessions.Count} sessions, {reminders.Values.Sum(n => n - 1)} duplicates, 2 caught up after the restart");
    }

    [Fact]
    public async Task A_configured_role_is_pinged_only_when_allowed_and_then_only_that_role()
    {
        var time = Clock();
        await using var h = await HarnessAsync(time);
        h.With("ReadingGroup:ReminderRoleId", "820000000000000001").With("ReadingGroup:PingRole", "true").With("ReadingGroup:ReminderLead", "00:30:00");
        await using var bot = await h.StartBotAsync();
        await RunAsync(h, "schedule", Schedule("2611.10005", "2026-12-01 11:00", "UTC"));
        time.Advance(TimeSpan.FromMinutes(31));
        await Eventually.TrueAsync(() => h.Discord.Rest.CreatedMessages.Any(m => Text(m).Contains('⏰')), "the reminder");
        var reminder = h.Discord.Rest.RequestsTo("messages.create").Select(r => r.Json!).Single(m => Text(m.AsObject()).Contains('⏰'));
        Assert.StartsWith("<@&820000000000000001> ⏰", Text(reminder.AsObject()));
        Assert.Equal("""{"parse":[],"roles":["820000000000000001"]}""", reminder["allowed_mentions"]!.ToJsonString());
        Assert.Empty(h.Discord.Rest.Violations);
    }
}
