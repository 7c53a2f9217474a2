using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.Core.Persistence;
using PaperBot.AI.Telemetry;

namespace PaperBot.AI.Budget;

/// <summary>Tokens used by one user or guild on one UTC day (key "user:ID:yyyy-MM-dd" / "guild:ID:yyyy-MM-dd").</summary>
public sealed class TokenUsageRecord
{
    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public int Calls { get; set; }

    public long Total => InputTokens + OutputTokens;
}

/// <summary>Records the token usage of every LLM call and enforces per-user and per-guild daily budgets.</summary>
public sealed class TokenBudget(IRecordStore<TokenUsageRecord> store, IOptions<BudgetOptions> options, TimeProvider time, AiMetrics? metrics = null)
{
    private readonly object _gate = new();

    /// <summary>Null when the caller may use the LLM; otherwise a user-visible reason.</summary>
    public string? CheckExceeded(string userId, string? guildId)
    {
        var o = options.Value;
        if (o.PerUserDailyTokens > 0 && UsedToday("user", userId) >= o.PerUserDailyTokens)
        {
            return $"your daily AI token budget ({o.PerUserDailyTokens:N0} tokens) is used up until {NextReset():HH:mm} UTC";
        }

        if (guildId is not null && o.PerGuildDailyTokens > 0 && UsedToday("guild", guildId) >= o.PerGuildDailyTokens)
        {
            return $"this server's daily AI token budget ({o.PerGuildDailyTokens:N0} tokens) is used up until {NextReset():HH:mm} UTC";
        }

        return null;
    }

    public void Record(string userId, string? guildId, TokenUsage usage)
    {
        if (usage.Total <= 0)
        {
            return;
        }

        metrics?.Tokens(userId == Embeddings.PaperEmbeddings.UsageAccount ? "embeddings" : "llm", usage.InputTokens, usage.OutputTokens);

        lock (_gate)
        {
            Add(Key("user", userId), usage);
            if (guildId is not null)
            {
                Add(Key("guild", guildId), usage);
            }
        }
    }

    public long UsedToday(string scope, string id) => store.Get(Key(scope, id))?.Total ?? 0;

    /// <summary>What one user ("user") or guild ("guild") used on one UTC day (zero when nothing was recorded).</summary>
    public TokenUsageRecord UsageOn(string scope, string id, DateOnly day) => store.Get(KeyOn(scope, id, day)) ?? new TokenUsageRecord();

    private void Add(string key, TokenUsage usage)
    {
        var r = store.Get(key) ?? new TokenUsageRecord();
        r.InputTokens += usage.InputTokens;
        r.OutputTokens += usage.OutputTokens;
        r.Calls++;
        store.Put(key, r);
    }

    private string Key(string scope, string id) => KeyOn(scope, id, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));

    private static string KeyOn(string scope, string id, DateOnly day) => $"{scope}:{id}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    private DateTime NextReset() => time.GetUtcNow().UtcDateTime.Date.AddDays(1);
}
