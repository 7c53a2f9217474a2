using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Models;
using PaperBot.Discord.Telemetry;

namespace PaperBot.Discord.Rest;

/// <summary>
/// Discord REST rate limits: per-route buckets learnt from X-RateLimit-* headers and keyed by the major parameter, the global
/// per-second limit, 429 lock-outs (bucket or global) and the invalid-request (401/403/429) budget. Requests to one bucket are
/// serialised so that no request is ever sent to a bucket whose Remaining is 0 before its reset.
/// </summary>
public sealed class RateLimitManager
{
    private static readonly TimeSpan InvalidWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly ILogger<RateLimitManager> _logger;
    private readonly DiscordOptions _options;
    private readonly IGlobalRateLimiter _global;

    // Guards _buckets, _routeToHash and each bucket's Users/MovedTo/Evicted; held only for dictionary work, never across awaits.
    private readonly object _structure = new();
    private readonly Dictionary<string, HashEntry> _routeToHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _invalid = new();
    private readonly object _invalidLock = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private bool _invalidWarned;
    private long _rateLimited;
    private long _globalRateLimited;
    private long _evicted;

    private readonly DiscordMetrics? _metrics;

    public RateLimitManager(TimeProvider time, IOptions<DiscordOptions> options, IGlobalRateLimiter global, ILogger<RateLimitManager> logger, DiscordMetrics? metrics = null)
    {
        _metrics = metrics;
        metrics?.ObserveRateLimits(() => InvalidRequestCount, () => BucketCount);
        _time = time;
        _logger = logger;
        _options = options.Value;
        _global = global;
    }

    /// <summary>Raised on every 429 (route, retry_after, global?) after the limiter recorded it; for metrics.</summary>
    public event Action<RestRoute, TimeSpan, bool>? RateLimited;

    /// <summary>401/403/429 responses counted in the last 10 minutes.</summary>
    public int InvalidRequestCount
    {
        get
        {
            lock (_invalidLock)
            {
                Expire(_time.GetUtcNow());
                return _invalid.Count;
            }
        }
    }

    /// <summary>429 responses seen since start (bucket and global).</summary>
    public long RateLimitedCount => Interlocked.Read(ref _rateLimited);

    /// <summary>Global 429 responses seen since start.</summary>
    public long GlobalRateLimitedCount => Interlocked.Read(ref _globalRateLimited);

