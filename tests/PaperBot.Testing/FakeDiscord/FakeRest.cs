using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>One REST request the fake received.</summary>
public sealed record FakeRestRequest(
    string Method,
    string Path,
    string Route,
    string? Authorization,
    string? UserAgent,
    string Body,
    int Status,
    DateTimeOffset At)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    /// <summary>The request's Content-Type ("application/json", "multipart/form-data; boundary=…"), or empty.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>Files of a multipart/form-data request (<see cref="Body"/> is then its payload_json part).</summary>
    public IReadOnlyList<FakeUpload> Files { get; init; } = [];
}

/// <summary>Per-route rate-limit settings of the fake (a route name such as "messages.create").</summary>
public sealed record FakeBucketConfig(string Hash, int Limit, TimeSpan ResetAfter);

/// <summary>
/// REST half of the fake Discord: records requests, answers with real JSON shapes and X-RateLimit-* headers, simulates
/// per-bucket and global limits, injects 429s and 5xx, and counts the client's rate-limit violations.
/// </summary>
public sealed partial class FakeRest
{
    private readonly FakeDiscordServer _server;
    private readonly List<FakeRestRequest> _requests = [];
    private readonly ConcurrentDictionary<ulong, JsonObject> _messages = new();
    private readonly Dictionary<string, FakeBucketConfig> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketState> _state = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private readonly ConcurrentQueue<(string Route, int Status, JsonObject? Body)> _scriptedFailures = new();
    private readonly ConcurrentQueue<(string Route, TimeSpan RetryAfter, bool Global)> _scripted429s = new();
    private readonly object _lock = new();
    private readonly Random _random;
    private readonly Route[] _routes;
    private DateTimeOffset _globalLockedUntil = DateTimeOffset.MinValue;
    private bool _globalLockAnnounced;
    private DateTimeOffset _globalLockAnnouncedAt;
    private readonly Dictionary<string, DateTimeOffset> _retryNotBefore = new(StringComparer.Ordinal);
    private int _inFlight;
    private long _decisions;

