using System.Globalization;
using PaperBot.AI.Offline;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Options;
using PaperBot.Bot.Permissions;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>
/// /readinggroup schedule | list | cancel | notes: reading sessions with a Discord scheduled event and a discussion
/// thread. Scheduling and cancelling need the member to have Create Events or Manage Events, and the bot (app_permissions)
/// Create Events plus what the thread needs; a missing one is named in an ephemeral reply. Deferred: the pre-read may call the LLM.
/// </summary>
public sealed class ReadingGroupCommand(
    ReadingSessions sessions,
    SessionNotes notes,
    IPaperStore store,
    PaperSuggestions suggestions,
    TimeProvider time) : IAutocompleteCommand
{
    public const string Name = "readinggroup";

    private const ulong EventBits = PermissionCheck.CreateEvents | PermissionCheck.ManageEvents;

    public ApplicationCommand Definition { get; } = BuildDefinition();

    public ResponseMode Mode => ResponseMode.Deferred;

    public bool Costly => true;

    public async Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.GuildId is not { } guildId || context.Interaction.Member is null)
        {
            throw new CommandException("`/readinggroup` works in a server, not in DMs.");
        }

        return context.Interaction.CommandPath() switch
        {
            "readinggroup schedule" => await ScheduleAsync(context, guildId, cancellationToken),
            "readinggroup list" => await ListAsync(guildId, cancellationToken),
            "readinggroup cancel" => await CancelAsync(context, guildId, cancellationToken),
            "readinggroup notes" => await notes.PostAsync(Find(context, guildId, "session", upcomingOnly: false), context.UserId, cancellationToken),
            var other => throw new CommandException($"Unknown command `{CommandContext.Sanitize(other)}`."),
        };
    }

    private async Task<CommandReply> ScheduleAsync(CommandContext context, ulong guildId, CancellationToken ct)
    {
        RequireMemberEvents(context, "schedule");
        var paper = PaperCommand.Require(store, context.RequireString("paper"));
        var zoneText = context.GetString("timezone") ?? sessions.Options.DefaultTimeZone;
        if (!DigestTime.TryFindTimeZone(zoneText, out var zone))
        {
            throw new CommandException($"`{CommandContext.Sanitize(zoneText)}` is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.");
        }

        var whenText = context.RequireString("when");
        if (!DateTime.TryParseExact(whenText, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm", "yyyy-MM-dd'T'HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new CommandException($"`when` must be a local date and time like 2026-12-10 18:30 (YYYY-MM-DD HH:MM, 24 h; got `{CommandContext.Sanitize(whenText)}`).");
        }

        var start = ReadingSessions.ToUtc(local, zone);
        var now = time.GetUtcNow();
        if (start <= now)
        {
            throw new CommandException($"{local:yyyy-MM-dd HH:mm} {zone.Id} is in the past (it is now {TimeZoneInfo.ConvertTime(now, zone):yyyy-MM-dd HH:mm} there). Pick a future time.");
        }

        if (start > now.AddYears(5))
        {
            throw new CommandException("Discord only schedules events up to 5 years ahead.");
        }

        var duration = TimeSpan.FromMinutes(context.GetInt("duration", 15, 720) ?? sessions.Options.DefaultDurationMinutes);
        var place = Place(context);
        var required = PermissionCheck.CreateEvents | PermissionCheck.SendMessages | PermissionCheck.EmbedLinks | PermissionCheck.SendMessagesInThreads
            | (place.DiscussionChannelType is ChannelTypes.GuildText or ChannelTypes.GuildAnnouncement ? PermissionCheck.CreatePublicThreads : 0);
        var missing = PermissionCheck.Missing(context.Interaction.AppPermissions, required).ToList();
        if (missing.Remove("Create Events") && PermissionCheck.Missing(context.Interaction.AppPermissions, PermissionCheck.ManageEvents).Count > 0)
        {
            missing.Insert(0, "Create Events");
        }

        if (missing.Count > 0)
        {
            throw new CommandException($"I can't schedule a session here: I'm missing the {string.Join(", ", missing.Select(m => $"**{m}**"))} permission{(missing.Count == 1 ? "" : "s")}. Ask a server admin to grant {(missing.Count == 1 ? "it" : "them")} to PaperBot's role.");
        }

        var session = await sessions.ScheduleAsync(guildId, context.UserId, paper, start, duration, zone, place, ct);
        var unix = session.StartUtc.ToUnixTimeSeconds();
        return CommandReply.Of(new MessageBuilder(
            $"📅 Scheduled **{MarkdownText.Escape(session.Title)}** for <t:{unix}:F> (<t:{unix}:R>, {local:yyyy-MM-dd HH:mm} {zone.Id}), {duration.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min.\n"
            + $"Event: {session.EventUrl} · Discussion: <#{session.ThreadId}> · Reminder {FormatLead(sessions.Options.ReminderLead)} before, in the thread.").WithoutEmbedPreviews());
    }

    private async Task<CommandReply> ListAsync(ulong guildId, CancellationToken ct)
    {
        var upcoming = sessions.Upcoming(guildId);
        if (upcoming.Count == 0)
        {
            return CommandReply.Of(new MessageBuilder("No reading sessions are scheduled. Start one with `/readinggroup schedule`, or let members pick a paper with `/vote`."));
        }

        var counts = await sessions.InterestedCountsAsync(guildId, ct);
        var lines = upcoming.Take(15).Select(s =>
        {
            var interested = counts.TryGetValue(s.EventId, out var n) ? $" · {n.ToString(CultureInfo.InvariantCulture)} interested" : "";
            return $"• <t:{s.StartUtc.ToUnixTimeSeconds()}:F> — **{MarkdownText.Escape(s.Title)}** (`{MarkdownText.Escape(s.PaperId)}`){interested} · <#{s.ThreadId}>";
        });
        var more = upcoming.Count > 15 ? $"\n…and {upcoming.Count - 15} more." : "";
        return CommandReply.Of(new MessageBuilder($"**Upcoming reading sessions** ({upcoming.Count})\n{string.Join("\n", lines)}{more}").WithoutEmbedPreviews());
    }

    private async Task<CommandReply> CancelAsync(CommandContext context, ulong guildId, CancellationToken ct)
    {
        RequireMemberEvents(context, "cancel");
        var missing = PermissionCheck.Missing(context.Interaction.AppPermissions, PermissionCheck.CreateEvents);
        if (missing.Count > 0 && PermissionCheck.Missing(context.Interaction.AppPermissions, PermissionCheck.ManageEvents).Count > 0)
        {
            throw new CommandException("I can't delete the event: I'm missing the **Create Events** (or **Manage Events**) permission.");
        }

        var session = Find(context, guildId, "session", upcomingOnly: true);
        await sessions.CancelAsync(session, context.UserId, ct);
        return CommandReply.Of(new MessageBuilder($"❌ Cancelled **{MarkdownText.Escape(session.Title)}** (<t:{session.StartUtc.ToUnixTimeSeconds()}:F>): the event is deleted and the thread <#{session.ThreadId}> says so."));
    }

    /// <summary>The session named by the option (an event id), or the one whose thread this is, or the only candidate.</summary>
    private ReadingSession Find(CommandContext context, ulong guildId, string option, bool upcomingOnly)
    {
        if (context.GetString(option) is { } text)
        {
            var id = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
            return sessions.Get(id) is { } s && s.GuildId == guildId && !(upcomingOnly && s.Cancelled)
                ? s
                : throw new CommandException($"No {(upcomingOnly ? "upcoming " : "")}reading session `{CommandContext.Sanitize(text)}` in this server. Pick one from the suggestions.");
        }

        if (sessions.ByThread(guildId, context.ChannelId) is { } here && !(upcomingOnly && here.Cancelled))
        {
            return here;
        }

        var now = time.GetUtcNow();
        var candidates = upcomingOnly
            ? sessions.Upcoming(guildId)
            : sessions.All().Where(s => s.GuildId == guildId && !s.Cancelled && s.StartUtc <= now).OrderByDescending(s => s.StartUtc).Take(1).ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new CommandException(candidates.Count == 0
                ? "There is no reading session to pick. Schedule one with `/readinggroup schedule`."
                : $"Several sessions match: pick one in the `{option}` option (or run this in the session's thread).");
    }

    private static void RequireMemberEvents(CommandContext context, string what)
    {
        if (!PermissionCheck.HasAny(context.Interaction.Member?.Permissions, EventBits))
        {
            throw new CommandException($"You need the **Create Events** or **Manage Events** permission to {what} reading sessions.");
        }
    }

    /// <summary>Voice or stage channel: the event is there, the thread goes in the current channel. Forum: a forum post. Text: a thread there.</summary>
    private static SessionPlace Place(CommandContext context)
    {
        var here = context.Interaction.Channel?.Type ?? ChannelTypes.GuildText;
        if (context.GetSnowflake("channel") is not { } id)
        {
            return new SessionPlace(null, false, context.ChannelId, here);
        }

        var type = context.Interaction.Data?.Resolved?.Channels?.GetValueOrDefault(id.ToString(CultureInfo.InvariantCulture))?.Type ?? ChannelTypes.GuildText;
        return type switch
        {
            ChannelTypes.GuildVoice or ChannelTypes.GuildStageVoice => new SessionPlace(id, type == ChannelTypes.GuildStageVoice, context.ChannelId, here),
            ChannelTypes.GuildForum or ChannelTypes.GuildText or ChannelTypes.GuildAnnouncement => new SessionPlace(null, false, id, type),
            _ => throw new CommandException("`channel` must be a text, forum, voice or stage channel."),
        };
    }

    private static string FormatLead(TimeSpan lead) =>
        lead.TotalHours >= 1 && lead.Minutes == 0 ? $"{lead.TotalHours.ToString(CultureInfo.InvariantCulture)} h" : $"{lead.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min";

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApplicationCommandOptionChoice> result = focused.Name switch
        {
            "paper" => suggestions.Suggest(focused.GetString()),
            "timezone" => TimeZoneSuggestions.Suggest(focused.GetString()),
            "session" when context.GuildId is { } g => sessions.All()
                .Where(s => s.GuildId == g && !s.Cancelled && (context.Interaction.CommandPath() == "readinggroup notes" || s.EndUtc > time.GetUtcNow()))
                .Where(s => s.Title.Contains(focused.GetString() ?? "", StringComparison.OrdinalIgnoreCase))
                .OrderBy(s => s.StartUtc)
                .Take(25)
                .Select(s => ApplicationCommandOptionChoice.String(
                    Formatting.PaperText.Truncate($"{s.StartUtc:yyyy-MM-dd HH:mm} UTC · {s.Title}", DiscordLimits.ChoiceName), ReadingSession.KeyFor(s.EventId)))
                .ToList(),
            _ => [],
        };
        return Task.FromResult(result);
    }

    private static ApplicationCommand BuildDefinition()
    {
        ApplicationCommandOption Sub(string name, string description, params ApplicationCommandOption[] options) => new()
        {
            Type = ApplicationCommandOptionType.SubCommand,
            Name = name,
            Description = description,
            Options = options.Length == 0 ? null : [.. options],
        };

        var session = String("session", "The session (default: this thread's, or the only one)", autocomplete: true, maxLength: 30);
        var command = Command(Name, "Reading sessions: a Discord event plus a discussion thread for a paper",
            Sub("schedule", "Schedule a reading session for a paper",
                String("paper", "Paper id — start typing a title", required: true, autocomplete: true, maxLength: 100),
                String("when", "Local start, YYYY-MM-DD HH:MM (24 h)", required: true, maxLength: 16),
                String("timezone", "IANA time zone (default: ReadingGroup:DefaultTimeZone, UTC)", autocomplete: true, maxLength: 64),
                new ApplicationCommandOption
                {
                    Type = ApplicationCommandOptionType.Channel,
                    Name = "channel",
                    Description = "Voice/stage channel for the event, or text/forum channel for the discussion (default: here)",
                    ChannelTypes = [ChannelTypes.GuildText, ChannelTypes.GuildVoice, ChannelTypes.GuildAnnouncement, ChannelTypes.GuildStageVoice, ChannelTypes.GuildForum],
                },
                Integer("duration", "Length in minutes (default 60)", 15, 720)),
            Sub("list", "Upcoming reading sessions of this server"),
            Sub("cancel", "Cancel a session: deletes the event and notes it in the thread", session),
            Sub("notes", "Post a short digest of a session's discussion in its thread", String("session", "The session (default: this thread's, or the latest)", autocomplete: true, maxLength: 30)));
        command.Contexts = [0];
        return command;
    }
}
