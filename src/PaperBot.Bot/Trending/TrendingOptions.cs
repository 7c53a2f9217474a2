using System.ComponentModel.DataAnnotations;

namespace PaperBot.Bot.Trending;

/// <summary>
/// "Trending" section: how server-scope trending blends the global signal (Hugging Face upvotes) with the server's own
/// signals. A paper's score is
/// <c>GlobalWeight × ln(1 + upvotes) / ln(1 + max upvotes among the candidates)
///  + ServerWeight × s / (s + Saturation)</c>, where
/// <c>s = Σ over the last LookBackDays days of 0.5^(age in days / HalfLifeDays) × (ReactionWeight × reactions
///  + ViewWeight × /paper views + SummarizeWeight × summaries + AskWeight × times cited in answers to members' questions)</c>.
/// Both terms lie in [0, 1]; the defaults let five members' reactions today outrank a paper with the most upvotes and
/// no server activity.
/// </summary>
public sealed class TrendingOptions : IValidatableObject
{
    public const string SectionName = "Trending";

    [Range(0.0, 1.0, ErrorMessage = "Trending:GlobalWeight must be between 0 and 1.")]
    public double GlobalWeight { get; set; } = 0.3;

    [Range(0.0, 1.0, ErrorMessage = "Trending:ServerWeight must be between 0 and 1.")]
    public double ServerWeight { get; set; } = 0.7;

    [Range(0.0, 100.0, ErrorMessage = "Trending:ReactionWeight must be between 0 and 100.")]
    public double ReactionWeight { get; set; } = 1.0;

    [Range(0.0, 100.0, ErrorMessage = "Trending:ViewWeight must be between 0 and 100.")]
    public double ViewWeight { get; set; } = 0.5;

    [Range(0.0, 100.0, ErrorMessage = "Trending:SummarizeWeight must be between 0 and 100.")]
    public double SummarizeWeight { get; set; } = 1.0;

    [Range(0.0, 100.0, ErrorMessage = "Trending:AskWeight must be between 0 and 100.")]
    public double AskWeight { get; set; } = 0.5;

    /// <summary>Server points halve every this many days.</summary>
    [Range(0.1, 365.0, ErrorMessage = "Trending:HalfLifeDays must be between 0.1 and 365.")]
    public double HalfLifeDays { get; set; } = 3;

    /// <summary>Points s at which the server term reaches half its weight.</summary>
    [Range(0.01, 10000.0, ErrorMessage = "Trending:Saturation must be between 0.01 and 10000.")]
    public double Saturation { get; set; } = 3;

    /// <summary>Days of server signals that count (today included).</summary>
    [Range(1, 365, ErrorMessage = "Trending:LookBackDays must be between 1 and 365.")]
    public int LookBackDays { get; set; } = 14;

    /// <summary>Daily counts older than this are deleted.</summary>
    [Range(1, 3650, ErrorMessage = "Trending:RetentionDays must be between 1 and 3650.")]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Reactions on bot messages older than this no longer count, and the message's entry is deleted.</summary>
    [Range(1, 365, ErrorMessage = "Trending:MessageRetentionDays must be between 1 and 365.")]
    public int MessageRetentionDays { get; set; } = 30;

    /// <summary>The bot adds 1️⃣ 2️⃣ … to its daily post, so members vote for a paper with one click.</summary>
    public bool SeedDigestReactions { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GlobalWeight + ServerWeight <= 0)
        {
            yield return new ValidationResult("Trending:GlobalWeight and Trending:ServerWeight cannot both be 0.", [nameof(GlobalWeight), nameof(ServerWeight)]);
        }

        if (LookBackDays > RetentionDays)
        {
            yield return new ValidationResult($"Trending:LookBackDays ({LookBackDays}) cannot exceed Trending:RetentionDays ({RetentionDays}).", [nameof(LookBackDays)]);
        }
    }
}
