using System.Net;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Rest;

namespace PaperBot.Discord.Tests;

public class RateLimitTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Exhausted_bucket_waits_for_reset_and_buckets_are_per_channel()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        h.Fake.Rest.ConfigureBucket("messages.create", 2, TimeSpan.FromSeconds(5));
        await h.Rest.CreateMessageAsync(1, MessageBuilder.Text("a"));
        await h.Rest.CreateMessageAsync(1, MessageBuilder.Text("b"));
        var state = h.Limits.GetBucketState(new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", "/channels/1/messages", "1"));
        Assert.Equal(0, state!.Value.Remaining);
        Assert.StartsWith("b-msg-create:", state.Value.Id); // learnt from X-RateLimit-Bucket, keyed by the major parameter

        var third = h.Rest.CreateMessageAsync(1, MessageBuilder.Text("c"));
        var otherChannel = await h.Rest.CreateMessageAsync(2, MessageBuilder.Text("other")); // a different major parameter is not blocked
        Assert.Equal(2UL, otherChannel.ChannelId);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        Assert.Equal(3, h.Fake.Rest.RequestsTo("messages.create").Count());
        var msg = await h.AdvanceUntilDoneAsync(third, Step);
        Assert.Equal("c", msg.Content);
        Assert.Equal(0, h.Fake.Rest.BucketViolations);
        Assert.Equal(0, h.Limits.InvalidRequestCount);
    }

    [Fact]
    public async Task A_channels_second_request_waits_for_its_first_while_the_bucket_hash_is_learnt_elsewhere()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        var channel1 = new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", "/channels/1/messages", "1");
        var channel2 = new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", "/channels/2/messages", "2");

        var first = await h.Limits.AcquireAsync(channel2, CancellationToken.None); // hash unknown yet: in flight
        var other = await h.Limits.AcquireAsync(channel1, CancellationToken.None);
        await other.CompleteAsync(Ok(remaining: 4));                               // the hash is learnt from channel 1

        var second = h.Limits.AcquireAsync(channel2, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(second.IsCompleted); // not in flight next to the first request of its channel

        await first.CompleteAsync(Ok(remaining: 3));
        using var lease = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("b-test:2", h.Limits.GetBucketState(channel2)!.Value.Id);
        Assert.Equal(2, h.Limits.GetBucketState(channel2)!.Value.Remaining);
    }

    private static HttpResponseMessage Ok(int remaining)
    {
        var r = new HttpResponseMessage(HttpStatusCode.OK);
        r.Headers.Add("X-RateLimit-Bucket", "b-test");
        r.Headers.Add("X-RateLimit-Limit", "5");
        r.Headers.Add("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        r.Headers.Add("X-RateLimit-Reset-After", "1.000");
        return r;
    }

    [Fact]
    public async Task Bucket_429_waits_retry_after_then_retries()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        h.Fake.Rest.RateLimitNext("messages.create", TimeSpan.FromSeconds(2));
        var send = h.Rest.CreateMessageAsync(5, MessageBuilder.Text("retry me"));
        await GatewayBasicsTests.WaitFor(() => h.Fake.Rest.RequestsTo("messages.create").Any());
        await Task.Delay(100);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(100);
        Assert.False(send.IsCompleted);
        Assert.Single(h.Fake.Rest.RequestsTo("messages.create"));
        var msg = await h.AdvanceUntilDoneAsync(send, Step);
        Assert.Equal("retry me", msg.Content);
        Assert.Equal([429, 200], h.Fake.Rest.RequestsTo("messages.create").Select(r => r.Status));
        var gap = h.Fake.Rest.RequestsTo("messages.create").Last().At - h.Fake.Rest.RequestsTo("messages.create").First().At;
        Assert.True(gap >= TimeSpan.FromSeconds(2), $"retried after {gap}");
        Assert.Equal(0, h.Fake.Rest.BucketViolations);
        Assert.Equal(0, h.Fake.Rest.EarlyRetries);
        Assert.Equal(1, h.Limits.InvalidRequestCount);
    }

    [Fact]
    public async Task Global_429_blocks_every_route_until_retry_after()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        h.Fake.Rest.RateLimitNext("messages.create", TimeSpan.FromSeconds(3), global: true);
        var first = h.Rest.CreateMessageAsync(1, MessageBuilder.Text("one"));
        await GatewayBasicsTests.WaitFor(() => h.Fake.Rest.RequestsTo("messages.create").Any());
        await GatewayBasicsTests.WaitFor(() => h.Limits.GlobalBlockedUntil > time.GetUtcNow());
        var second = h.Rest.EditMessageAsync(2, 3, MessageBuilder.Text("two")); // another bucket entirely
        await Task.Delay(150);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Empty(h.Fake.Rest.RequestsTo("messages.edit"));
        time.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(100);
        Assert.Empty(h.Fake.Rest.RequestsTo("messages.edit"));
        await h.AdvanceUntilAsync(() => first.IsCompleted && second.IsCompleted, Step);
        Assert.Equal("one", (await first).Content);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<DiscordRestException>(() => second)).StatusCode); // message 3 does not exist
        Assert.Equal(0, h.Fake.Rest.GlobalViolations);
        Assert.Equal(0, h.Fake.Rest.GlobalLockArrivals); // nothing was sent while the client knew about the lock-out
        Assert.Equal(0, h.Fake.Rest.EarlyRetries);
        Assert.Contains("global rate limit", h.Logs.All);
    }

    [Fact]
    public async Task Global_per_second_limit_is_respected()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time, config: c => c["Discord:GlobalRequestsPerSecond"] = "5");
        var sends = Enumerable.Range(0, 8).Select(i => h.Rest.CreateMessageAsync((ulong)(100 + i), MessageBuilder.Text("m" + i))).ToList();
        await GatewayBasicsTests.WaitFor(() => h.Fake.Rest.RequestsTo("messages.create").Count() == 5);
        await Task.Delay(150);
        Assert.Equal(5, h.Fake.Rest.RequestsTo("messages.create").Count());
        await h.AdvanceUntilAsync(() => sends.All(s => s.IsCompleted), Step);
        var times = h.Fake.Rest.RequestsTo("messages.create").Select(r => r.At).Order().ToList();
        for (var i = 5; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 5] >= TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, h.Fake.Rest.GlobalViolations);
    }

    [Fact]
    public async Task Invalid_requests_are_counted_and_back_off_at_the_soft_limit()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time, config: c => c["Discord:InvalidRequestSoftLimit"] = "3");
        for (var i = 0; i < 3; i++)
        {
            h.Fake.Rest.FailNext("messages.create", 403);
            var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateMessageAsync(1, MessageBuilder.Text("x")));
            Assert.Equal(50013, ex.DiscordCode);
        }

        Assert.Equal(3, h.Limits.InvalidRequestCount);
        var blocked = h.Rest.CreateMessageAsync(1, MessageBuilder.Text("after pause"));
        await Task.Delay(150);
        time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(150);
        Assert.False(blocked.IsCompleted);
        Assert.Equal(3, h.Fake.Rest.RequestsTo("messages.create").Count());
        Assert.Contains("soft limit", h.Logs.All);
        var msg = await h.AdvanceUntilDoneAsync(blocked, TimeSpan.FromSeconds(10));
        Assert.Equal("after pause", msg.Content);
        Assert.Equal(0, h.Limits.InvalidRequestCount);
    }

    [Fact]
    public async Task Shared_scope_429_is_not_counted_as_invalid()
    {
        // A 429 with X-RateLimit-Scope: shared does not count towards the invalid request limit (Discord docs).
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        var limits = h.Limits;
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("""{"message":"You are being rate limited.","retry_after":0.5,"global":false}"""),
        };
        response.Headers.Add("X-RateLimit-Scope", "shared");
        response.Headers.Add("X-RateLimit-Bucket", "shared-bucket");
        var route = new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", "/channels/9/messages", "9");
        var lease = await limits.AcquireAsync(route, CancellationToken.None);
        await lease.CompleteAsync(response);
        Assert.Equal(0, limits.InvalidRequestCount);
        var state = limits.GetBucketState(route)!.Value;
        Assert.Equal(0, state.Remaining);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(0.5), state.ResetAt);
    }
}

