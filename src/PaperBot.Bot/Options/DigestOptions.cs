using System.ComponentModel.DataAnnotations;

namespace PaperBot.Bot.Options;

/// <summary>The "Digest" section: defaults for the daily trending post (a guild's /settings override them).</summary>
public sealed class DigestOptions : IValidatableObject
{
    public const string SectionName = "Digest";

    public bool Enabled { get; set; } = true;

    /// <summary>Local time of day, HH:MM (24 h).</summary>
    [Required(ErrorMessage = "Digest:Time is required (HH:MM, e.g. 09:00)")]
    public string Time { get; set; } = "09:00";

    /// <summary>IANA time zone id, e.g. Europe/Berlin.</summary>
    [Required(ErrorMessage = "Digest:TimeZone is required (an IANA id such as Europe/Berlin)")]
    public string TimeZone { get; set; } = "UTC";

    [Range(1, 10, ErrorMessage = "Digest:Top must be between 1 and 10")]
    public int Top { get; set; } = 5;

    /// <summary>How the post for <see cref="GuildId"/> ranks: "global" (HF upvotes) or "server" (the per-server blend).</summary>
    [RegularExpression("^(global|server)$", ErrorMessage = "Digest:Ranking must be global or server")]
    public string Ranking { get; set; } = "global";

    /// <summary>Optional guild that gets the digest without running /settings (with <see cref="ChannelId"/>).</summary>
    public ulong? GuildId { get; set; }

    /// <summary>Default channel for <see cref="GuildId"/>.</summary>
    public ulong? ChannelId { get; set; }

    /// <summary>How often the scheduler re-checks at most (it also wakes exactly at the next post time).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Digest:PollInterval must be between 00:00:01 and 01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!DigestTime.TryParse(Time, out _))
        {
            yield return new ValidationResult($"Digest:Time must be HH:MM in 24-hour time (got '{Time}')", [nameof(Time)]);
        }

        if (!DigestTime.TryFindTimeZone(TimeZone, out _))
        {
            yield return new ValidationResult($"Digest:TimeZone '{TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin)", [nameof(TimeZone)]);
        }

        if (GuildId is not null != ChannelId is not null)
        {
            yield return new ValidationResult("Digest:GuildId and Digest:ChannelId must be set together", [nameof(GuildId), nameof(ChannelId)]);
        }
    }
}
