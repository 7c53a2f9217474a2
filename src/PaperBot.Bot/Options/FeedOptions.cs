using System.ComponentModel.DataAnnotations;

namespace PaperBot.Bot.Options;

/// <summary>The "Feed" section: while the bot runs, new Hugging Face daily papers are fetched and stored on a timer.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Feed";

    /// <summary>Fetch new daily papers while the bot runs (subscriptions and /search see them without a manual ingest).</summary>
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ErrorMessage = "Feed:Interval must be between 00:05:00 and 7.00:00:00 (how often HF daily papers are fetched)")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Days before today (UTC) fetched again each time: late upvotes and papers featured after midnight.</summary>
    [Range(0, 7, ErrorMessage = "Feed:LookBackDays must be between 0 and 7")]
    public int LookBackDays { get; set; } = 1;
}
