namespace PaperBot.Testing.FakeDiscord;

/// <summary>Generates increasing Discord-style snowflakes.</summary>
public sealed class SnowflakeGenerator(TimeProvider time)
{
    private const long DiscordEpochMs = 1420070400000;
    private long _counter;

    public ulong Next()
    {
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds() - DiscordEpochMs;
        var inc = (ulong)(Interlocked.Increment(ref _counter) & 0xFFF);
        return ((ulong)Math.Max(ms, 0) << 22) | (1UL << 17) | inc;
    }
}
