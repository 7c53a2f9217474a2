using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Digest;
using PaperBot.Bot.Options;
using PaperBot.Bot.Permissions;
using PaperBot.Bot.Settings;
using PaperBot.Bot.Subscriptions;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>
/// /settings trending-channel channel time timezone [top] [topics]: where and when the daily digest goes.
/// Needs Manage Server, checked from the interaction member's permissions (not only the command's default permissions).
/// </summary>
public sealed class SettingsCommand(GuildSettingsService settings, TimeProvider time, IOptions<DigestOptions> digest) : IAutocompleteCommand
{
    public const string SubCommand = "trending-channel";

    public ApplicationCommand Definition { get; } = BuildDefinition();

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.GuildId is not { } guildId || context.Interaction.Member is null)
        {
            throw new CommandException("`/settings` works in a server, not in DMs.");
        }

        if (!PermissionCheck.CanManageServer(context.Interaction.Member.Permissions))
        {
            throw new CommandException("You need the **Manage Server** permission to change PaperBot's settings.");
        }

        var path = context.Interaction.CommandPath();
        if (path != $"settings {SubCommand}")
        {
            throw new CommandException($"Unknown settings command `{CommandContext.Sanitize(path)}`.");
        }

        var channel = context.GetSnowflake("channel") ?? throw new CommandException("Pick the channel for the daily trending post.");
        var timeText = context.RequireString("time");
        if (!DigestTime.TryParse(timeText, out var at))
        {
            throw new CommandException($"`time` must be HH:MM in 24-hour time, e.g. 09:00 (got `{CommandContext.Sanitize(timeText)}`).");
        }

        var zoneText = context.RequireString("timezone");
        if (!DigestTime.TryFindTimeZone(zoneText, out var zone))
        {
            throw new CommandException($"`{CommandContext.Sanitize(zoneText)}` is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.");
        }

        var top = context.GetInt("top", 1, 10) ?? digest.Value.Top;
        var topics = Subscription.ParseKeywords(context.GetString("topics") ?? "");
        var ranking = context.GetString("ranking")?.ToLowerInvariant() ?? settings.Get(guildId)?.Ranking ?? "global";
        if (ranking is not ("server" or "global"))
        {
            throw new CommandException($"`ranking` must be server or global (got `{CommandContext.Sanitize(ranking)}`).");
        }

        var value = new GuildSettings
        {
            GuildId = guildId,
            ChannelId = channel,
            Time = at.ToString("HH:mm", CultureInfo.InvariantCulture),
            TimeZone = zone.Id,
            Top = top,
            Topics = topics,
            Ranking = ranking,
            UpdatedBy = context.UserId,
            UpdatedAt = time.GetUtcNow(),
        };
        settings.Put(value);
        var next = DigestSchedule.NextDue(value, time.GetUtcNow());
        var topicText = topics.Count == 0 ? "all topics" : "topics " + string.Join(", ", topics.Select(t => $"`{t}`"));
        var rankingText = ranking == "server" ? "ranked by this server's blend" : "ranked by HF upvotes";
        return Task.FromResult(CommandReply.Ephemeral(
            $"Daily trending post: top {top} papers ({topicText}, {rankingText}) in <#{channel}> at {value.Time} {zone.Id}. Next post <t:{next.ToUnixTimeSeconds()}:F>."));
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApplicationCommandOptionChoice> result = focused.Name == "timezone" ? TimeZoneSuggestions.Suggest(focused.GetString()) : [];
        return Task.FromResult(result);
    }

    private static ApplicationCommand BuildDefinition()
    {
        var sub = new ApplicationCommandOption
        {
            Type = ApplicationCommandOptionType.SubCommand,
            Name = SubCommand,
            Description = "Where and when to post the daily trending papers",
            Options =
            [
                new ApplicationCommandOption
                {
                    Type = ApplicationCommandOptionType.Channel,
                    Name = "channel",
                    Description = "Channel for the daily post",
                    Required = true,
                    ChannelTypes = [0, 5],
                },
                String("time", "Local time HH:MM (24 h), e.g. 09:00", required: true, maxLength: 5),
                String("timezone", "IANA time zone, e.g. Europe/Berlin", required: true, autocomplete: true, maxLength: 64),
                Integer("top", "Papers per post (default: Digest:Top, 5)", 1, 10),
                String("topics", "Only papers about these topics (comma-separated)", maxLength: 300),
                String("ranking", "global (default): HF upvotes; server: blended with this server's activity").Choices("global", "server"),
            ],
        };
        var command = Command("settings", "PaperBot settings for this server (Manage Server)", sub);
        command.DefaultMemberPermissions = PermissionCheck.ManageGuild.ToString(CultureInfo.InvariantCulture);
        command.Contexts = [0];
        return command;
    }
}
