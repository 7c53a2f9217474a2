using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

/// <summary>The IDENTIFY budget, gateway deadlines and the fake's gateway rules.</summary>
public class IdentifyBudgetTests
{
    [Fact]
    public async Task With_3_session_starts_left_an_op9_false_loop_identifies_exactly_3_times_then_waits_reset_after()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        var resetAfter = TimeSpan.FromHours(2);
        h.Fake.Gateway.SetSessionStartLimit(remaining: 3, resetAfter);
        h.StartGateway();
        await h.WaitForReadyAsync();

        // every new session is invalidated at once (op 9 d:false), as a broken or hostile server would do. Fake time only
        // moves while the client waits on it (the 1-5 s op 9 back-off, the IDENTIFY spacing and budget waits before a
        // socket is opened), never during a real handshake, so a slow machine cannot turn into HELLO/READY timeouts;
        // the wall-clock bound is only a safety net.
        var invalidated = 0;
        var connectionsBeforeAttempt = h.Gateway.ConnectionCount;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        async Task AdvanceWhileTheClientWaitsAsync(Func<bool> done, TimeSpan step, Func<Task>? eachTurn = null)
        {
            while (!done())
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"stalled after {invalidated} invalidations. Gateway: {h.Fake.Gateway.Describe()}\nLogs:\n{h.Logs.All}");
                if (eachTurn is not null)
                {
                    await eachTurn();
                }

                var state = h.Gateway.State;
                if (state == GatewayState.Disconnected)
                {
                    connectionsBeforeAttempt = h.Gateway.ConnectionCount;
                    time.Advance(step);
                }
                else if (state == GatewayState.Connecting && h.Gateway.ConnectionCount == connectionsBeforeAttempt)
                {
                    time.Advance(step); // waiting for the IDENTIFY slot or budget, no socket yet
                }

