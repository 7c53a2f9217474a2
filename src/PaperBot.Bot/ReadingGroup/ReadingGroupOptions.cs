using System.ComponentModel.DataAnnotations;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>"ReadingGroup" section: reading sessions (/readinggroup) and paper polls (/vote).</summary>
public sealed class ReadingGroupOptions : IValidatableObject
{
    public const string SectionName = "ReadingGroup";

    /// <summary>How long before a session starts the reminder goes in its thread (default 1 h).</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Session length when /readinggroup schedule gives no duration, in minutes.</summary>
    [Range(15, 720, ErrorMessage = "ReadingGroup:DefaultDurationMinutes must be between 15 and 720.")]
    public int DefaultDurationMinutes { get; set; } = 60;

    /// <summary>Time zone of `when` when the command gives none (IANA id).</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>A role the reminder mentions. It pings only when <see cref="PingRole"/> is true as well (allowed_mentions lists just this role).</summary>
    public ulong? ReminderRoleId { get; set; }

    /// <summary>Let the reminder ping <see cref="ReminderRoleId"/>. Off by default: the reminder pings no one.</summary>
    public bool PingRole { get; set; }

    /// <summary>Longest wait between two checks for due reminders and ended polls (they also wake at each due time).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Hours a /vote poll stays open when the command gives none (Discord: 1 to 768).</summary>
    [Range(1, 768, ErrorMessage = "ReadingGroup:PollHours must be between 1 and 768 (Discord's poll limit, 32 days).")]
    public int PollHours { get; set; } = 24;

    /// <summary>How long after a poll's expiry the bot waits for Discord's final results before counting the votes itself.</summary>
    public TimeSpan PollResultsGrace { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReminderLead < TimeSpan.FromMinutes(1) || ReminderLead > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult($"ReadingGroup:ReminderLead must be between 00:01:00 and 7.00:00:00 (got {ReminderLead}).", [nameof(ReminderLead)]);
        }

        if (PollInterval < TimeSpan.FromSeconds(10) || PollInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"ReadingGroup:PollInterval must be between 00:00:10 and 01:00:00 (got {PollInterval}).", [nameof(PollInterval)]);
        }

        if (PollResultsGrace < TimeSpan.Zero || PollResultsGrace > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"ReadingGroup:PollResultsGrace must be between 00:00:00 and 01:00:00 (got {PollResultsGrace}).", [nameof(PollResultsGrace)]);
        }

        if (!Options.DigestTime.TryFindTimeZone(DefaultTimeZone, out _))
        {
            yield return new ValidationResult($"ReadingGroup:DefaultTimeZone '{DefaultTimeZone}' is not a time zone: set an IANA id such as UTC or Europe/Berlin.", [nameof(DefaultTimeZone)]);
        }

        if (PingRole && ReminderRoleId is null)
        {
            yield return new ValidationResult("ReadingGroup:PingRole is true but ReadingGroup:ReminderRoleId is not set: set the role id to ping, or PingRole to false.", [nameof(PingRole)]);
        }
    }
}