    internal FakeRest(FakeDiscordServer server)
    {
        _server = server;
        _random = new Random(server.Options.Seed);
        _routes =
        [
            new("GET", GatewayBotRx(), "gateway.bot", null, false, GatewayBot),
            new("GET", AppMeRx(), "applications.me", null, false, ApplicationMe),
            new("POST", MessagesRx(), "messages.create", 1, false, CreateMessage),
            new("PATCH", MessageRx(), "messages.edit", 1, false, EditMessage),
            new("DELETE", MessageRx(), "messages.delete", 1, false, DeleteMessage),
            new("POST", ThreadRx(), "threads.create", 1, false, StartThread),
            new("POST", CallbackRx(), "interactions.callback", 1, true, Callback),
            new("PATCH", OriginalRx(), "webhooks.original.edit", 2, true, EditOriginal),
            new("DELETE", OriginalRx(), "webhooks.original.delete", 2, true, DeleteOriginal),
            new("POST", WebhookRx(), "webhooks.execute", 2, true, Followup),
            new("PATCH", WebhookMessageRx(), "webhooks.message.edit", 2, true, EditFollowup),
            new("PUT", GlobalCommandsRx(), "commands.global", 1, false, PutCommands),
            new("PUT", GuildCommandsRx(), "commands.guild", 2, false, PutCommands),
            new("POST", DmChannelsRx(), "users.dm", null, false, CreateDm),
            new("PUT", OwnReactionRx(), "reactions.add", 1, false, AddOwnReaction),
            new("DELETE", OwnReactionRx(), "reactions.delete", 1, false, DeleteOwnReaction),
            new("GET", MessagesRx(), "messages.list", 1, false, ListMessages),
            new("GET", MessageRx(), "messages.get", 1, false, GetMessage),
            new("POST", ForumThreadsRx(), "threads.forum", 1, false, CreateForumPost),
            new("GET", PollAnswerRx(), "polls.answers", 1, false, PollAnswerVoters),
            new("POST", EventsRx(), "events.create", 1, false, CreateEvent),
            new("GET", EventsRx(), "events.list", 1, false, ListEvents),
            new("GET", EventRx(), "events.get", 1, false, GetEvent),
            new("DELETE", EventRx(), "events.delete", 1, false, DeleteEvent),
            new("GET", EventUsersRx(), "events.users", 1, false, EventUsers),
        ];
        _buckets["messages.create"] = new("b-msg-create", 5, TimeSpan.FromSeconds(5));
        _buckets["messages.edit"] = new("b-msg-edit", 5, TimeSpan.FromSeconds(5));
        _buckets["messages.delete"] = new("b-msg-delete", 5, TimeSpan.FromSeconds(1));
        _buckets["threads.create"] = new("b-threads", 10, TimeSpan.FromSeconds(300));
        _buckets["interactions.callback"] = new("b-callback", 1000, TimeSpan.FromSeconds(1));
        _buckets["webhooks.original.edit"] = new("b-webhook", 5, TimeSpan.FromSeconds(2));
        _buckets["webhooks.original.delete"] = new("b-webhook", 5, TimeSpan.FromSeconds(2));
        _buckets["webhooks.execute"] = new("b-webhook", 5, TimeSpan.FromSeconds(2));
        _buckets["webhooks.message.edit"] = new("b-webhook", 5, TimeSpan.FromSeconds(2));
        _buckets["commands.global"] = new("b-commands", 2, TimeSpan.FromSeconds(60));
        _buckets["commands.guild"] = new("b-guild-commands", 2, TimeSpan.FromSeconds(60));
        _buckets["gateway.bot"] = new("b-gateway", 2, TimeSpan.FromSeconds(5));
        _buckets["users.dm"] = new("b-dm", 10, TimeSpan.FromSeconds(10));
        _buckets["applications.me"] = new("b-app", 5, TimeSpan.FromSeconds(5));

        _buckets["messages.list"] = new("b-msg-read", 5, TimeSpan.FromSeconds(5));
        _buckets["messages.get"] = new("b-msg-read", 5, TimeSpan.FromSeconds(5));
        _buckets["threads.forum"] = new("b-threads", 10, TimeSpan.FromSeconds(300));
        _buckets["polls.answers"] = new("b-polls", 5, TimeSpan.FromSeconds(5));
        _buckets["events.create"] = new("b-events-write", 5, TimeSpan.FromSeconds(10));
        _buckets["events.delete"] = new("b-events-write", 5, TimeSpan.FromSeconds(10));
        _buckets["events.list"] = new("b-events-read", 10, TimeSpan.FromSeconds(5));
        _buckets["events.get"] = new("b-events-read", 10, TimeSpan.FromSeconds(5));
        _buckets["events.users"] = new("b-events-read", 10, TimeSpan.FromSeconds(5));

        // Discord's reaction routes allow about one request per 250 ms per channel
        _buckets["reactions.add"] = new("b-reactions", 1, TimeSpan.FromMilliseconds(250));
        _buckets["reactions.delete"] = new("b-reactions", 1, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Called after a request has been handled (its effect applied) and before the answer is written, with the
    /// route name and path (without /api/v10); a test awaits here to simulate a client that dies before it reads the answer.</summary>
    public Func<string, string, CancellationToken, Task>? BeforeResponse { get; set; }

    /// <summary>Probability that a request gets an injected per-bucket 429 (bucket set to Remaining 0 until retry_after).</summary>
    public double Inject429Probability { get; set; }

    /// <summary>Probability that a request (when no other is in flight) gets an injected global 429.</summary>
    public double InjectGlobal429Probability { get; set; }

    /// <summary>retry_after range for injected 429s.</summary>
    public TimeSpan InjectedRetryAfterMin { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan InjectedRetryAfterMax { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Requests that arrived at a bucket whose Remaining was 0 before its reset (including retries before retry_after).</summary>
    public int BucketViolations { get; private set; }

    /// <summary>Requests beyond the global per-second limit.</summary>
    public int GlobalViolations { get; private set; }

    /// <summary>Retries of a request that got a 429 (bucket or global) arriving before that 429's retry_after had passed.</summary>
    public int EarlyRetries { get; private set; }

    /// <summary>Other requests arriving during a global lock-out (they get a 429 too). A client can only have sent these
    /// before it read the 429; <see cref="MaxGlobalLockArrivalDelay"/> shows how long after the 429 was written they arrived.</summary>
    public int GlobalLockArrivals { get; private set; }

    /// <summary>Requests arriving during a global lock-out whose 429 response was still being written (not yet announced).</summary>
    public int GlobalRaceRejections { get; private set; }

    /// <summary>Longest time between a global 429 being fully written and another request arriving during that lock-out.</summary>
    public TimeSpan MaxGlobalLockArrivalDelay { get; private set; }

    public int Injected429s { get; private set; }

    public int InjectedGlobal429s { get; private set; }

    /// <summary>Message sends (create/edit/callback 4/7/follow-ups) whose JSON had no allowed_mentions.</summary>
    public int SendsWithoutAllowedMentions { get; private set; }

    /// <summary>Request bodies this fake checked against Discord's OpenAPI spec and extra rules.</summary>
    public int SpecValidated => Volatile.Read(ref _specValidated);

    /// <summary>Bodies Discord would reject (spec or rule), sent without the <see cref="ExpectInvalidHeader"/> header. Any left
    /// when the fake is disposed fail the test.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Returns and clears <see cref="Violations"/>, for tests that make the client send an invalid body on purpose:
    /// they no longer count in the run's <c>discord-spec</c> line.</summary>
    public IReadOnlyList<string> TakeViolations()
    {
        var v = DrainViolations();
        DiscordSpecReport.Acknowledge(v.Count);
        return v;
    }

    internal IReadOnlyList<string> DrainViolations()
    {
        lock (_violations)
        {
            var v = _violations.ToList();
            _violations.Clear();
            return v;
        }
    }

    /// <summary>A request carrying this header is meant to be invalid (tests of the fake itself): it is answered the same but
    /// not counted as a violation.</summary>
    public const string ExpectInvalidHeader = "X-Fake-Expect-Invalid";

    private readonly List<string> _violations = [];
    private int _specValidated;

    public IReadOnlyList<FakeRestRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Messages created in channels (POST /channels/{id}/messages), in arrival order.</summary>
    public ConcurrentQueue<JsonObject> CreatedMessages { get; } = new();

    public ConcurrentQueue<string> DeletedMessageIds { get; } = new();

    /// <summary>Threads started from messages (the channel objects returned).</summary>
    public ConcurrentQueue<JsonObject> Threads { get; } = new();

    /// <summary>Last bulk-overwritten global commands.</summary>
    public JsonArray? GlobalCommands { get; private set; }

    public ConcurrentDictionary<ulong, JsonArray> GuildCommands { get; } = new();

    public JsonObject? FindMessage(ulong id) => _messages.TryGetValue(id, out var m) ? m : null;

    /// <summary>Sets a route's bucket: route names are messages.create, messages.edit, messages.delete, threads.create,
    /// interactions.callback, webhooks.*, commands.global, commands.guild, gateway.bot, applications.me.</summary>
    public void ConfigureBucket(string route, int limit, TimeSpan resetAfter, string? hash = null)
    {
        lock (_lock)
        {
            _buckets[route] = new FakeBucketConfig(hash ?? _buckets.GetValueOrDefault(route)?.Hash ?? "b-" + route, limit, resetAfter);
            _state.Clear();
        }
    }

    /// <summary>The next request to <paramref name="route"/> gets a 429: per-bucket (the bucket is exhausted until
    /// <paramref name="retryAfter"/>) or global (every non-interaction route is locked out until then).</summary>
    public void RateLimitNext(string route, TimeSpan retryAfter, bool global = false) => _scripted429s.Enqueue((route, retryAfter, global));

    /// <summary>The next request to <paramref name="route"/> is answered with <paramref name="status"/> (e.g. 500, 502, 401).</summary>
    public void FailNext(string route, int status) => _scriptedFailures.Enqueue((route, status, null));

    /// <summary>The next request to <paramref name="route"/> is answered with <paramref name="status"/> and this JSON body.</summary>
    public void FailNext(string route, int status, JsonObject body) => _scriptedFailures.Enqueue((route, status, body));

    public IEnumerable<FakeRestRequest> RequestsTo(string route) => Requests.Where(r => r.Route == route);

    /// <summary>Requests received (also counted when <see cref="FakeDiscordOptions.RecordHistory"/> is off).</summary>
    public int RequestCount { get; private set; }

    internal async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        const string prefix = "/api/v10";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await WriteJson(http, 404, new JsonObject { ["message"] = "404: Not Found", ["code"] = 0 }).ConfigureAwait(false);
            return;
        }

        path = path[prefix.Length..];
        var (body, uploads, multipartError) = await ReadBodyAsync(http).ConfigureAwait(false);
        _currentUploads.Value = uploads;
        _currentQuery.Value = http.Request.Query;

        var route = _routes.FirstOrDefault(r => r.Method == http.Request.Method && r.Regex.IsMatch(path));
        var time = _server.Options.TimeProvider;
        var now = time.GetUtcNow();
        if (route is null)
        {
            Record(http, path, "unknown", body, 404, now);
            await WriteJson(http, 404, new JsonObject { ["message"] = "404: Not Found", ["code"] = 0 }).ConfigureAwait(false);
            return;
        }

        var match = route.Regex.Match(path);
        var auth = http.Request.Headers.Authorization.ToString();
        if (!route.Webhook && auth != "Bot " + _server.Options.Token)
        {
            Record(http, path, route.Name, body, 401, now);
            await WriteJson(http, 401, new JsonObject { ["message"] = "401: Unauthorized", ["code"] = 0 }).ConfigureAwait(false);
            return;
        }

        var major = route.MajorGroup is { } g ? match.Groups[g].Value : "-";
        Interlocked.Increment(ref _inFlight);
        try
        {
            var identity = http.Request.Method + " " + path + " " + body;
            var decision = Decide(route, major, now, identity);
            if (decision.Status == 429)
            {
                Record(http, path, route.Name, body, 429, now);
                lock (_lock)
                {
                    _retryNotBefore[identity] = now + decision.RetryAfter;
                }

                await Write429(http, decision).ConfigureAwait(false);
                if (decision.Global)
                {
                    lock (_lock)
                    {
                        if (!_globalLockAnnounced)
                        {
                            _globalLockAnnounced = true;
                            _globalLockAnnouncedAt = _server.Options.TimeProvider.GetUtcNow();
                        }
                    }
                }

                return;
            }

            if (_scriptedFailures.TryPeek(out var f) && f.Route == route.Name && _scriptedFailures.TryDequeue(out f))
            {
                Record(http, path, route.Name, body, f.Status, now);
                AddBucketHeaders(http, decision);
                await WriteJson(http, f.Status, f.Body?.DeepClone() ?? (f.Status >= 500
                    ? new JsonObject { ["message"] = "500: Internal Server Error", ["code"] = 0 }
                    : new JsonObject { ["message"] = f.Status == 401 ? "401: Unauthorized" : "403: Forbidden", ["code"] = f.Status == 403 ? 50013 : 0 })).ConfigureAwait(false);
                return;
            }

            JsonNode? json = null;
            var expectInvalid = http.Request.Headers.ContainsKey(ExpectInvalidHeader);
            if ((multipartError ?? (uploads.Count > 0 ? UploadError(route.Name, body, uploads) : null)) is { } uploadFailure)
            {
                var (errorStatus, errorBody) = uploadFailure;
                if (errorStatus == 400)
                {
                    Reject(route, errorBody.ToJsonString(), expectInvalid);
                }

                Record(http, path, route.Name, body, errorStatus, now);
                AddBucketHeaders(http, decision);
                await WriteJson(http, errorStatus, errorBody).ConfigureAwait(false);
                return;
            }

            if (!string.IsNullOrEmpty(body))
            {
                try
                {
                    json = JsonNode.Parse(body);
                }
                catch (System.Text.Json.JsonException)
                {
                    Reject(route, "body is not JSON", expectInvalid);
                    Record(http, path, route.Name, body, 400, now);
                    await WriteJson(http, 400, new JsonObject { ["message"] = "The request body contains invalid JSON.", ["code"] = 50109 }).ConfigureAwait(false);
                    return;
                }
            }

            if (http.Request.Method is "POST" or "PATCH" or "PUT" && DiscordSpec.Instance.Validate(http.Request.Method, path, json, IsMultipart(http) ? "multipart/form-data" : "application/json") is { } specErrors)
            {
                Interlocked.Increment(ref _specValidated);
                DiscordSpecReport.CountValidated();
                var ruleError = specErrors.Count == 0 ? DiscordRules.Check(route.Name, json) : null;
                if (specErrors.Count > 0 || ruleError is not null)
                {
                    var answer = ruleError ?? DiscordSpec.FormError(specErrors);
                    Reject(route, specErrors.Count > 0 ? string.Join("; ", specErrors) : answer.ToJsonString(), expectInvalid);
                    Record(http, path, route.Name, body, 400, now);
                    AddBucketHeaders(http, decision);
                    await WriteJson(http, 400, answer).ConfigureAwait(false);
                    return;
                }
            }

            int status;
            JsonNode? response;
            try
            {
                (status, response) = route.Handler(match, json);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.Text.Json.JsonException or KeyNotFoundException or NullReferenceException or OverflowException or ArgumentException)
            {
                // a field of the wrong type: Discord answers 400, never 500
                (status, response) = (400, FormError("_root", "BASE_TYPE_BAD_TYPE", "A field has the wrong type: " + ex.GetType().Name));
            }

            if (BeforeResponse is { } hook)
            {
                // the request has taken effect; a test may hold or drop the answer here (a client crashing mid-request)
                await hook(route.Name, path, http.RequestAborted).ConfigureAwait(false);
            }

            if (status == 400 && response?["code"]?.GetValue<int>() is 50035 or 50006)
            {
                Reject(route, response.ToJsonString(), expectInvalid);
            }

            Record(http, path, route.Name, body, status, now);
            AddBucketHeaders(http, decision);
            if (response is null)
            {
                http.Response.StatusCode = status;
                return;
            }

            await WriteJson(http, status, response).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>A protocol violation found outside a REST route (e.g. an Interactions Endpoint response).</summary>
    internal void Violation(string what)
    {
        lock (_violations)
        {
            _violations.Add(what);
        }

        DiscordSpecReport.CountViolation(what);
    }

    private void Reject(Route route, string why, bool expected)
    {
        if (expected)
        {
            return;
        }

        var what = $"{route.Method} {route.Name}: {why}";
        lock (_violations)
        {
            _violations.Add(what);
        }

        DiscordSpecReport.CountViolation(what);
    }

    private Decision Decide(Route route, string major, DateTimeOffset now, string identity)
    {
        lock (_lock)
        {
            if (_retryNotBefore.Remove(identity, out var notBefore) && now < notBefore)
            {
                EarlyRetries++;
            }

            // global: announced lock-out, then the per-second limit
            if (!route.Webhook)
            {
                if (_globalLockedUntil > now)
                {
                    if (_globalLockAnnounced)
                    {
                        GlobalLockArrivals++;
                        if (now - _globalLockAnnouncedAt > MaxGlobalLockArrivalDelay)
                        {
                            MaxGlobalLockArrivalDelay = now - _globalLockAnnouncedAt;
                        }
                    }
                    else
                    {
                        GlobalRaceRejections++;
                    }

                    return Decision.GlobalLimited(_globalLockedUntil - now);
                }

                while (_globalWindow.Count > 0 && _globalWindow.Peek() + TimeSpan.FromSeconds(1) <= now)
                {
                    _globalWindow.Dequeue();
                }

                if (_globalWindow.Count >= _server.Options.GlobalLimitPerSecond)
                {
                    GlobalViolations++;
                    var wait = _globalWindow.Peek() + TimeSpan.FromSeconds(1) - now;
                    SetGlobalLock(now + wait);
                    return Decision.GlobalLimited(wait);
                }

                if (InjectGlobal429Probability > 0 && Volatile.Read(ref _inFlight) == 1 && _random.NextDouble() < InjectGlobal429Probability)
                {
                    InjectedGlobal429s++;
                    var wait = RandomRetryAfter();
                    SetGlobalLock(now + wait);
                    return Decision.GlobalLimited(wait);
                }
            }

            var scripted = _scripted429s.TryPeek(out var s429) && s429.Route == route.Name && _scripted429s.TryDequeue(out s429);
            if (scripted && s429.Global)
            {
                InjectedGlobal429s++;
                SetGlobalLock(now + s429.RetryAfter);
                return Decision.GlobalLimited(s429.RetryAfter);
            }

            var config = _buckets[route.Name];
            var key = config.Hash + ":" + major;
            if (!_server.Options.RecordHistory && ++_decisions % 1000 == 0)
            {
                // soak mode: forget buckets that reset long ago (each interaction has its own), so the fake stays flat
                foreach (var stale in _state.Where(kv => kv.Value.ResetAt is { } at && at < now - TimeSpan.FromMinutes(1)).Select(kv => kv.Key).ToList())
                {
                    _state.Remove(stale);
                }
            }
            if (!_state.TryGetValue(key, out var state))
            {
                state = new BucketState { Remaining = config.Limit };
                _state[key] = state;
            }

            if (state.ResetAt is { } reset && reset <= now)
            {
                state.Remaining = config.Limit;
                state.ResetAt = null;
            }

            if (state.Remaining <= 0)
            {
                BucketViolations++;
                return Decision.BucketLimited(config, state, now);
            }

            if (scripted || (Inject429Probability > 0 && _random.NextDouble() < Inject429Probability))
            {
                Injected429s++;
                state.Remaining = 0;
                var until = now + (scripted ? s429.RetryAfter : RandomRetryAfter());
                if (state.ResetAt is null || state.ResetAt < until)
                {
                    state.ResetAt = until;
                }

                return Decision.BucketLimited(config, state, now);
            }

            state.Remaining--;
            state.ResetAt ??= now + config.ResetAfter;
            if (!route.Webhook)
            {
                _globalWindow.Enqueue(now);
            }

            return new Decision(200, false, TimeSpan.Zero, config, state.Remaining, state.ResetAt.Value - now, state.ResetAt.Value);
        }
    }

    private void SetGlobalLock(DateTimeOffset until)
    {
        _globalLockedUntil = until;
        _globalLockAnnounced = false;
    }

    private TimeSpan RandomRetryAfter()
        => InjectedRetryAfterMin + ((InjectedRetryAfterMax - InjectedRetryAfterMin) * _random.NextDouble());

    private static void AddBucketHeaders(HttpContext http, Decision d)
    {
        if (d.Config is null)
        {
            return;
        }

        var h = http.Response.Headers;
        h["X-RateLimit-Limit"] = d.Config.Limit.ToString(CultureInfo.InvariantCulture);
        h["X-RateLimit-Remaining"] = d.Remaining.ToString(CultureInfo.InvariantCulture);
        h["X-RateLimit-Reset"] = (d.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        h["X-RateLimit-Reset-After"] = Seconds(d.ResetAfter);
        h["X-RateLimit-Bucket"] = d.Config.Hash;
    }

    /// <summary>Seconds with 3 decimals, rounded up so a client that waits exactly this long is never early.</summary>
    private static string Seconds(TimeSpan t) => (Math.Ceiling(Math.Max(0, t.TotalMilliseconds)) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static async Task Write429(HttpContext http, Decision d)
    {
        var h = http.Response.Headers;
        h["Retry-After"] = Math.Ceiling(d.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        if (d.Global)
        {
            h["X-RateLimit-Global"] = "true";
            h["X-RateLimit-Scope"] = "global";
        }
        else
        {
            AddBucketHeaders(http, d);
            h["X-RateLimit-Scope"] = "user";
        }

        await WriteJson(http, 429, new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = double.Parse(Seconds(d.RetryAfter), CultureInfo.InvariantCulture),
            ["global"] = d.Global,
            ["code"] = d.Global ? 0 : (JsonNode?)null,
        }).ConfigureAwait(false);
        await http.Response.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task WriteJson(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }

    private void Record(HttpContext http, string path, string route, string body, int status, DateTimeOffset at)
    {
        var r = new FakeRestRequest(http.Request.Method, path, route, http.Request.Headers.Authorization.ToString(), http.Request.Headers.UserAgent.ToString(), body, status, at)
        {
            ContentType = http.Request.ContentType ?? "",
            Files = _currentUploads.Value ?? [],
        };
        lock (_requests)
        {
            if (_server.Options.RecordHistory)
            {
                _requests.Add(r);
            }

            RequestCount++;
        }
    }

    // ---- route handlers -------------------------------------------------------------------------------------------

    private (int, JsonNode?) GatewayBot(Match m, JsonNode? body)
    {
        var limit = _server.Gateway.SessionStartLimit;
        return (200, new JsonObject
        {
            ["url"] = _server.GatewayUrl,
            ["shards"] = 1,
            ["session_start_limit"] = new JsonObject
            {
                ["total"] = limit.Total,
                ["remaining"] = limit.Remaining,
                ["reset_after"] = (long)Math.Max(0, limit.ResetAfter.TotalMilliseconds),
                ["max_concurrency"] = limit.MaxConcurrency,
            },
        });
    }

    private (int, JsonNode?) ApplicationMe(Match m, JsonNode? body) => (200, new JsonObject
    {
        ["id"] = Id(_server.Options.ApplicationId),
        ["name"] = _server.Options.BotUsername,
        ["icon"] = null,
        ["description"] = "",
        ["bot_public"] = true,
        ["bot_require_code_grant"] = false,
        ["flags"] = 8953856,
        ["bot"] = BotUser(),
        ["verify_key"] = "0000000000000000000000000000000000000000000000000000000000000000",
    });

    /// <summary>Create-message requests answered with an earlier message because of <c>enforce_nonce</c>.</summary>
    public int NonceDeduplicated => Volatile.Read(ref _nonceDeduplicated);

    private int _nonceDeduplicated;
    private readonly Dictionary<(ulong Channel, string Nonce), (JsonObject Message, DateTimeOffset At)> _nonces = [];

    private (int, JsonNode?) CreateMessage(Match m, JsonNode? body)
    {
        if (Validate(body) is { } error)
        {
            return (400, error);
        }

        var channel = ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var nonce = body!["nonce"] is JsonValue n ? n.ToString() : null;
        var enforce = body["enforce_nonce"] is JsonValue e && e.GetValue<bool>();
        var now = _server.Options.TimeProvider.GetUtcNow();
        lock (_nonces)
        {
            // Discord: with enforce_nonce, a message with the same nonce by the same author in the past few minutes is
            // returned instead of creating a new one
            if (enforce && nonce is not null && _nonces.TryGetValue((channel, nonce), out var earlier) && now - earlier.At < _server.Options.NonceWindow)
            {
                Interlocked.Increment(ref _nonceDeduplicated);
                return (200, earlier.Message.DeepClone());
            }

            var msg = NewMessage(channel, body.AsObject(), null);
            if (nonce is not null)
            {
                msg["nonce"] = nonce;
                _nonces[(channel, nonce)] = (msg, now);
            }

            if (_server.Options.RecordHistory)
            {
                CreatedMessages.Enqueue(msg);
            }

            return (200, msg);
        }
    }

    private (int, JsonNode?) EditMessage(Match m, JsonNode? body)
    {
        if (!_messages.TryGetValue(ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), out var msg))
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        if (Validate(body) is { } error)
        {
            return (400, error);
        }

        ApplyEdit(msg, body!.AsObject());
        return (200, msg.DeepClone());
    }

    private (int, JsonNode?) DeleteMessage(Match m, JsonNode? body)
    {
        if (!_messages.TryRemove(ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), out _))
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        DeletedMessageIds.Enqueue(m.Groups[2].Value);
        return (204, null);
    }

    /// <summary>DM channels opened with POST /users/@me/channels: recipient user id → channel id.</summary>
    public ConcurrentDictionary<ulong, ulong> DmChannels { get; } = new();

    private (int, JsonNode?) CreateDm(Match m, JsonNode? body)
    {
        if (!ulong.TryParse(body?["recipient_id"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var user))
        {
            return (400, FormError("recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake."));
        }

        var channel = DmChannels.GetOrAdd(user, _ => _server.Snowflakes.Next());
        return (200, new JsonObject
        {
            ["id"] = Id(channel),
            ["type"] = 1,
            ["last_message_id"] = null,
            ["flags"] = 0,
            ["recipients"] = new JsonArray(new JsonObject { ["id"] = Id(user), ["username"] = "user" + Id(user)[^4..], ["discriminator"] = "0" }),
        });
    }

    private (int, JsonNode?) StartThread(Match m, JsonNode? body)
    {
        var name = body?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            return (400, FormError("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."));
        }

        var messageId = m.Groups[2].Value;
        var thread = new JsonObject
        {
            ["id"] = messageId,
            ["type"] = 11,
            ["guild_id"] = Id(_server.Options.Guilds.FirstOrDefault()),
            ["parent_id"] = m.Groups[1].Value,
            ["owner_id"] = Id(_server.Options.BotUserId),
            ["name"] = name,
            ["last_message_id"] = null,
            ["rate_limit_per_user"] = 0,
            ["message_count"] = 0,
            ["member_count"] = 1,
            ["thread_metadata"] = new JsonObject
            {
                ["archived"] = false,
                ["auto_archive_duration"] = body?["auto_archive_duration"]?.GetValue<int>() ?? 4320,
                ["archive_timestamp"] = Now(),
                ["locked"] = false,
            },
            ["total_message_sent"] = 0,
        };
        Threads.Enqueue(thread);
        return (201, thread);
    }

    private (int, JsonNode?) Callback(Match m, JsonNode? body)
    {
        var interaction = _server.Interactions.Find(ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        if (interaction is null || interaction.Token != Uri.UnescapeDataString(m.Groups[2].Value))
        {
            return (404, new JsonObject { ["message"] = "Unknown interaction", ["code"] = 10062 });
        }

        return AcceptCallback(interaction, body, _currentQuery.Value is { } query && string.Equals(query["with_response"], "true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A callback arriving either as POST /callback or as the HTTP response of the Interactions Endpoint:
    /// checks the 3 s window, the type against the interaction and the message body, and records it.</summary>
    internal (int, JsonNode?) AcceptCallback(FakeInteraction interaction, JsonNode? body, bool withResponse)
    {
        var type = body?["type"]?.GetValue<int>() ?? 0;
        if (type is not (1 or 4 or 5 or 6 or 7 or 8 or 9))
        {
            return (400, FormError("type", "BASE_TYPE_CHOICES", "Value must be one of {1, 4, 5, 6, 7, 8, 9}."));
        }

        if (_server.Options.TimeProvider.GetUtcNow() - interaction.CreatedAt > _server.Options.InteractionCallbackWindow)
        {
            interaction.RejectedCallbacks.Enqueue((type, 10062));
            return (404, new JsonObject { ["message"] = "Unknown interaction", ["code"] = 10062 });
        }

        // which callbacks fit which interaction: ping → pong; command → message, deferral, modal; component → also the
        // message updates; autocomplete → choices only; modal submit → no modal
        var fits = interaction.Type switch
        {
            1 => type == 1,
            2 => type is 4 or 5 or 9,
            3 => type is 4 or 5 or 6 or 7 or 9,
            4 => type == 8,
            5 => type is 4 or 5 or 6 or 7,
            _ => false,
        };
        if (!fits)
        {
            interaction.RejectedCallbacks.Enqueue((type, 50035));
            return (400, FormError("type", "INTERACTION_CALLBACK_TYPE_INVALID", $"Callback type {type} is not valid for an interaction of type {interaction.Type}."));
        }

        var data = body?["data"];
        if (type is 4 or 7 && Validate(data) is { } error)
        {
            return (400, error);
        }

        var cb = new FakeInteractionCallback(type, data?.DeepClone(), _server.Options.TimeProvider.GetUtcNow(), Stopwatch.GetTimestamp());
        if (!interaction.TrySetCallback(cb))
        {
            interaction.RejectedCallbacks.Enqueue((type, 40060));
            return (400, new JsonObject { ["message"] = "Interaction has already been acknowledged.", ["code"] = 40060 });
        }

        if (type is 4 or 5)
        {
            var channelId = ulong.Parse(interaction.Payload["channel_id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var content = type == 4 ? data!.AsObject() : new JsonObject { ["content"] = "", ["flags"] = 128 | (data?["flags"]?.GetValue<int>() ?? 0) };
            interaction.OriginalMessage = NewMessage(channelId, content, interaction);
        }

        if (withResponse)
        {
            return (200, CallbackResponse(interaction, type));
        }
        else if (type == 7 && interaction.Payload["message"] is JsonObject original)
        {
            ApplyEdit(original, data!.AsObject());
            if (_messages.TryGetValue(ulong.Parse(original["id"]!.GetValue<string>(), CultureInfo.InvariantCulture), out var stored))
            {
                ApplyEdit(stored, data!.AsObject());
            }
        }

        return (204, null);
    }

    private (int, JsonNode?) EditOriginal(Match m, JsonNode? body)
    {
        var interaction = WebhookInteraction(m);
        if (CheckToken(interaction) is { } expired)
        {
            return expired;
        }

        if (interaction?.OriginalMessage is not { } msg)
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        if (Validate(body) is { } error)
        {
            return (400, error);
        }

        ApplyEdit(msg, body!.AsObject());
        if (msg["flags"] is JsonValue f)
        {
            msg["flags"] = f.GetValue<int>() & ~128; // no longer "thinking"
        }

        return (200, msg.DeepClone());
    }

    private (int, JsonNode?) DeleteOriginal(Match m, JsonNode? body)
    {
        var interaction = WebhookInteraction(m);
        if (CheckToken(interaction) is { } expired)
        {
            return expired;
        }

        if (interaction?.OriginalMessage is null)
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        interaction.OriginalMessage = null;
        return (204, null);
    }

    private (int, JsonNode?) Followup(Match m, JsonNode? body)
    {
        var interaction = WebhookInteraction(m);
        if (CheckToken(interaction) is { } expired)
        {
            return expired;
        }

        if (interaction is null)
        {
            return (404, new JsonObject { ["message"] = "Unknown Webhook", ["code"] = 10015 });
        }

        if (!interaction.Callback.IsCompleted)
        {
            return (400, new JsonObject { ["message"] = "Unknown Message: the interaction has not been acknowledged", ["code"] = 10008 });
        }

        if (Validate(body) is { } error)
        {
            return (400, error);
        }

        var channelId = ulong.Parse(interaction.Payload["channel_id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var msg = NewMessage(channelId, body!.AsObject(), interaction);
        interaction.Followups.Enqueue(msg);
        return (200, msg);
    }

    private (int, JsonNode?) EditFollowup(Match m, JsonNode? body)
    {
        var interaction = WebhookInteraction(m);
        if (CheckToken(interaction) is { } expired)
        {
            return expired;
        }

        var msg = interaction?.Followups.FirstOrDefault(f => f["id"]!.GetValue<string>() == m.Groups[3].Value);
        if (msg is null)
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        if (Validate(body) is { } error)
        {
            return (400, error);
        }

        ApplyEdit(msg, body!.AsObject());
        return (200, msg.DeepClone());
    }

    private (int, JsonNode?) PutCommands(Match m, JsonNode? body)
    {
        if (body is not JsonArray commands)
        {
            return (400, FormError("_root", "BASE_TYPE_ARRAY", "Must be an array."));
        }

        if (m.Groups[1].Value != Id(_server.Options.ApplicationId))
        {
            return (403, new JsonObject { ["message"] = "Missing Access", ["code"] = 50001 });
        }

        var result = new JsonArray();
        foreach (var c in commands)
        {
            var o = c!.DeepClone().AsObject();
            o["id"] = Id(_server.Snowflakes.Next());
            o["application_id"] = Id(_server.Options.ApplicationId);
            o["version"] = Id(_server.Snowflakes.Next());
            o["type"] ??= 1;
            if (m.Groups.Count > 2 && m.Groups[2].Success)
            {
                o["guild_id"] = m.Groups[2].Value;
            }

            result.Add(o);
        }

        if (m.Groups.Count > 2 && m.Groups[2].Success)
        {
            GuildCommands[ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)] = (JsonArray)result.DeepClone();
        }
        else
        {
            GlobalCommands = (JsonArray)result.DeepClone();
        }

        return (200, result);
    }

    private FakeInteraction? WebhookInteraction(Match m)
        => m.Groups[1].Value == Id(_server.Options.ApplicationId) ? _server.Interactions.FindByToken(Uri.UnescapeDataString(m.Groups[2].Value)) : null;

    /// <summary>Interaction tokens live 15 minutes: later webhook calls get 401 50027 Invalid Webhook Token.</summary>
    private (int, JsonNode?)? Expired(FakeInteraction? interaction)
        => interaction is not null && _server.Options.TimeProvider.GetUtcNow() - interaction.CreatedAt > _server.Options.InteractionTokenLifetime
            ? (401, new JsonObject { ["message"] = "Invalid Webhook Token", ["code"] = 50027 })
            : null;

    /// <summary>Webhook calls refused because the interaction token had expired.</summary>
    public int ExpiredTokenCalls => Volatile.Read(ref _expiredTokenCalls);

    private int _expiredTokenCalls;

    private (int, JsonNode?)? CheckToken(FakeInteraction? interaction)
    {
        if (Expired(interaction) is { } expired)
        {
            Interlocked.Increment(ref _expiredTokenCalls);
            return expired;
        }

        return null;
    }

    /// <summary>Discord's checks for message bodies (subset): content 2000, 10 embeds, 6000 embed characters, 5 rows; records missing allowed_mentions.</summary>
    private JsonObject? Validate(JsonNode? body)
    {
        if (body is not JsonObject o)
        {
            return FormError("_root", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        }

        if (o["allowed_mentions"] is null)
        {
            lock (_lock)
            {
                SendsWithoutAllowedMentions++;
            }
        }

        var content = o["content"]?.GetValue<string>();
        if (content is { Length: > 2000 })
        {
            return FormError("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
        }

        if (o["embeds"] is JsonArray embeds)
        {
            if (embeds.Count > 10)
            {
                return FormError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
            }

            var total = embeds.Sum(e => Len(e?["title"]) + Len(e?["description"]) + Len(e?["footer"]?["text"]) + Len(e?["author"]?["name"])
                + (e?["fields"] is JsonArray fs ? fs.Sum(f => Len(f?["name"]) + Len(f?["value"])) : 0));
            if (total > 6000)
            {
                return FormError("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
            }
        }

        if (o["components"] is JsonArray rows && rows.Count > 5)
        {
            return FormError("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
        }

        return null;

        static int Len(JsonNode? n) => n?.GetValue<string>().Length ?? 0;
    }

    private static JsonObject FormError(string field, string code, string message) => new()
    {
        ["message"] = "Invalid Form Body",
        ["code"] = 50035,
        ["errors"] = new JsonObject { [field] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) } },
    };

    private JsonObject NewMessage(ulong channelId, JsonObject body, FakeInteraction? interaction)
    {
        var id = _server.Snowflakes.Next();
        var msg = new JsonObject
        {
            ["id"] = Id(id),
            ["type"] = interaction is null ? (body["message_reference"] is null ? 0 : 19) : (interaction.Type == 2 ? 20 : 0),
            ["content"] = body["content"]?.GetValue<string>() ?? "",
            ["channel_id"] = Id(channelId),
            ["author"] = BotUser(),
            ["attachments"] = NewAttachments(channelId, body, null),
            ["embeds"] = body["embeds"]?.DeepClone() ?? new JsonArray(),
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["pinned"] = false,
            ["mention_everyone"] = false,
            ["tts"] = false,
            ["timestamp"] = Now(),
            ["edited_timestamp"] = null,
            ["flags"] = body["flags"]?.GetValue<int>() ?? 0,
            ["components"] = body["components"]?.DeepClone() ?? new JsonArray(),
        };
        if (body["message_reference"] is JsonObject reference)
        {
            msg["message_reference"] = reference.DeepClone();
        }

        if (body["poll"] is JsonObject poll)
        {
            msg["poll"] = PollResponse(poll);
        }

        if (interaction is not null)
        {
            msg["webhook_id"] = Id(_server.Options.ApplicationId);
            msg["application_id"] = Id(_server.Options.ApplicationId);
        }

        if (_server.Options.RecordHistory)
        {
            _messages[id] = msg;
        }
        return msg;
    }

    private void ApplyEdit(JsonObject msg, JsonObject body)
    {
        foreach (var key in new[] { "content", "embeds", "components", "flags" })
        {
            if (body.ContainsKey(key))
            {
                msg[key] = body[key]?.DeepClone();
            }
        }

        if (body.ContainsKey("attachments") || (_currentUploads.Value?.Count ?? 0) > 0)
        {
            msg["attachments"] = NewAttachments(ulong.Parse(msg["channel_id"]!.GetValue<string>(), CultureInfo.InvariantCulture), body, msg["attachments"] as JsonArray);
        }

        msg["edited_timestamp"] = Now();
    }

    internal JsonObject BotUser() => new()
    {
        ["id"] = Id(_server.Options.BotUserId),
        ["username"] = _server.Options.BotUsername,
        ["discriminator"] = "0",
        ["global_name"] = null,
        ["avatar"] = null,
        ["bot"] = true,
    };

    private string Now() => _server.Options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture);

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^/gateway/bot$")] private static partial Regex GatewayBotRx();
    [GeneratedRegex(@"^/users/@me/channels$")] private static partial Regex DmChannelsRx();
    [GeneratedRegex(@"^/applications/@me$")] private static partial Regex AppMeRx();
    [GeneratedRegex(@"^/channels/(\d+)/messages$")] private static partial Regex MessagesRx();
    [GeneratedRegex(@"^/channels/(\d+)/messages/(\d+)$")] private static partial Regex MessageRx();
    [GeneratedRegex(@"^/channels/(\d+)/messages/(\d+)/threads$")] private static partial Regex ThreadRx();
    [GeneratedRegex(@"^/interactions/(\d+)/([^/]+)/callback$")] private static partial Regex CallbackRx();
    [GeneratedRegex(@"^/webhooks/(\d+)/([^/]+)/messages/@original$")] private static partial Regex OriginalRx();
    [GeneratedRegex(@"^/webhooks/(\d+)/([^/]+)$")] private static partial Regex WebhookRx();
    [GeneratedRegex(@"^/webhooks/(\d+)/([^/]+)/messages/(\d+)$")] private static partial Regex WebhookMessageRx();
    [GeneratedRegex(@"^/applications/(\d+)/commands$")] private static partial Regex GlobalCommandsRx();
    [GeneratedRegex(@"^/applications/(\d+)/guilds/(\d+)/commands$")] private static partial Regex GuildCommandsRx();
    [GeneratedRegex(@"^/channels/(\d+)/messages/(\d+)/reactions/([^/]+)/@me$")] private static partial Regex OwnReactionRx();

    private sealed record Route(string Method, Regex Regex, string Name, int? MajorGroup, bool Webhook, Func<Match, JsonNode?, (int, JsonNode?)> Handler);

    private sealed class BucketState
    {
        public int Remaining { get; set; }
        public DateTimeOffset? ResetAt { get; set; }
    }

    private sealed record Decision(int Status, bool Global, TimeSpan RetryAfter, FakeBucketConfig? Config, int Remaining, TimeSpan ResetAfter, DateTimeOffset ResetAt)
    {
        public static Decision GlobalLimited(TimeSpan wait) => new(429, true, wait, null, 0, wait, default);

        public static Decision BucketLimited(FakeBucketConfig c, BucketState s, DateTimeOffset now)
        {
            var wait = (s.ResetAt ?? now) - now;
            return new Decision(429, false, wait, c, 0, wait, s.ResetAt ?? now);
        }
    }
}