                await Task.Delay(5);
            }
        }

        await AdvanceWhileTheClientWaitsAsync(
            () => invalidated == 3 && h.Logs.All.Contains("IDENTIFY budget is used up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(1),
            async () =>
            {
                if (h.Fake.Gateway.IsReady && invalidated < h.Fake.Gateway.IdentifyCount)
                {
                    invalidated++;
                    await h.Fake.Gateway.InvalidateSessionAsync(resumable: false);
                }
            });

        time.Advance(TimeSpan.FromMinutes(30)); // well into the budget wait: still nothing
        await Task.Delay(200);

        Assert.Equal(3, h.Fake.Gateway.IdentifyCount);
        Assert.Equal(0, h.Fake.Gateway.SessionStartLimit.Remaining);
        Assert.Contains("not starting a new session", h.Logs.All);
        Assert.Empty(h.Fake.Gateway.Violations); // never an IDENTIFY without budget

        // once reset_after has passed, Discord renews the budget and the client starts a session again
        await AdvanceWhileTheClientWaitsAsync(() => h.Fake.Gateway.IdentifyCount == 4, TimeSpan.FromMinutes(5));
        await h.WaitForReadyAsync(identifies: 4);
        Assert.Equal(4, h.Gateway.IdentifyCount);
    }

    [Fact]
    public async Task Identifies_are_spaced_5_s_per_max_concurrency_bucket()
    {
        var time = Harness.NewTime();
        var limiter = new InProcessIdentifyLimiter(time, NullLogger<InProcessIdentifyLimiter>.Instance);
        var limit = new SessionStartLimit { Total = 1000, Remaining = 900, ResetAfter = 3_600_000, MaxConcurrency = 2 };
        Task<SessionStartLimit?> Read(CancellationToken _) => Task.FromResult<SessionStartLimit?>(limit);

        await limiter.AcquireAsync(0, Read, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); // bucket 0
        await limiter.AcquireAsync(1, Read, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); // bucket 1: no wait
        var shard2 = limiter.AcquireAsync(2, Read, CancellationToken.None);                               // bucket 0 again
        await Task.Delay(50);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(50);
        Assert.False(shard2.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await shard2.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_server_that_never_sends_READY_is_left_after_the_ready_timeout()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time, config: c => c["Discord:ReadyTimeout"] = "00:00:10");
        h.Fake.Gateway.WithholdReady = true;
        h.StartGateway();
        await h.Fake.Gateway.WaitUntilAsync(g => g.IdentifyCount == 1);
        await GatewayBasicsTests.WaitFor(() => h.Gateway.State == GatewayState.Identifying);
        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(100);
        Assert.Equal(1, h.Fake.Gateway.ConnectionCount);
        h.Fake.Gateway.WithholdReady = false;
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.IsReady, TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Fake.Gateway.ConnectionCount);
        Assert.True(h.Logs.All.Contains("No READY within 10 s", StringComparison.Ordinal), string.Join("\n", h.Logs.Lines.Where(l => l.Contains("GatewayClient", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_server_that_never_sends_HELLO_is_left_after_the_hello_timeout()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time, config: c => c["Discord:HelloTimeout"] = "00:00:05");
        h.Fake.Gateway.WithholdHello = true;
        h.StartGateway();
        await h.Fake.Gateway.WaitUntilAsync(g => g.ConnectionCount == 1);
        h.Fake.Gateway.WithholdHello = false;
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.IsReady, TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Fake.Gateway.ConnectionCount);
        Assert.Contains("No HELLO within 5 s", h.Logs.All);
    }

    [Fact]
    public async Task Log_lines_say_identify_when_identifying_and_nothing_about_reconnecting_after_shutdown()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time);
        h.StartGateway();
        await h.WaitForReadyAsync();
        await GatewayBasicsTests.WaitFor(() => h.Gateway.SessionId is not null);
        await h.Fake.Gateway.CloseAsync(4007);
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.IdentifyCount == 2, TimeSpan.FromMilliseconds(500));
        Assert.Contains("the session is over, starting a new one", h.Logs.All);
        Assert.Contains("to start a new session", h.Logs.All);
        Assert.DoesNotContain("resuming", h.Logs.All);
        await h.WaitForReadyAsync(identifies: 2);

        var before = h.Logs.Lines.Count;
        await h.DisposeGatewayAsync();
        var after = h.Logs.Lines.Skip(before).ToList();
        Assert.DoesNotContain(after, l => l.Contains("reconnecting", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(1000, h.Fake.Gateway.ClientCloseCodes);
    }

    [Fact]
    public async Task Gateway_handshake_sends_the_user_agent_and_presence_since_is_null()
    {
        await using var h = await Harness.StartAsync();
        h.StartGateway();
        await h.WaitForReadyAsync();
        Assert.Equal("DiscordBot (https://example.org/paperbot, 9.9)", h.Fake.Gateway.ConnectUserAgents.Single());
        await GatewayBasicsTests.WaitFor(() => h.Gateway.State == GatewayState.Ready);
        await h.Gateway.UpdatePresenceAsync("idle");
        await h.Fake.Gateway.WaitUntilAsync(g => g.Received.Any(r => r.Op == 3));
        var d = h.Fake.Gateway.Received.Single(r => r.Op == 3).D!.AsObject();
        Assert.True(d.ContainsKey("since"));
        Assert.Null(d["since"]);
    }
}