public class RateLimitHeaderTests
{
    [Theory]
    [InlineData("X-RateLimit-Global", "true", """{"message":"You are being rate limited.","retry_after":1.5,"global":false}""")]
    [InlineData("X-RateLimit-Scope", "global", """{"message":"You are being rate limited.","retry_after":1.5}""")]
    [InlineData("X-Unrelated", "x", """{"message":"You are being rate limited.","retry_after":1.5,"global":true}""")]
    public async Task Global_429_is_recognised_from_body_flag_or_headers(string header, string value, string body)
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(body) };
        response.Headers.Add(header, value);
        var route = new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", "/channels/9/messages", "9");
        var lease = await h.Limits.AcquireAsync(route, CancellationToken.None);
        await lease.CompleteAsync(response);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1.5), h.Limits.GlobalBlockedUntil);
        Assert.Equal(1, h.Limits.InvalidRequestCount);

        var next = h.Limits.AcquireAsync(new RestRoute(HttpMethod.Get, "/applications/@me", "/applications/@me", "-"), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1.5));
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }
}

public class RestSoakTests
{
    /// <summary>Scaled-down version of the discord-rest benchmark (real clock, real concurrency).</summary>
    [Fact]
    public async Task Hundred_sends_with_random_bucket_and_global_429s_lose_nothing_and_never_send_early()
    {
        await using var h = await Harness.StartAsync(config: c => c["Discord:RateLimitRetries"] = "50", fake: f => f.Seed = 3);
        var rest = h.Fake.Rest;
        rest.ConfigureBucket("messages.create", 5, TimeSpan.FromMilliseconds(200));
        rest.Inject429Probability = 0.1;
        rest.InjectGlobal429Probability = 0.03;
        rest.InjectedRetryAfterMin = TimeSpan.FromMilliseconds(20);
        rest.InjectedRetryAfterMax = TimeSpan.FromMilliseconds(80);
        var rng = new Random(3);
        var plan = Enumerable.Range(0, 100).Select(i => ((ulong)(10 + rng.Next(5)), "soak-" + i)).ToList();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, ct) =>
            Assert.Equal(p.Item2, (await h.Rest.CreateMessageAsync(p.Item1, MessageBuilder.Text(p.Item2), ct)).Content));

        var created = rest.CreatedMessages.Select(m => m["content"]!.GetValue<string>()).ToList();
        Assert.Equal(plan.Select(p => p.Item2).Order(), created.Order());
        Assert.True(rest.Injected429s + rest.InjectedGlobal429s > 0, "the soak must actually hit 429s");
        Assert.Equal(0, rest.BucketViolations);
        Assert.Equal(0, rest.EarlyRetries);
        Assert.Equal(0, rest.GlobalViolations);
    }
}
