using Microsoft.Extensions.Logging;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Gateway;

/// <summary>
/// Guards IDENTIFY, Discord's scarce resource: a daily session-start budget (<c>session_start_limit.remaining</c>, renewed
/// after <c>reset_after</c>; when it runs out Discord resets the bot token) and at most one IDENTIFY per 5 s in each
/// <c>max_concurrency</c> bucket (<c>shard_id % max_concurrency</c>). The default <see cref="InProcessIdentifyLimiter"/> covers
/// one process; several gateway processes sharing one token register a shared implementation instead.
/// </summary>
public interface IIdentifyLimiter
{
    /// <summary>
    /// Waits until shard <paramref name="shardId"/> may send IDENTIFY. <paramref name="readLimit"/> reads the current
    /// <c>session_start_limit</c> (GET /gateway/bot) and is called again after every wait. When this returns, the IDENTIFY
    /// counts as spent.
    /// </summary>
    Task<SessionStartLimit?> AcquireAsync(int shardId, Func<CancellationToken, Task<SessionStartLimit?>> readLimit, CancellationToken ct);
}

/// <summary>In-process <see cref="IIdentifyLimiter"/>: trusts the fresher (lower) of Discord's <c>remaining</c> and its own
/// count since the last read, waits <c>reset_after</c> when the budget is spent, and spaces IDENTIFYs 5 s per bucket.</summary>
public sealed class InProcessIdentifyLimiter(TimeProvider time, ILogger<InProcessIdentifyLimiter> logger) : IIdentifyLimiter
{
    /// <summary>Discord allows one IDENTIFY per max_concurrency bucket every 5 seconds.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, DateTimeOffset> _lastByBucket = [];
    private int? _localRemaining;
    private DateTimeOffset _localResetAt;
    private long _budgetWaits;

    /// <summary>Times a new session had to wait for <c>reset_after</c> because the budget was spent.</summary>
    public long BudgetWaits => Interlocked.Read(ref _budgetWaits);

    public async Task<SessionStartLimit?> AcquireAsync(int shardId, Func<CancellationToken, Task<SessionStartLimit?>> readLimit, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var limit = await readLimit(ct).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var remaining = limit?.Remaining;
                if (_localRemaining is { } local && now < _localResetAt)
                {
                    remaining = remaining is { } r ? Math.Min(r, local) : local;
                }

                if (limit is not null && remaining <= 0)
                {
                    var wait = TimeSpan.FromMilliseconds(Math.Max(limit.ResetAfter, 1000));
                    Interlocked.Increment(ref _budgetWaits);
                    logger.LogWarning(
                        "Discord IDENTIFY budget is used up (0 of {Total} session starts left): not starting a new session for {Wait} until Discord resets it (session_start_limit.reset_after). Spending it would make Discord reset the bot token.",
                        limit.Total, wait);
                    _localRemaining = null;
                    await Task.Delay(wait, time, ct).ConfigureAwait(false);
                    continue;
                }

                var concurrency = Math.Max(1, limit?.MaxConcurrency ?? 1);
                var bucket = shardId % concurrency;
                if (_lastByBucket.TryGetValue(bucket, out var last) && last + Spacing > now)
                {
                    var wait = last + Spacing - now;
                    logger.LogDebug("Waiting {Wait} ms for the IDENTIFY slot of bucket {Bucket} (max_concurrency {Concurrency})", (int)wait.TotalMilliseconds, bucket, concurrency);
                    await Task.Delay(wait, time, ct).ConfigureAwait(false);
                    now = time.GetUtcNow();
                }

                _lastByBucket[bucket] = now;
                if (limit is not null)
                {
                    _localRemaining = (remaining ?? limit.Remaining) - 1;
                    _localResetAt = now + TimeSpan.FromMilliseconds(limit.ResetAfter);
                }

                return limit;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