/// <summary>The fake gateway closes the connection as Discord does.</summary>
public class FakeGatewayRuleTests
{
    private static async Task<ClientWebSocket> ConnectAsync(FakeDiscordServer fake)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(fake.GatewayUrl + "?v=10&encoding=json"), CancellationToken.None);
        var hello = await ReceiveAsync(ws);
        Assert.Equal(10, hello!["op"]!.GetValue<int>());
        return ws;
    }

    private static async Task<JsonNode?> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var r = await ws.ReceiveAsync(buffer, cts.Token);
        return r.MessageType == WebSocketMessageType.Close ? null : JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, r.Count));
    }

    private static Task SendAsync(ClientWebSocket ws, string json) => ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<int?> WaitForCloseAsync(ClientWebSocket ws)
    {
        while (await ReceiveAsync(ws) is not null)
        {
        }

        return (int?)ws.CloseStatus;
    }

    [Fact]
    public async Task A_payload_before_identify_closes_with_4003()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var ws = await ConnectAsync(fake);
        await SendAsync(ws, """{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}""");
        Assert.Equal(4003, await WaitForCloseAsync(ws));
        Assert.Contains("before IDENTIFY", Assert.Single(fake.Gateway.TakeViolations()));
    }

    [Fact]
    public async Task More_than_120_sends_a_minute_close_with_4008()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var ws = await ConnectAsync(fake);
        for (var i = 0; i < 121; i++)
        {
            await SendAsync(ws, """{"op":1,"d":null}""");
        }

        int? code;
        while (true)
        {
            var frame = await ReceiveAsync(ws);
            if (frame is null)
            {
                code = (int?)ws.CloseStatus;
                break;
            }
        }

        Assert.Equal(4008, code);
        Assert.Contains("120 gateway sends", Assert.Single(fake.Gateway.TakeViolations()));
    }

    [Fact]
    public async Task Missed_heartbeats_close_the_connection()
    {
        var time = Harness.NewTime();
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { TimeProvider = time });
        using var ws = await ConnectAsync(fake);
        time.Advance(TimeSpan.FromMilliseconds(41250));
        await Task.Delay(100);
        Assert.Equal(WebSocketState.Open, ws.State);
        time.Advance(TimeSpan.FromMilliseconds(41250));
        Assert.Equal(4000, await WaitForCloseAsync(ws));
        Assert.Equal(1, fake.Gateway.MissedHeartbeatCloses);
    }

    [Fact]
    public async Task A_client_close_with_1000_ends_the_session_so_it_cannot_be_resumed()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var ws = await ConnectAsync(fake);
        await SendAsync(ws, """{"op":2,"d":{"token":""" + "\"" + fake.Options.Token + "\"" + ""","intents":513,"properties":{"os":"linux","browser":"t","device":"t"}}}""");
        await fake.Gateway.WaitForReadyAsync();
        var session = fake.Gateway.SessionId;
        var seq = fake.Gateway.Sequence;
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        using var again = await ConnectAsync(fake);
        await SendAsync(again, new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = fake.Options.Token, ["session_id"] = session, ["seq"] = seq } }.ToJsonString());
        var answer = await ReceiveAsync(again);
        Assert.Equal(9, answer!["op"]!.GetValue<int>());
        Assert.False(answer["d"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Session_start_limit_counts_down_with_each_identify()
    {
        await using var h = await Harness.StartAsync();
        var before = (await h.Rest.GetGatewayBotAsync()).SessionStartLimit!.Remaining;
        h.StartGateway();
        await h.WaitForReadyAsync();
        Assert.Equal(before - 1, (await h.Rest.GetGatewayBotAsync()).SessionStartLimit!.Remaining);
        Assert.Equal(before, h.Gateway.LastSessionStartLimit!.Remaining); // read just before the IDENTIFY it allowed
    }
}

/// <summary>A socket torn down underneath a send (a READY deadline or zombie abort disposes it) is a lost connection.</summary>
public class DisposedSocketTests
{
    [Fact]
    public async Task A_RESUME_send_on_a_disposed_socket_reconnects_and_resumes_instead_of_ending_RunAsync()
    {
        var time = Harness.NewTime();
        var factory = new DisposingOnFirstResumeFactory();
        await using var h = await Harness.StartAsync(time, services: s => s.AddSingleton<IGatewaySocketFactory>(factory));
        h.StartGateway();
        await h.WaitForReadyAsync();
        await GatewayBasicsTests.WaitFor(() => h.Gateway.SessionId is not null);

        await h.Fake.Gateway.CloseAsync(4000); // resumable
        await h.AdvanceUntilAsync(() => h.Fake.Gateway.ResumeCount == 1, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60));

        Assert.Equal(1, factory.Thrown);
        Assert.False(h.GatewayTask!.IsCompleted, "RunAsync ended: " + h.GatewayTask.Exception);
        Assert.Contains("Gateway connection dropped (Cannot access a disposed object", h.Logs.All);
        Assert.Equal(1, h.Fake.Gateway.IdentifyCount); // the session survived: resumed, not re-identified
    }

    private sealed class DisposingOnFirstResumeFactory : IGatewaySocketFactory
    {
        private int _thrown;

        public int Thrown => Volatile.Read(ref _thrown);

        public IGatewaySocket Create() => new Socket(this, new WebSocketGatewaySocket());

        private sealed class Socket(DisposingOnFirstResumeFactory owner, IGatewaySocket inner) : IGatewaySocket
        {
            public Task ConnectAsync(Uri uri, CancellationToken ct) => inner.ConnectAsync(uri, ct);

            public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct)
            {
                var op = JsonNode.Parse(utf8Json.Span)?["op"]?.GetValue<int>();
                if (op == 6 && Interlocked.CompareExchange(ref owner._thrown, 1, 0) == 0)
                {
                    throw new ObjectDisposedException(typeof(ClientWebSocket).FullName);
                }

                return inner.SendAsync(utf8Json, ct);
            }

            public Task<GatewayFrame> ReceiveAsync(CancellationToken ct) => inner.ReceiveAsync(ct);

            public Task CloseAsync(int code, string reason, CancellationToken ct) => inner.CloseAsync(code, reason, ct);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
