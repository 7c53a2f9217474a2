using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI;
using PaperBot.AI.Offline;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>Where a session's event happens and where its discussion goes.</summary>
public sealed record SessionPlace(ulong? VoiceChannelId, bool Stage, ulong DiscussionChannelId, int DiscussionChannelType);

/// <summary>
/// Reading sessions: creates the Discord scheduled event and the discussion thread (or forum post) with the paper card,
/// the technical pre-read, three questions and the links; lists, cancels and finds them. Sessions are stored in
/// IRecordStore&lt;ReadingSession&gt; keyed by event id; <see cref="Changed"/> wakes the reminder scheduler.
/// </summary>
public sealed class ReadingSessions(
    IRecordStore<ReadingSession> sessions,
    IDiscordRestClient rest,
    IPaperAssistant assistant,
    TimeProvider time,
    IOptions<ReadingGroupOptions> options,
    ILogger<ReadingSessions> logger)
{
    /// <summary>A week: the thread stays open for the discussion after the session.</summary>
    public const int ThreadArchiveMinutes = 10080;

    public event Action? Changed;

    public ReadingGroupOptions Options => options.Value;

    public ReadingSession? Get(ulong eventId) => sessions.Get(ReadingSession.KeyFor(eventId));

    public IReadOnlyList<ReadingSession> All() => sessions.All().Select(kv => kv.Value).ToList();

    /// <summary>Sessions of a guild that are not cancelled and have not ended, soonest first.</summary>
    public IReadOnlyList<ReadingSession> Upcoming(ulong guildId)
    {
        var now = time.GetUtcNow();
        return All().Where(s => s.GuildId == guildId && !s.Cancelled && s.EndUtc > now).OrderBy(s => s.StartUtc).ToList();
    }

    /// <summary>The session whose discussion thread is <paramref name="channelId"/>, if any.</summary>
    public ReadingSession? ByThread(ulong guildId, ulong channelId) =>
        All().Where(s => s.GuildId == guildId && s.ThreadId == channelId).MaxBy(s => s.CreatedAt);

    /// <summary>Local wall-clock time in <paramref name="zone"/> to UTC; rejects times a DST change skips.</summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            throw new CommandException($"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (the clocks skip it for daylight saving time). Pick another time.");
        }

        var offset = zone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }

    /// <summary>Creates the event, the thread or forum post and its content, and stores the session.</summary>
    public async Task<ReadingSession> ScheduleAsync(ulong guildId, ulong userId, Paper paper, DateTimeOffset startUtc, TimeSpan duration, TimeZoneInfo zone, SessionPlace place, CancellationToken ct)
    {
        var title = PaperText.Truncate(PaperText.OneLine(paper.Title), CreateScheduledEventRequest.NameMax - 3); // "📖 " takes 3 UTF-16 units
        var url = PaperText.MainUrl(paper);
        var description = PaperText.Truncate(
            $"Reading group: {MarkdownText.Escape(PaperText.OneLine(paper.Title))}\n{url ?? "id " + paper.Id}\nPre-read and discussion questions are in the session's thread.",
            CreateScheduledEventRequest.DescriptionMax);
        var end = startUtc + duration;
        var location = url is { Length: <= CreateScheduledEventRequest.LocationMax } ? url : PaperText.Truncate("Paper " + paper.Id, CreateScheduledEventRequest.LocationMax);
        var request = place.VoiceChannelId is { } voice
            ? CreateScheduledEventRequest.InChannel("📖 " + title, description, startUtc, end, voice, place.Stage)
            : CreateScheduledEventRequest.External("📖 " + title, description, startUtc, end, location);

        GuildScheduledEvent created;
        try
        {
            created = await rest.CreateGuildScheduledEventAsync(guildId, request, ct);
        }
        catch (DiscordRestException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            logger.LogWarning("Creating the scheduled event failed: {Status} {Code} {Message}", (int)ex.StatusCode, ex.DiscordCode, ex.Message);
            throw new CommandException(ex.StatusCode == HttpStatusCode.Forbidden
                ? "Discord refused to create the event: I need the **Create Events** permission (and, for a voice or stage channel, to see and connect to it)."
                : "Discord rejected the event: " + CommandContext.Sanitize(string.Join("; ", ex.FieldErrors.DefaultIfEmpty(ex.Message))));
        }

        var session = new ReadingSession
        {
            GuildId = guildId,
            EventId = created.Id,
            PaperId = paper.Id,
            Title = title,
            StartUtc = startUtc,
            EndUtc = end,
            TimeZone = zone.Id,
            VoiceChannelId = place.VoiceChannelId,
            Forum = place.DiscussionChannelType == ChannelTypes.GuildForum,
            CreatedBy = userId,
            CreatedAt = time.GetUtcNow(),
        };
        try
        {
            session.ThreadId = await OpenDiscussionAsync(session, paper, place, ct);
            await PostPreReadAsync(session, paper, userId, ct);
        }
        catch (Exception ex) when (ex is DiscordRestException or DiscordLimitException)
        {
            // no thread, no session: take the event down again rather than leave one nobody can discuss
            logger.LogWarning(ex, "Opening the discussion for event {Event} failed; deleting the event", created.Id);
            await TryDeleteEventAsync(guildId, created.Id, ct);
            throw new CommandException(ex is DiscordRestException { StatusCode: HttpStatusCode.Forbidden }
                ? $"I could not open the discussion in <#{place.DiscussionChannelId}>: I need **Send Messages**, **Create Public Threads** and **Send Messages in Threads** there. The event was not created."
                : "I could not open the discussion thread, so the event was not created. Please try again.");
        }

        sessions.Put(ReadingSession.KeyFor(session.EventId), session);
        Changed?.Invoke();
        return session;
    }

    /// <summary>Deletes the event (already gone counts as done), marks the session cancelled and says so in its thread.</summary>
    public async Task CancelAsync(ReadingSession session, ulong userId, CancellationToken ct)
    {
        await TryDeleteEventAsync(session.GuildId, session.EventId, ct);
        session.Cancelled = true;
        session.CancelledBy = userId;
        sessions.Put(ReadingSession.KeyFor(session.EventId), session);
        Changed?.Invoke();
        try
        {
            await rest.CreateMessageAsync(session.ThreadId, new MessageBuilder(
                $"❌ This reading session (**{MarkdownText.Escape(session.Title)}**, <t:{session.StartUtc.ToUnixTimeSeconds()}:F>) was cancelled by <@{userId}>. The thread stays for the discussion.").Build(), ct);
        }
        catch (DiscordRestException ex)
        {
            logger.LogWarning("Noting the cancellation in thread {Thread} failed: {Message}", session.ThreadId, ex.Message);
        }
    }

    /// <summary>Interested counts of the guild's events (user_count), or an empty map when Discord cannot be asked.</summary>
    public async Task<IReadOnlyDictionary<ulong, int>> InterestedCountsAsync(ulong guildId, CancellationToken ct)
    {
        try
        {
            return (await rest.ListGuildScheduledEventsAsync(guildId, withUserCount: true, ct)).ToDictionary(e => e.Id, e => e.UserCount ?? 0);
        }
        catch (DiscordRestException ex)
        {
            logger.LogWarning("Listing scheduled events failed: {Message}", ex.Message);
            return new Dictionary<ulong, int>();
        }
    }

    private async Task TryDeleteEventAsync(ulong guildId, ulong eventId, CancellationToken ct)
    {
        try
        {
            await rest.DeleteGuildScheduledEventAsync(guildId, eventId, ct);
        }
        catch (DiscordRestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // deleted on Discord already
        }
    }

    /// <summary>The announcement with the paper card: a thread from it in a text channel, a forum post in a forum; returns the thread id.</summary>
    private async Task<ulong> OpenDiscussionAsync(ReadingSession session, Paper paper, SessionPlace place, CancellationToken ct)
    {
        var when = $"<t:{session.StartUtc.ToUnixTimeSeconds()}:F> (<t:{session.StartUtc.ToUnixTimeSeconds()}:R>)";
        var where = session.VoiceChannelId is { } v ? $" in <#{v}>" : "";
        var card = new MessageBuilder($"📖 **Reading session**: {when}{where} · [Discord event]({session.EventUrl})\nMark yourself as *Interested* on the event to get Discord's reminder; the pre-read and questions follow below.")
            .AddEmbed(PaperEmbeds.Details(paper));
        var threadName = PaperText.Truncate("📖 " + session.Title, DiscordLimits.ThreadName);
        if (place.DiscussionChannelType == ChannelTypes.GuildForum)
        {
            return (await rest.CreateForumPostAsync(place.DiscussionChannelId, threadName, card.Build(), ThreadArchiveMinutes, ct)).Id;
        }

        if (place.DiscussionChannelType is 10 or ChannelTypes.PublicThread or 12)
        {
            // run inside a thread: the discussion is that thread
            await rest.CreateMessageAsync(place.DiscussionChannelId, card.Build(), ct);
            return place.DiscussionChannelId;
        }

        var announcement = await rest.CreateMessageAsync(place.DiscussionChannelId, card.Build(), ct);
        return (await rest.StartThreadFromMessageAsync(place.DiscussionChannelId, announcement.Id, threadName, ThreadArchiveMinutes, ct)).Id;
    }

    /// <summary>The technical summary (LLM or offline), three questions from the abstract, and the links, in the thread.</summary>
    private async Task PostPreReadAsync(ReadingSession session, Paper paper, ulong userId, CancellationToken ct)
    {
        var answer = await assistant.SummarizeAsync([paper.Id], SummaryStyle.Technical,
            new RequestContext(userId.ToString(CultureInfo.InvariantCulture), session.GuildId.ToString(CultureInfo.InvariantCulture)), ct);
        foreach (var m in AnswerMessages.Build(answer, "Pre-read (technical summary): " + PaperText.Truncate(session.Title, 200)))
        {
            await rest.CreateMessageAsync(session.ThreadId, m.Build(), ct);
        }

        var questions = DiscussionQuestions.From(paper.Abstract);
        var text = "**Discussion questions**\n"
            + string.Join("\n", questions.Select((q, i) => $"{(i + 1).ToString(CultureInfo.InvariantCulture)}. {q}"))
            + $"\n\n**Links**: {PaperText.Links(paper)} · [Event]({session.EventUrl})";
        await rest.CreateMessageAsync(session.ThreadId, new MessageBuilder(PaperText.Truncate(text, DiscordLimits.MessageContent)).WithoutEmbedPreviews().Build(), ct);
    }
}
