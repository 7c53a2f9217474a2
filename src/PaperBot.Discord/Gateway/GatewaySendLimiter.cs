namespace PaperBot.Discord.Gateway;

/// <summary>
/// Keeps outgoing gateway events under Discord's 120 per 60 s: ordinary sends wait once <c>limit</c> events went out in the
/// last minute; heartbeats are never delayed (they use the reserve between <c>limit</c> and 120) but are counted.
/// </summary>
public sealed class GatewaySendLimiter(TimeProvider time, int limit)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public int Limit { get; } = limit;

    /// <summary>Events sent in the last 60 s (heartbeats included).</summary>
    public int SentInWindow
    {
        get
        {
            lock (_sent)
            {
                Expire(time.GetUtcNow());
                return _sent.Count;
            }
        }
    }

    public async Task WaitAsync(bool heartbeat, CancellationToken ct)
    {
        if (heartbeat)
        {
            lock (_sent)
            {
                _sent.Enqueue(time.GetUtcNow());
            }

            return;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_sent)
                {
                    var now = time.GetUtcNow();
                    Expire(now);
                    if (_sent.Count < Limit)
                    {
                        _sent.Enqueue(now);
                        return;
                    }

                    wait = _sent.Peek() + Window - now;
                }

                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_sent.Count > 0 && _sent.Peek() + Window <= now)
        {
            _sent.Dequeue();
        }
    }
}
