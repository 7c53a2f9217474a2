using Microsoft.Extensions.Options;

namespace PaperBot.Discord.Gateway;

/// <summary>How long to wait before reconnect attempt <c>attempt</c> (1-based, reset after a successful READY/RESUMED).</summary>
public interface IReconnectStrategy
{
    TimeSpan GetDelay(int attempt);
}

/// <summary>Exponential backoff, capped, with jitter: min(max, base·2^(attempt-1)) scaled by a random factor in [0.5, 1).</summary>
public sealed class ExponentialBackoffReconnectStrategy(IOptions<DiscordOptions> options) : IReconnectStrategy
{
    private readonly Random _random = new();

    public TimeSpan GetDelay(int attempt)
    {
        var o = options.Value;
        var exp = Math.Min(Math.Max(attempt, 1) - 1, 30);
        var ceiling = Math.Min(o.ReconnectMaxDelay.Ticks, o.ReconnectBaseDelay.Ticks * Math.Pow(2, exp));
        double factor;
        lock (_random)
        {
            factor = 0.5 + (_random.NextDouble() * 0.5);
        }

        return TimeSpan.FromTicks((long)(ceiling * factor));
    }
}
