using System.ComponentModel.DataAnnotations;

namespace PaperBot.Bot.Options;

/// <summary>Where slash commands are registered: one dev guild (instant) or globally.</summary>
public enum BotMode
{
    /// <summary>Commands are bulk-overwritten on <see cref="BotOptions.DevGuildId"/> only (they appear instantly).</summary>
    Development,

    /// <summary>Commands are bulk-overwritten globally.</summary>
    Production,
}

/// <summary>The "Bot" configuration section: registration mode and per-user limits.</summary>
public sealed class BotOptions : IValidatableObject
{
    public const string SectionName = "Bot";

    public BotMode Mode { get; set; } = BotMode.Production;

    /// <summary>The guild that gets the commands in development mode.</summary>
    public ulong? DevGuildId { get; set; }

    /// <summary>Minimum time between two costly requests (questions, summaries, comparisons) of one user.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Bot:Cooldown must be between 00:00:00 and 01:00:00 (set PAPERBOT_Bot__Cooldown, e.g. 00:00:05)")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Costly requests one user may make per UTC day (0 = unlimited).</summary>
    [Range(0, 100_000, ErrorMessage = "Bot:DailyRequestsPerUser must be between 0 and 100000 (set PAPERBOT_Bot__DailyRequestsPerUser)")]
    public int DailyRequestsPerUser { get; set; } = 100;

    /// <summary>Costly requests one user may have in flight at once.</summary>
    [Range(1, 100, ErrorMessage = "Bot:ConcurrentRequestsPerUser must be between 1 and 100 (set PAPERBOT_Bot__ConcurrentRequestsPerUser)")]
    public int ConcurrentRequestsPerUser { get; set; } = 2;

    /// <summary>Results per /search page (Discord allows 25 embed fields; 5 keeps a page readable).</summary>
    [Range(1, 10, ErrorMessage = "Bot:SearchPageSize must be between 1 and 10")]
    public int SearchPageSize { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == BotMode.Development && DevGuildId is null or 0)
        {
            yield return new ValidationResult(
                "Bot:DevGuildId is required when Bot:Mode is Development (commands are registered on that guild); set PAPERBOT_Bot__DevGuildId or use Bot:Mode=Production",
                [nameof(DevGuildId)]);
        }
    }
}