    /// <summary>Buckets held in memory now. Idle buckets are swept (<see cref="DiscordOptions.RateLimitBucketIdleTime"/>), so this stays bounded.</summary>
    public int BucketCount
    {
        get
        {
            lock (_structure)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Learnt route → bucket-hash entries; each expires <see cref="DiscordOptions.RateLimitHashLifetime"/> after its last use.</summary>
    public int RouteHashCount
    {
        get
        {
            lock (_structure)
            {
                return _routeToHash.Count;
            }
        }
    }

    /// <summary>Buckets removed by the idle sweep since start.</summary>
    public long EvictedBucketCount => Interlocked.Read(ref _evicted);

    public DateTimeOffset GlobalBlockedUntil => _global.BlockedUntil;

    /// <summary>Snapshot of a bucket's state for diagnostics and tests (null when the route has not been used).</summary>
    public (string Id, int? Limit, int Remaining, DateTimeOffset? ResetAt)? GetBucketState(RestRoute route)
    {
        lock (_structure)
        {
            var key = _routeToHash.TryGetValue(route.RouteKey, out var entry) ? entry.Hash + ":" + route.Major : route.RouteKey + ":" + route.Major;
            if (!_buckets.TryGetValue(key, out var b))
            {
                return null;
            }

            while (b.MovedTo is { } m)
            {
                b = m;
            }

            return (b.Id, b.Limit, b.Remaining, b.ResetAt);
        }
    }

    /// <summary>Waits until the request may be sent; the returned lease must be completed with the response (or disposed on failure).</summary>
    public async Task<Lease> AcquireAsync(RestRoute route, CancellationToken ct)
    {
        await WaitForInvalidBudgetAsync(ct).ConfigureAwait(false);
        Sweep(force: false);
        var bucket = GetOrCreate(route);
        try
        {
            while (true)
            {
                await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
                Bucket? next;
                lock (_structure)
                {
                    next = bucket.MovedTo;
                    if (next is not null)
                    {
                        bucket.Users--;
                        next.Users++;
                    }
                }

                if (next is null)
                {
                    break;
                }

                bucket.Gate.Release();
                bucket = next;
            }
        }
        catch
        {
            Leave(bucket);
            throw;
        }

        try
        {
            await WaitForBucketResetAsync(bucket, route, ct).ConfigureAwait(false);
            if (!route.ExemptFromGlobalLimit)
            {
                await _global.AcquireAsync(ct).ConfigureAwait(false);
            }

            if (bucket.Remaining > 0)
            {
                bucket.Remaining--;
            }
        }
        catch
        {
            bucket.Gate.Release();
            Leave(bucket);
            throw;
        }

        return new Lease(this, route, bucket);
    }

    /// <summary>Removes idle buckets now (normally done every 30 s of use); returns how many were removed.</summary>
    public int SweepNow() => Sweep(force: true);

    private int Sweep(bool force)
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        lock (_structure)
        {
            if (!force && now - _lastSweep < SweepInterval)
            {
                return 0;
            }

            _lastSweep = now;
            List<string>? dead = null;
            foreach (var (key, b) in _buckets)
            {
                if (b.Users > 0)
                {
                    continue;
                }

                // a forwarding stub (the bucket used before the hash was known) is only needed while someone holds it
                var idle = now - b.LastUsed >= _options.RateLimitBucketIdleTime && (b.ResetAt is null || b.ResetAt <= now);
                if (b.MovedTo is not null || idle)
                {
                    (dead ??= []).Add(key);
                }
            }

            foreach (var key in dead ?? [])
            {
                _buckets.Remove(key, out var b);
                b!.Evicted = true;
                removed++;
            }

            List<string>? expired = null;
            foreach (var (route, entry) in _routeToHash)
            {
                if (now - entry.LastUsed >= _options.RateLimitHashLifetime)
                {
                    (expired ??= []).Add(route);
                }
            }

            foreach (var route in expired ?? [])
            {
                _routeToHash.Remove(route);
            }
        }

        if (removed > 0)
        {
            Interlocked.Add(ref _evicted, removed);
            _logger.LogDebug("Swept {Count} idle rate-limit buckets; {Left} left", removed, BucketCount);
        }

        return removed;
    }

    private async Task WaitForBucketResetAsync(Bucket bucket, RestRoute route, CancellationToken ct)
    {
        while (bucket.Remaining <= 0)
        {
            var now = _time.GetUtcNow();
            if (bucket.ResetAt is { } reset && reset > now)
            {
                _logger.LogDebug("Bucket {Bucket} for {Route} exhausted; waiting {Delay} ms", bucket.Id, route.RouteKey, (reset - now).TotalMilliseconds);
                await Task.Delay(reset - now, _time, ct).ConfigureAwait(false);
                continue;
            }

            bucket.Remaining = bucket.Limit ?? 1;
            bucket.ResetAt = null;
        }
    }

    private async Task WaitForInvalidBudgetAsync(CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_invalidLock)
            {
                var now = _time.GetUtcNow();
                Expire(now);
                if (_invalid.Count < _options.InvalidRequestSoftLimit)
                {
                    return;
                }

                wait = _invalid.Peek() + InvalidWindow - now;
                if (!_invalidWarned)
                {
                    _invalidWarned = true;
                    _logger.LogWarning("{Count} invalid (401/403/429) Discord requests in 10 minutes reached the soft limit {Limit}; pausing REST calls for {Wait} to stay clear of Discord's 10,000 ban.", _invalid.Count, _options.InvalidRequestSoftLimit, wait);
                }
            }

            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_invalid.Count > 0 && _invalid.Peek() + InvalidWindow <= now)
        {
            _invalid.Dequeue();
        }

