using System.ComponentModel.DataAnnotations;

namespace PaperBot.AI.Configuration;

/// <summary>Daily token budgets ("Budget" section). 0 = unlimited. The day is the UTC day of the injected TimeProvider.</summary>
public sealed class BudgetOptions
{
    public const string SectionName = "Budget";

    [Range(0, long.MaxValue, ErrorMessage = "Budget:PerUserDailyTokens must be 0 (unlimited) or more")]
    public long PerUserDailyTokens { get; set; } = 50_000;

    [Range(0, long.MaxValue, ErrorMessage = "Budget:PerGuildDailyTokens must be 0 (unlimited) or more")]
    public long PerGuildDailyTokens { get; set; } = 500_000;
}
