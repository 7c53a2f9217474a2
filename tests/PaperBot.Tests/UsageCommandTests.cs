using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PaperBot.AI;
using PaperBot.AI.Budget;
using PaperBot.Cli;
using PaperBot.Hosting;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>`paperbot usage` against token records written by the real TokenBudget on a temp database (FakeTimeProvider).</summary>
public sealed class UsageCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero));

    private readonly Dictionary<string, string?> _config = new()
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:BaseUrl"] = "http://127.0.0.1:9/v1",
        ["Llm:Model"] = "fake-model",
        ["Llm:Prices:fake-model:InputPerMTok"] = "2.5",
        ["Llm:Prices:fake-model:OutputPerMTok"] = "10",
    };

    public void Dispose() => _dir.Dispose();

    private void Configure(IHostApplicationBuilder b)
    {
        b.Configuration.AddInMemoryCollection(_config);
        b.Services.AddSingleton<TimeProvider>(_time);
    }

    private void Record(string user, string? guild, long input, long output)
    {
        using var host = PaperBotHost.Build(new PaperBotHostArgs(_dir.File("usage.db")), TextWriter.Null, TextWriter.Null, Configure);
        host.Services.GetRequiredService<TokenBudget>().Record(user, guild, new TokenUsage(input, output));
    }

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--db", _dir.File("usage.db"), .. args], o, e, Configure);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Usage_shows_today_and_this_month_against_the_budget_with_the_estimated_cost()
    {
        Record("cli", null, 90_000, 10_000); // 2026-10-31, last month: not counted
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 5, 12, 0, 0, TimeSpan.Zero));
        Record("cli", null, 1_000, 500);
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        Record("cli", null, 1_000, 500);
        Record("42", "7", 4_000, 1_000);

        var (code, text, err) = await Run("usage");
        Assert.True(code == 0, err);
        Assert.Contains("you (CLI)", text);
        Assert.Contains("today (2026-11-23 UTC)  1,500 of 50,000 tokens (3%)", text);
        Assert.Contains("1,000 in · 500 out · 1 call  ≈ $0.0075", text); // 1,000 × $2.5/M + 500 × $10/M
        Assert.Contains("this month (November 2026)  3,000 tokens (the daily budget allows at most 1,500,000)", text);
        Assert.Contains("2,000 in · 1,000 out · 2 calls  ≈ $0.0150", text);
        Assert.Contains("Cost estimated at fake-model: $2.5 per 1M input and $10 per 1M output tokens", text);

        (code, var json, _) = await Run("usage", "--user", "42", "--guild", "7", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        var accounts = doc.RootElement.GetProperty("accounts");
        Assert.Equal(5_000, accounts[0].GetProperty("today").GetProperty("totalTokens").GetInt64());
        Assert.Equal("guild", accounts[1].GetProperty("scope").GetString());
        Assert.Equal(500_000, accounts[1].GetProperty("dailyBudget").GetInt64());
        Assert.Equal(0.02m, accounts[1].GetProperty("month").GetProperty("estimatedCostUsd").GetDecimal()); // 4,000 × 2.5/M + 1,000 × 10/M
    }

    [Fact]
    public async Task Without_a_price_or_with_a_negative_one_usage_says_what_to_set()
    {
        _config.Remove("Llm:Prices:fake-model:InputPerMTok");
        _config.Remove("Llm:Prices:fake-model:OutputPerMTok");
        var (code, text, _) = await Run("usage");
        Assert.Equal(0, code);
        Assert.Contains("No price for `fake-model`: set Llm:Prices:fake-model:InputPerMTok", text);
        Assert.DoesNotContain("≈ $", text);

        _config["Llm:Prices:fake-model:InputPerMTok"] = "-1";
        (code, _, var err) = await Run("usage");
        Assert.Equal(3, code);
        Assert.Contains("Llm:Prices:fake-model", err);
    }
}
