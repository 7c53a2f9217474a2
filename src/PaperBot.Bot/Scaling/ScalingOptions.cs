using System.ComponentModel.DataAnnotations;

namespace PaperBot.Bot.Scaling;

/// <summary>Configuration section "Scaling": leases for exactly-once work shared by several processes on one store.</summary>
public sealed class ScalingOptions
{
    public const string SectionName = "Scaling";

    /// <summary>How long a claimed digest post or DM is reserved for the process that claimed it. A process that crashes
    /// mid-post loses it after this; keep it under Discord's nonce window (a few minutes) so a take-over re-post is deduplicated.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00", ErrorMessage = "Scaling:LeaseDuration must be between 00:00:05 and 00:30:00 (set PAPERBOT_Scaling__LeaseDuration).")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
}
