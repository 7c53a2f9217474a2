using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PaperBot.Discord.Rest;

/// <summary>
/// Discord's global REST limit (50 requests per second per bot token) and global 429 lock-outs. The default
/// <see cref="InProcessGlobalRateLimiter"/> counts this process only; several processes sharing one token register a
/// shared implementation (e.g. over Redis) in its place.
/// </summary>
public interface IGlobalRateLimiter
{
    /// <summary>Until when a global 429 blocks every request (<see cref="DateTimeOffset.MinValue"/> when not blocked).</summary>
    DateTimeOffset BlockedUntil { get; }

    /// <summary>Waits until one more request fits in the per-second window and no global lock-out is in force; the request counts as sent.</summary>
    Task AcquireAsync(CancellationToken ct);

    /// <summary>A global 429 arrived: nothing may be sent before <paramref name="until"/>.</summary>
    void BlockUntil(DateTimeOffset until);
}

/// <summary>The global limit for one process: a sliding one-second window of <see cref="DiscordOptions.GlobalRequestsPerSecond"/>
/// requests, plus the lock-out of the latest global 429. Time comes from <see cref="TimeProvider"/>.</summary>
public sealed class InProcessGlobalRateLimiter(TimeProvider time, IOptions<DiscordOptions> options, ILogger<InProcessGlobalRateLimiter> logger) : IGlobalRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly object _lock = new();
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public DateTimeOffset BlockedUntil
    {
        get
        {
            lock (_lock)
            {
                return _blockedUntil;
            }
        }
    }

    public void BlockUntil(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }
    }

    public async Task AcquireAsync(CancellationToken ct)
    {
        var limit = options.Value.GlobalRequestsPerSecond;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                var blockedUntil = BlockedUntil;
                if (blockedUntil > now)
                {
                    await Task.Delay(blockedUntil - now, time, ct).ConfigureAwait(false);
                    continue;
                }

                while (_window.Count > 0 && _window.Peek() + Window <= now)
                {
                    _window.Dequeue();
                }

                if (_window.Count >= limit)
                {
                    var wait = _window.Peek() + Window - now;
                    logger.LogDebug("Global REST limit of {Limit}/s reached; waiting {Wait} ms", limit, wait.TotalMilliseconds);
                    await Task.Delay(wait, time, ct).ConfigureAwait(false);
                    continue;
                }

                _window.Enqueue(now);
                return;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
