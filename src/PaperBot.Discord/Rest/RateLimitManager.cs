using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Rest;

/// <summary>
/// Discord REST rate limits: per-route buckets learnt from X-RateLimit-* headers and keyed by the major parameter, the global
/// per-second limit, 429 lock-outs (bucket or global) and the invalid-request (401/403/429) budget. Requests to one bucket are
/// serialised so that no request is ever sent to a bucket whose Remaining is 0 before its reset.
/// </summary>
public sealed class RateLimitManager
{
    private static readonly TimeSpan InvalidWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger<RateLimitManager> _logger;
    private readonly DiscordOptions _options;
    private readonly ConcurrentDictionary<string, string> _routeToHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _globalGate = new(1, 1);
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private readonly Queue<DateTimeOffset> _invalid = new();
    private readonly object _invalidLock = new();
    private DateTimeOffset _globalBlockedUntil = DateTimeOffset.MinValue;
    private bool _invalidWarned;

    public RateLimitManager(TimeProvider time, IOptions<DiscordOptions> options, ILogger<RateLimitManager> logger)
    {
        _time = time;
        _logger = logger;
        _options = options.Value;
    }

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

    public DateTimeOffset GlobalBlockedUntil
    {
        get
        {
            lock (_globalWindow)
            {
                return _globalBlockedUntil;
            }
        }
    }

    /// <summary>Snapshot of a bucket's state for diagnostics and tests (null when the route has not been used).</summary>
    public (string Id, int? Limit, int Remaining, DateTimeOffset? ResetAt)? GetBucketState(RestRoute route)
    {
        var b = Resolve(route);
        return b is null ? null : (b.Id, b.Limit, b.Remaining, b.ResetAt);
    }

    /// <summary>Waits until the request may be sent; the returned lease must be completed with the response (or disposed on failure).</summary>
    public async Task<Lease> AcquireAsync(RestRoute route, CancellationToken ct)
    {
        await WaitForInvalidBudgetAsync(ct).ConfigureAwait(false);
        var bucket = GetOrCreate(route);
        while (true)
        {
            await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
            if (bucket.MovedTo is { } moved)
            {
                bucket.Gate.Release();
                bucket = moved;
                continue;
            }

            break;
        }

        try
        {
            await WaitForBucketResetAsync(bucket, route, ct).ConfigureAwait(false);
            if (!route.ExemptFromGlobalLimit)
            {
                await WaitForGlobalAsync(ct).ConfigureAwait(false);
            }

            if (bucket.Remaining > 0)
            {
                bucket.Remaining--;
            }
        }
        catch
        {
            bucket.Gate.Release();
            throw;
        }

        return new Lease(this, route, bucket);
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

    private async Task WaitForGlobalAsync(CancellationToken ct)
    {
        await _globalGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow();
                var blockedUntil = GlobalBlockedUntil;
                if (blockedUntil > now)
                {
                    await Task.Delay(blockedUntil - now, _time, ct).ConfigureAwait(false);
                    continue;
                }

                while (_globalWindow.Count > 0 && _globalWindow.Peek() + GlobalWindow <= now)
                {
                    _globalWindow.Dequeue();
                }

                if (_globalWindow.Count >= _options.GlobalRequestsPerSecond)
                {
                    await Task.Delay(_globalWindow.Peek() + GlobalWindow - now, _time, ct).ConfigureAwait(false);
                    continue;
                }

                _globalWindow.Enqueue(now);
                return;
            }
        }
        finally
        {
            _globalGate.Release();
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

    private Bucket? Resolve(RestRoute route)
    {
        var key = _routeToHash.TryGetValue(route.RouteKey, out var hash) ? hash + ":" + route.Major : route.RouteKey + ":" + route.Major;
        if (!_buckets.TryGetValue(key, out var b))
        {
            return null;
        }

        while (b.MovedTo is { } m)
        {
            b = m;
        }

        return b;
    }

    private Bucket GetOrCreate(RestRoute route)
    {
        var routeKey = route.RouteKey + ":" + route.Major;
        if (!_routeToHash.TryGetValue(route.RouteKey, out var hash))
        {
            return _buckets.GetOrAdd(routeKey, static k => new Bucket(k));
        }

        // The hash may have been learnt (from another channel) while this channel's first request is still in flight on
        // the bucket used before the hash was known. Queue behind that bucket (AcquireAsync follows it to the hashed
        // bucket when it moves) so two requests are never in flight to the same Discord bucket.
        return _buckets.TryGetValue(routeKey, out var pending)
            ? pending
            : _buckets.GetOrAdd(hash + ":" + route.Major, static k => new Bucket(k));
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
            if (!string.Equals(hashedKey, bucket.Id, StringComparison.Ordinal))
            {
                var fresh = new Bucket(hashedKey) { Limit = limit ?? bucket.Limit, Remaining = remaining ?? bucket.Remaining, ResetAt = resetAt ?? bucket.ResetAt };
                if (_buckets.TryAdd(hashedKey, fresh))
                {
                    target = fresh;
                }
                else
                {
                    target = _buckets[hashedKey];
                    exclusive = false;
                }

                bucket.MovedTo = target;
            }

            _routeToHash[lease.Route.RouteKey] = hash;
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
            if (isGlobal)
            {
                lock (_globalWindow)
                {
                    if (until > _globalBlockedUntil)
                    {
                        _globalBlockedUntil = until;
                    }
                }

                _logger.LogWarning("Discord global rate limit hit on {Route}; all requests wait {RetryAfter} s", lease.Route.RouteKey, retryAfter.TotalSeconds);
            }
            else
            {
                Restrict(target, 0, until);
                _logger.LogInformation("Discord rate limit hit on {Route}; retrying after {RetryAfter} s", lease.Route.RouteKey, retryAfter.TotalSeconds);
            }
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
            }
        }
    }
}