        if (_invalid.Count < _options.InvalidRequestSoftLimit)
        {
            _invalidWarned = false;
        }
    }

    private Bucket GetOrCreate(RestRoute route)
    {
        var now = _time.GetUtcNow();
        var routeKey = route.RouteKey + ":" + route.Major;
        lock (_structure)
        {
            Bucket b;
            if (_routeToHash.TryGetValue(route.RouteKey, out var entry))
            {
                entry.LastUsed = now;

                // The hash may have been learnt (from another channel) while this channel's first request is still in flight on
                // the bucket used before the hash was known. Queue behind that bucket (AcquireAsync follows it to the hashed
                // bucket when it moves) so two requests are never in flight to the same Discord bucket.
                b = _buckets.TryGetValue(routeKey, out var pending) ? pending : GetOrAddLocked(entry.Hash + ":" + route.Major);
            }
            else
            {
                b = GetOrAddLocked(routeKey);
            }

            while (b.MovedTo is { } m)
            {
                b = m;
            }

            if (b.Evicted)
            {
                b = GetOrAddLocked(b.Id);
            }

            b.Users++;
            b.LastUsed = now;
            return b;
        }
    }

    private Bucket GetOrAddLocked(string key)
    {
        if (!_buckets.TryGetValue(key, out var b))
        {
            b = new Bucket(key) { LastUsed = _time.GetUtcNow() };
            _buckets[key] = b;
        }

        return b;
    }

    private void Leave(Bucket bucket)
    {
        lock (_structure)
        {
            bucket.Users--;
            bucket.LastUsed = _time.GetUtcNow();
        }
    }

    internal async Task CompleteAsync(Lease lease, HttpResponseMessage response)
    {
        var bucket = lease.Bucket;
        var now = _time.GetUtcNow();
        var headers = response.Headers;
        var hash = Header(headers, "X-RateLimit-Bucket");
        var limit = IntHeader(headers, "X-RateLimit-Limit");
        var remaining = IntHeader(headers, "X-RateLimit-Remaining");
        var resetAfter = DoubleHeader(headers, "X-RateLimit-Reset-After");
        DateTimeOffset? resetAt = resetAfter is null ? null : now + TimeSpan.FromSeconds(resetAfter.Value);

        // We hold the gate of `bucket`, so we may overwrite its state. A bucket learnt from a new X-RateLimit-Bucket hash is
        // published only after it carries this response's state; if it already existed, other requests own it and we only
        // make it more conservative (lower Remaining, later reset).
        var target = bucket;
        var exclusive = true;
        if (hash is not null)
        {
            var hashedKey = hash + ":" + lease.Route.Major;
            lock (_structure)
            {
                if (!string.Equals(hashedKey, bucket.Id, StringComparison.Ordinal))
                {
                    if (_buckets.TryGetValue(hashedKey, out var existing))
                    {
                        target = existing;
                        exclusive = false;
                    }
                    else
                    {
                        target = new Bucket(hashedKey) { Limit = limit ?? bucket.Limit, Remaining = remaining ?? bucket.Remaining, ResetAt = resetAt ?? bucket.ResetAt, LastUsed = now };
                        _buckets[hashedKey] = target;
                    }

                    bucket.MovedTo = target;
                }

                if (_routeToHash.TryGetValue(lease.Route.RouteKey, out var entry) && entry.Hash == hash)
                {
                    entry.LastUsed = now;
                }
                else
                {
                    _routeToHash[lease.Route.RouteKey] = new HashEntry(hash) { LastUsed = now };
                }
            }
        }

        if (exclusive)
        {
            target.Limit = limit ?? target.Limit;
            target.Remaining = remaining ?? target.Remaining;
            target.ResetAt = resetAt ?? target.ResetAt;
        }
        else
        {
            Restrict(target, remaining, resetAt);
        }

        var status = (int)response.StatusCode;
        _metrics?.RestResponse(lease.Route.Method, status);
        if (status is 401 or 403 or 429)
        {
            var scope = Header(headers, "X-RateLimit-Scope");
            if (!(status == 429 && string.Equals(scope, "shared", StringComparison.OrdinalIgnoreCase)))
            {
                lock (_invalidLock)
                {
                    _invalid.Enqueue(now);
                }
            }
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var (retryAfter, globalFlag) = await ReadRetryAfterAsync(response).ConfigureAwait(false);
            var isGlobal = globalFlag
                || string.Equals(Header(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase)
                || string.Equals(Header(headers, "X-RateLimit-Scope"), "global", StringComparison.OrdinalIgnoreCase);
            var until = now + retryAfter;
            Interlocked.Increment(ref _rateLimited);
            _metrics?.RateLimited(isGlobal ? "global"
                : string.Equals(Header(headers, "X-RateLimit-Scope"), "shared", StringComparison.OrdinalIgnoreCase) ? "shared" : "bucket");
            if (isGlobal)
            {
                Interlocked.Increment(ref _globalRateLimited);
                _global.BlockUntil(until);
                _logger.LogWarning("Discord global rate limit hit on {Route}; all requests wait {RetryAfter} s", lease.Route.RouteKey, retryAfter.TotalSeconds);
            }
            else
            {
                Restrict(target, 0, until);
                _logger.LogInformation("Discord rate limit hit on {Route}; retrying after {RetryAfter} s", lease.Route.RouteKey, retryAfter.TotalSeconds);
            }

            RateLimited?.Invoke(lease.Route, retryAfter, isGlobal);
        }
    }

    private static void Restrict(Bucket b, int? remaining, DateTimeOffset? resetAt)
    {
        lock (b)
        {
            if (remaining is { } r && r < b.Remaining)
            {
                b.Remaining = r;
            }

            if (resetAt is { } t && (b.ResetAt is null || b.ResetAt < t))
            {
                b.ResetAt = t;
            }
        }
    }

    private static async Task<(TimeSpan RetryAfter, bool Global)> ReadRetryAfterAsync(HttpResponseMessage response)
    {
        double? seconds = null;
        var global = false;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (bytes.Length > 0)
            {
                var body = JsonSerializer.Deserialize(bytes, DiscordJsonContext.Default.DiscordErrorBody);
                seconds = body?.RetryAfter;
                global = body?.Global == true;
            }
        }
        catch (JsonException)
        {
            // Cloudflare-level 429s may not be JSON; fall back to the headers.
        }

        seconds ??= DoubleHeader(response.Headers, "Retry-After") ?? DoubleHeader(response.Headers, "X-RateLimit-Reset-After") ?? 1;
        return (TimeSpan.FromSeconds(Math.Max(0, seconds.Value)), global);
    }

    private static string? Header(System.Net.Http.Headers.HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? IntHeader(System.Net.Http.Headers.HttpResponseHeaders headers, string name)
        => int.TryParse(Header(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? DoubleHeader(System.Net.Http.Headers.HttpResponseHeaders headers, string name)
        => double.TryParse(Header(headers, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    internal sealed class Bucket(string id)
    {
        public string Id { get; } = id;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int? Limit { get; set; }

        /// <summary>Unknown buckets allow one request at a time until headers tell us more.</summary>
        public int Remaining { get; set; } = 1;
        public DateTimeOffset? ResetAt { get; set; }
        public Bucket? MovedTo { get; set; }

        /// <summary>Requests holding or waiting for this bucket (guarded by the manager's structure lock); never swept while > 0.</summary>
        public int Users { get; set; }
        public DateTimeOffset LastUsed { get; set; }

        /// <summary>Removed from the manager by the idle sweep: lookups that still reach it take a fresh bucket instead.</summary>
        public bool Evicted { get; set; }
    }

    private sealed class HashEntry(string hash)
    {
        public string Hash { get; } = hash;
        public DateTimeOffset LastUsed { get; set; }
    }

    /// <summary>Holds a bucket until the response has been read.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly RateLimitManager _owner;
        private int _released;

        internal Lease(RateLimitManager owner, RestRoute route, Bucket bucket)
        {
            _owner = owner;
            Route = route;
            Bucket = bucket;
        }

        public RestRoute Route { get; }

        internal Bucket Bucket { get; }

        /// <summary>Learns the bucket state from the response headers (and 429 body) and releases the bucket.</summary>
        public async Task CompleteAsync(HttpResponseMessage response)
        {
            try
            {
                await _owner.CompleteAsync(this, response).ConfigureAwait(false);
            }
            finally
            {
                Dispose();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Bucket.Gate.Release();
                _owner.Leave(Bucket);
            }
        }
    }
}
