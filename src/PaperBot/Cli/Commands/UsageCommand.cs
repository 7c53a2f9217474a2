using System.Text.Json;
using PaperBot.Bot.Usage;

namespace PaperBot.Cli.Commands;

/// <summary>`usage`: LLM tokens today and this month against the daily budgets, with the estimated cost (what /usage shows).</summary>
public sealed class UsageCommand(CliConsole console, UsageReport report) : ICliCommand<UsageCommand.Input>
{
    /// <summary>The account `paperbot ask` records its tokens under.</summary>
    public const string CliUser = "cli";

    public sealed record Input(string User, string? Guild, bool Json);

    public static CliVerb Define()
    {
        var user = CliOptions.Text("--user", "A Discord user id (default: the CLI's own account, which `paperbot ask` uses)", "ID");
        var guild = CliOptions.Text("--guild", "Also show this Discord server's usage", "ID");
        var json = CliOptions.Json();
        return CliVerb.For<UsageCommand, Input>("usage", "LLM tokens and estimated cost today and this month (UTC), against the daily budgets.",
            [user, guild, json], r => new Input(r.GetValue(user) ?? CliUser, r.GetValue(guild), r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var accounts = new List<(string Label, UsageSummary Summary)>
        {
            (input.User == CliUser ? "you (CLI)" : $"user {input.User}", report.For(UsageReport.UserScope, input.User)),
        };
        if (input.Guild is { } guild)
        {
            accounts.Add(($"server {guild}", report.For(UsageReport.GuildScope, guild)));
        }

        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                model = report.Model,
                price = report.Price is { } p ? new { inputPerMTok = p.InputPerMTok, outputPerMTok = p.OutputPerMTok } : null,
                accounts = accounts.Select(a => new
                {
                    scope = a.Summary.Scope,
                    id = a.Summary.Id,
                    today = Json(a.Summary.Day, a.Summary.DayCost),
                    month = Json(a.Summary.Month, a.Summary.MonthCost),
                    dailyBudget = a.Summary.DailyBudget,
                }).ToList(),
            }, SearchOutput.Json));
            return 0;
        }

        await console.Out.WriteAsync(report.Text(accounts));
        return 0;
    }

    private static object Json(TokenTotals t, decimal? cost) =>
        new { inputTokens = t.InputTokens, outputTokens = t.OutputTokens, totalTokens = t.Total, calls = t.Calls, estimatedCostUsd = cost };
}
