using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Tests;

public class GatewayFaultTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(41250);

    private static async Task<Harness> ReadyAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider? time = null, Action<PaperBot.Testing.FakeDiscord.FakeDiscordOptions>? fake = null)
    {
        var h = await Harness.StartAsync(time, services: GatewayTestSetup.Recording, fake: fake);
        h.StartGateway();
        await h.WaitForReadyAsync();

        // the fake has sent READY; wait until the client has read it too, or a fault injected now could lose the session
        await GatewayBasicsTests.WaitFor(() => h.Gateway.State == GatewayState.Ready && h.Gateway.SessionId is not null);
        return h;
    }

    private static List<string> Kinds(Harness h) => h.Services.GetRequiredService<EventLog>().Events.Select(e => e.Kind).ToList();

    [Fact]
    public async Task First_heartbeat_is_jittered_then_every_interval_with_last_sequence()
    {
        var time = Harness.NewTime();
        await using var h = await ReadyAsync(time);
        var readyAt = time.GetUtcNow();
        await Task.Delay(100);
        Assert.Equal(0, h.Fake.Gateway.HeartbeatCount);
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.HeartbeatCount == 1, TimeSpan.FromMilliseconds(500));
        var first = h.Fake.Gateway.Received.First(r => r.Op == 1);
        Assert.InRange(first.At - readyAt, TimeSpan.Zero, Interval);
        Assert.Equal(h.Fake.Gateway.Sequence, first.D!.GetValue<int>());
        Assert.Equal(Interval, h.Gateway.HeartbeatInterval);
        await GatewayBasicsTests.WaitFor(() => h.Gateway.Latency is not null); // the ACK reached the client

        time.Advance(Interval);
        await h.Fake.Gateway.WaitUntilAsync(g => g.HeartbeatCount == 2);
        var beats = h.Fake.Gateway.Received.Where(r => r.Op == 1).ToList();
        Assert.Equal(Interval, beats[1].At - beats[0].At);
        Assert.True(h.Gateway.Latency >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Op1_from_server_gets_an_immediate_heartbeat()
    {
        var time = Harness.NewTime();
        await using var h = await ReadyAsync(time);
        await h.Fake.Gateway.RequestHeartbeatAsync();
        await h.Fake.Gateway.WaitUntilAsync(g => g.HeartbeatCount == 1);
        Assert.Equal(h.Fake.Gateway.Sequence, h.Fake.Gateway.Received.Single(r => r.Op == 1).D!.GetValue<int>());
    }

    [Fact]
    public async Task Zombie_connection_is_closed_with_non_1000_and_resumed()
    {
        var time = Harness.NewTime();
        await using var h = await ReadyAsync(time);
        h.Fake.Gateway.WithholdAcks = true;
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.HeartbeatCount == 1, TimeSpan.FromMilliseconds(500));
        await h.Fake.Gateway.SendUserMessageAsync(1, "before zombie");
        h.Fake.Gateway.WithholdAcks = false;
        time.Advance(Interval);
        await h.Fake.Gateway.WaitUntilAsync(g => g.ResumeCount == 1 && g.IsConnected);
        await h.Fake.Gateway.WaitUntilAsync(g => g.ClientCloseCodes.Count == 1);
        Assert.Equal(4000, h.Fake.Gateway.ClientCloseCodes.Single());
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
        Assert.StartsWith("/resume-gateway?v=10&encoding=json", h.Fake.Gateway.ConnectUrls.Last());
        var resume = h.Fake.Gateway.Received.Single(r => r.Op == 6).D!;
        Assert.Equal(h.Fake.Gateway.SessionId, resume["session_id"]!.GetValue<string>());
        await GatewayBasicsTests.WaitFor(() => Kinds(h).Contains("RESUMED"));
        Assert.Single(Kinds(h), k => k == "MESSAGE_CREATE");
    }

    [Fact]
    public async Task Op7_reconnect_resumes_and_replays_missed_events()
    {
        await using var h = await ReadyAsync();
        await h.Fake.Gateway.SendUserMessageAsync(1, "m1");
        await h.Fake.Gateway.SendReconnectAsync();
        await h.Fake.Gateway.SendUserMessageAsync(1, "m2"); // sent while the client is reconnecting: replayed after RESUME
        await h.Fake.Gateway.WaitUntilAsync(g => g.ResumeCount == 1 && g.IsConnected);
        await h.Fake.Gateway.SendUserMessageAsync(1, "m3");
        var log = h.Services.GetRequiredService<EventLog>();
        await GatewayBasicsTests.WaitFor(() => log.Of<MessageCreateEvent>().Count() == 3);
        Assert.Equal(["m1", "m2", "m3"], log.Of<MessageCreateEvent>().Select(m => m.Content));
        Assert.Contains(4000, h.Fake.Gateway.ClientCloseCodes);
        Assert.DoesNotContain(1000, h.Fake.Gateway.ClientCloseCodes);
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
        Assert.Equal(h.Fake.Gateway.Sequence, h.Gateway.Sequence);
    }

    [Fact]
    public async Task Invalid_session_resumable_resumes()
    {
        await using var h = await ReadyAsync();
        await h.Fake.Gateway.InvalidateSessionAsync(resumable: true);
        await h.Fake.Gateway.WaitUntilAsync(g => g.ResumeCount == 1 && g.IsConnected);
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
    }

    [Fact]
    public async Task Invalid_session_not_resumable_waits_1_to_5_seconds_then_identifies()
    {
        var time = Harness.NewTime();
        await using var h = await ReadyAsync(time);
        time.Advance(TimeSpan.FromSeconds(10)); // the last IDENTIFY is more than 5 s ago
        await h.Fake.Gateway.SendUserMessageAsync(1, "old session");
        await h.Fake.Gateway.InvalidateSessionAsync(resumable: false);
        await GatewayBasicsTests.WaitFor(() => h.Gateway.State == GatewayState.Disconnected);
        await Task.Delay(100);
        time.Advance(TimeSpan.FromMilliseconds(990));
        await Task.Delay(150);
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
        Assert.Equal(0, h.Fake.Gateway.ResumeCount);
        var start = time.GetUtcNow();
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.IdentifyCount == 2, TimeSpan.FromMilliseconds(100));
        Assert.True(time.GetUtcNow() - start <= TimeSpan.FromSeconds(4.1));
        await h.WaitForReadyAsync(identifies: 2);
        Assert.Equal(0, h.Fake.Gateway.ResumeCount);
        await GatewayBasicsTests.WaitFor(() => Kinds(h).Count(k => k == "READY") == 2);
        Assert.Equal(h.Fake.Gateway.SessionId, h.Gateway.SessionId);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4008)]
    [InlineData(4002)]
    public async Task Other_close_codes_resume(int code)
    {
        await using var h = await ReadyAsync();
        await h.Fake.Gateway.CloseAsync(code);
        await h.Fake.Gateway.WaitUntilAsync(g => g.ResumeCount == 1 && g.IsConnected);
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
    }

    [Theory]
    [InlineData(4003)]
    [InlineData(4005)]
    [InlineData(4007)]
    [InlineData(4009)]
    [InlineData(1000)]
    [InlineData(1001)]
    public async Task Session_close_codes_start_a_new_session(int code)
    {
        var time = Harness.NewTime();
        await using var h = await ReadyAsync(time);
        var oldSession = h.Gateway.SessionId;
        await h.Fake.Gateway.CloseAsync(code);
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.IdentifyCount == 2, TimeSpan.FromMilliseconds(200));
        await h.WaitForReadyAsync(identifies: 2);
        Assert.Equal(0, h.Fake.Gateway.ResumeCount);
        await GatewayBasicsTests.WaitFor(() => h.Gateway.SessionId != oldSession);
    }

    [Theory]
    [InlineData(4004, "token")]
    [InlineData(4010, "ShardId")]
    [InlineData(4011, "Sharding required")]
    [InlineData(4012, "API version")]
    [InlineData(4013, "Discord:Intents")]
    [InlineData(4014, "enable the Message Content intent in the Developer Portal")]
    public async Task Fatal_close_codes_stop_with_a_clear_message(int code, string hint)
    {
        await using var h = await ReadyAsync();
        await h.Fake.Gateway.CloseAsync(code);
        var ex = await Assert.ThrowsAsync<GatewayFatalException>(() => h.GatewayTask!.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(code, ex.CloseCode);
        Assert.Contains(hint, ex.Message);
        Assert.Equal(0, h.Fake.Gateway.ResumeCount);
        Assert.Equal(GatewayState.Stopped, h.Gateway.State);
    }

    [Fact]
    public async Task Message_content_intent_not_enabled_gives_4014_at_identify()
    {
        await using var h = await Harness.StartAsync(fake: f => f.AllowMessageContentIntent = false);
        h.StartGateway();
        var ex = await Assert.ThrowsAsync<GatewayFatalException>(() => h.GatewayTask!.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(4014, ex.CloseCode);
        Assert.Contains("Message Content intent", ex.Message);
        Assert.Contains("Message Content intent", h.Logs.All);
    }

    [Fact]
    public async Task Dropped_tcp_mid_stream_resumes_with_replay_exactly_once()
    {
        await using var h = await ReadyAsync();
        for (var i = 0; i < 10; i++)
        {
            await h.Fake.Gateway.SendUserMessageAsync(1, "a" + i);
        }

        h.Fake.Gateway.DropConnection();
        for (var i = 0; i < 10; i++)
        {
            await h.Fake.Gateway.SendUserMessageAsync(1, "b" + i);
        }

        await h.Fake.Gateway.WaitUntilAsync(g => g.ResumeCount >= 1 && g.IsConnected);
        var log = h.Services.GetRequiredService<EventLog>();
        await GatewayBasicsTests.WaitFor(() => log.Of<MessageCreateEvent>().Count() >= 20 && Kinds(h).Contains("RESUMED"));
        await Task.Delay(100);
        var expected = Enumerable.Range(0, 10).Select(i => "a" + i).Concat(Enumerable.Range(0, 10).Select(i => "b" + i));
        Assert.Equal(expected, log.Of<MessageCreateEvent>().Select(m => m.Content));
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
    }

    [Fact]
    public async Task Soak_200_events_5_random_disconnects_exactly_once_in_order()
    {
        await using var h = await ReadyAsync();
        var rng = new Random(42);
        var faultAt = Enumerable.Range(0, 5).Select(_ => rng.Next(1, 200)).ToHashSet();
        var faultKind = 0;
        for (var i = 0; i < 200; i++)
        {
            await h.Fake.Gateway.DispatchAsync("MESSAGE_CREATE", new JsonObject
            {
                ["id"] = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["channel_id"] = "1",
                ["content"] = "e" + i,
                ["type"] = 0,
                ["author"] = new JsonObject { ["id"] = "2", ["username"] = "u" },
            });
            if (faultAt.Contains(i) && h.Fake.Gateway.IsConnected)
            {
                switch (faultKind++ % 3)
                {
                    case 0:
                        h.Fake.Gateway.DropConnection();
                        break;
                    case 1:
                        await h.Fake.Gateway.SendReconnectAsync();
                        break;
                    default:
                        await h.Fake.Gateway.CloseAsync(4000);
                        break;
                }
            }
        }

        var log = h.Services.GetRequiredService<EventLog>();
        await GatewayBasicsTests.WaitFor(() => log.Of<MessageCreateEvent>().Count() >= 200, 30);
        await Task.Delay(200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "e" + i), log.Of<MessageCreateEvent>().Select(m => m.Content));
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount);
        Assert.True(h.Fake.Gateway.ResumeCount >= 1);
    }

    [Fact]
    public async Task Shutdown_closes_with_1000()
    {
        var h = await ReadyAsync();
        await h.DisposeGatewayAsync();
        await h.Fake.Gateway.WaitUntilAsync(g => g.ClientCloseCodes.Count == 1);
        Assert.Equal(1000, h.Fake.Gateway.ClientCloseCodes.Single());
        await h.DisposeAsync();
    }

    [Fact]
    public void Reconnect_backoff_grows_with_jitter_and_is_capped()
    {
        var strategy = new ExponentialBackoffReconnectStrategy(Options.Create(new DiscordOptions
        {
            ReconnectBaseDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(30),
        }));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = Math.Min(30, Math.Pow(2, attempt - 1));
            var samples = Enumerable.Range(0, 50).Select(_ => strategy.GetDelay(attempt).TotalSeconds).ToList();
            Assert.All(samples, s => Assert.InRange(s, ceiling * 0.5, ceiling));
            Assert.True(samples.Distinct().Count() > 10, "delays must be jittered");
        }

        Assert.True(strategy.GetDelay(100) <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Outgoing_sends_stay_under_120_per_minute()
    {
        var time = Harness.NewTime();
        var limiter = new GatewaySendLimiter(time, 110);
        for (var i = 0; i < 110; i++)
        {
            var t = limiter.WaitAsync(heartbeat: false, CancellationToken.None);
            Assert.True(t.IsCompletedSuccessfully);
        }

        var blocked = limiter.WaitAsync(heartbeat: false, CancellationToken.None);
        Assert.False(blocked.IsCompleted);
        Assert.True(limiter.WaitAsync(heartbeat: true, CancellationToken.None).IsCompletedSuccessfully); // heartbeats never wait
        Assert.Equal(111, limiter.SentInWindow);
        time.Advance(TimeSpan.FromSeconds(59.9));
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(limiter.SentInWindow <= 120);
    }

    [Fact]
    public async Task Presence_update_goes_through_the_gateway()
    {
        await using var h = await ReadyAsync();
        await h.Gateway.UpdatePresenceAsync("online", "Reading papers");
        await h.Fake.Gateway.WaitUntilAsync(g => g.Received.Any(r => r.Op == 3));
        var p = h.Fake.Gateway.Received.Single(r => r.Op == 3).D!;
        Assert.Equal("online", p["status"]!.GetValue<string>());
        Assert.Equal("Reading papers", p["activities"]![0]!["state"]!.GetValue<string>());
    }
}
