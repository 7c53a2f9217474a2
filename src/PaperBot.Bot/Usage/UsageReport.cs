using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.AI.Budget;
using PaperBot.AI.Configuration;

namespace PaperBot.Bot.Usage;

/// <summary>Tokens of one period: input, output and calls.</summary>
public sealed record TokenTotals(long InputTokens, long OutputTokens, int Calls)
{
    public long Total => InputTokens + OutputTokens;
}

/// <summary>One account's (a user's or a server's) LLM usage today and this month (UTC), against the daily budget, with an estimated cost.</summary>
public sealed record UsageSummary(
    string Scope,
    string Id,
    DateOnly Today,
    TokenTotals Day,
    TokenTotals Month,
    long DailyBudget,
    decimal? DayCost,
    decimal? MonthCost)
{
    /// <summary>Days of this month so far (today included).</summary>
    public int DaysSoFar => Today.Day;

    /// <summary>The most the daily budget allows this month (daily budget × days of the month); 0 = unlimited.</summary>
    public long MonthCap => DailyBudget * DateTime.DaysInMonth(Today.Year, Today.Month);
}

/// <summary>
/// Reads the token records of <see cref="TokenBudget"/> (per user and per server, per UTC day) for /usage and
/// `paperbot usage`, and estimates the cost from <see cref="LlmPrices"/> at the configured model. Token records do not
/// say which model answered, so all of them are priced at Llm:Model (Llm:Deployment for Azure).
/// </summary>
public sealed class UsageReport(TokenBudget budget, IOptions<BudgetOptions> budgets, IOptions<LlmOptions> llm, IOptions<LlmPrices> prices, TimeProvider time)
{
    public const string UserScope = "user";
    public const string GuildScope = "guild";

    /// <summary>The model the usage is priced at, or null (offline, or no model set).</summary>
    public string? Model => llm.Value.IsOffline ? null : llm.Value.Model ?? llm.Value.Deployment;

    /// <summary>The price used, or null when the table has none for <see cref="Model"/>.</summary>
    public ModelPrice? Price => prices.Value.For(Model);

    /// <summary>True when some command has its own model (Llm:Commands:&lt;command&gt;:Model): its tokens are priced at <see cref="Model"/> too.</summary>
    public bool HasCommandModels => llm.Value.Commands.Values.Any(c => !string.IsNullOrWhiteSpace(c.Model) && c.Model != Model);

    public UsageSummary For(string scope, string id)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var day = Totals(scope, id, today, today);
        var month = Totals(scope, id, new DateOnly(today.Year, today.Month, 1), today);
        var daily = scope == GuildScope ? budgets.Value.PerGuildDailyTokens : budgets.Value.PerUserDailyTokens;
        return new UsageSummary(scope, id, today, day, month, daily, Cost(day), Cost(month));
    }

    public decimal? Cost(TokenTotals t) => Price is { } p ? (t.InputTokens * p.InputPerMTok / 1_000_000m) + (t.OutputTokens * p.OutputPerMTok / 1_000_000m) : null;

    /// <summary>"≈ $0.0123", or null without a price.</summary>
    public static string? Money(decimal? cost) => cost is { } c ? "≈ $" + c.ToString(c < 1 ? "0.0000" : "0.00", CultureInfo.InvariantCulture) : null;

    /// <summary>"12,345 of 50,000 (24.7%)" against the daily budget, or "12,345 (no daily budget)".</summary>
    public static string AgainstBudget(long used, long budget) => budget <= 0
        ? $"{N(used)} tokens (no daily budget)"
        : string.Create(CultureInfo.InvariantCulture, $"{N(used)} of {N(budget)} tokens ({100.0 * used / budget:0.#}%)");

    /// <summary>"▰▰▰▱▱▱▱▱▱▱" for the share of the budget used (10 cells), or empty without a budget.</summary>
    public static string Bar(long used, long budget)
    {
        if (budget <= 0)
        {
            return "";
        }

        var filled = (int)Math.Clamp(Math.Round(10.0 * used / budget), 0, 10);
        return new string('▰', filled) + new string('▱', 10 - filled);
    }

    /// <summary>"12,000 in · 345 out · 4 calls".</summary>
    public static string Detail(TokenTotals t) => $"{N(t.InputTokens)} in · {N(t.OutputTokens)} out · {t.Calls.ToString(CultureInfo.InvariantCulture)} call{(t.Calls == 1 ? "" : "s")}";

    /// <summary>Where the cost estimate comes from, one line.</summary>
    public string PriceNote()
    {
        if (Model is null)
        {
            return "The offline backend uses no LLM tokens; tokens recorded while an LLM was configured are shown, without a cost.";
        }

        if (Price is not { } p)
        {
            return $"No price for `{Model}`: set Llm:Prices:{Model.Replace(':', '_')}:InputPerMTok and :OutputPerMTok (US$ per million tokens) to see an estimated cost.";
        }

        var note = string.Create(CultureInfo.InvariantCulture, $"Cost estimated at {Model}: ${p.InputPerMTok:0.####} per 1M input and ${p.OutputPerMTok:0.####} per 1M output tokens (Llm:Prices).");
        return HasCommandModels ? note + " Commands with their own model are priced at it too." : note;
    }

    /// <summary>Plain text for the CLI: one block per account.</summary>
    public string Text(IEnumerable<(string Label, UsageSummary Summary)> accounts)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (label, s) in accounts)
        {
            var monthName = s.Today.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
            sb.Append(label).Append('\n');
            sb.Append("  today (").Append(s.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(" UTC)  ")
              .Append(AgainstBudget(s.Day.Total, s.DailyBudget)).Append("  ").Append(Bar(s.Day.Total, s.DailyBudget)).Append('\n')
              .Append("      ").Append(Detail(s.Day)).Append(Money(s.DayCost) is { } dc ? "  " + dc : "").Append('\n');
            sb.Append("  this month (").Append(monthName).Append(")  ").Append(N(s.Month.Total)).Append(" tokens")
              .Append(s.MonthCap > 0 ? $" (the daily budget allows at most {N(s.MonthCap)})" : "").Append('\n')
              .Append("      ").Append(Detail(s.Month)).Append(Money(s.MonthCost) is { } mc ? "  " + mc : "").Append('\n');
        }

        sb.Append(PriceNote()).Append('\n');
        return sb.ToString();
    }

    private TokenTotals Totals(string scope, string id, DateOnly from, DateOnly to)
    {
        long input = 0, output = 0;
        var calls = 0;
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            var r = budget.UsageOn(scope, id, d);
            input += r.InputTokens;
            output += r.OutputTokens;
            calls += r.Calls;
        }

        return new TokenTotals(input, output, calls);
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
