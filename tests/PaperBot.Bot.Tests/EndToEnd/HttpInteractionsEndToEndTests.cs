using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>
/// `paperbot serve-interactions` on loopback with the fake Discord delivering interactions as Discord's Interactions
/// Endpoint URL does: Ed25519-signed POSTs (a key pair generated per test), the HTTP response being the first callback.
/// </summary>
public sealed class HttpInteractionsEndToEndTests
{
    [Fact]
    public async Task Ping_gets_pong_and_a_slash_command_is_answered_in_the_http_response()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var endpoint = await h.StartInteractionsAsync();

        using var http = new HttpClient();
        var ping = Encoding.UTF8.GetBytes("""{"id":"900000000000000111","application_id":"900000000000000001","type":1,"token":"ping-token","version":1}""");
        using var pong = await http.SendAsync(h.Discord.Interactions.Signer.SignedRequest(endpoint.Endpoint!, ping, TimeProvider.System.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, pong.StatusCode);
        Assert.Equal("application/json", pong.Content.Headers.ContentType!.MediaType);
        Assert.Equal(1, JsonNode.Parse(await pong.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());

        var help = await h.Discord.Interactions.SlashCommandAsync("help");
        Assert.Equal(200, help.HttpStatus);
        var cb = await help.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, cb.Type); // answered in the HTTP response, no POST /callback
        Assert.Contains("/search", cb.Data!.ToJsonString(), StringComparison.Ordinal);

        // a command that reads the store: in the response when it is quick, else deferred after Interactions:DeferAfter
        // (the first search of a fresh process builds its index) and finished by editing @original
        var paper = await h.Discord.Interactions.SlashCommandAsync("paper", [FakeOption.String("id", BotTestPapers.All[0].Id)]);
        Assert.Equal(200, paper.HttpStatus);
        var answer = await paper.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(answer.Type, new[] { 4, 5 });
        await Eventually.TrueAsync(() => (answer.Type == 4 ? answer.Data : paper.OriginalMessage)?.ToJsonString().Contains(BotTestPapers.All[0].Title, StringComparison.Ordinal) == true, "the paper shown");
        Assert.Empty(h.Discord.Rest.RequestsTo("interactions.callback"));
        Assert.Equal(0, h.Discord.Gateway.IdentifyCount); // this process opened no gateway connection
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task A_slow_command_is_deferred_in_the_response_and_finished_by_editing_original()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var endpoint = await h.StartInteractionsAsync();

        var ask = await h.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", "how does speculative decoding work?")]);
        Assert.Equal(200, ask.HttpStatus);
        Assert.Equal(5, (await ask.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Type);
        await Eventually.TrueAsync(() => ask.OriginalMessage?["content"]?.GetValue<string>()?.Contains("Speculative Decoding", StringComparison.Ordinal) == true, "@original edited with the answer");
        await Eventually.TrueAsync(() => h.Discord.Rest.RequestsTo("webhooks.original.edit").Any(), "the PATCH recorded"); // recorded after it is applied
        Assert.Empty(h.Discord.Rest.RequestsTo("interactions.callback"));
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task Bad_missing_or_stale_signatures_get_401_and_run_nothing()
    {
        await using var h = await BotHarness.CreateAsync();
        await using var endpoint = await h.StartInteractionsAsync();
        var url = endpoint.Endpoint!;
        var signer = h.Discord.Interactions.Signer;
        var other = new DiscordRequestSigner(); // a key that is not the application's
        var body = Encoding.UTF8.GetBytes("""{"id":"900000000000000222","application_id":"900000000000000001","type":1,"token":"t","version":1}""");
        using var http = new HttpClient();
        var unauthorized = 0;
        for (var i = 0; i < 100; i++)
        {
            var now = TimeProvider.System.GetUtcNow();
            using var request = (i % 5) switch
            {
                0 => other.SignedRequest(url, body, now), // wrong key
                1 => Tampered(signer.SignedRequest(url, body, now)), // body changed after signing
                2 => WithoutHeader(signer.SignedRequest(url, body, now), "X-Signature-Ed25519"),
                3 => WithoutHeader(signer.SignedRequest(url, body, now), "X-Signature-Timestamp"),
                _ => WithHeader(signer.SignedRequest(url, body, now), "X-Signature-Ed25519", "zz" + new string('0', 126)), // not hex
            };
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                unauthorized++;
            }
        }

        Assert.Equal(100, unauthorized);

        // a timestamp older than 5 minutes is refused even when correctly signed; 4 minutes is still accepted
        using (var stale = await http.SendAsync(signer.SignedRequest(url, body, TimeProvider.System.GetUtcNow().AddMinutes(-6))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        }

        using (var fresh = await http.SendAsync(signer.SignedRequest(url, body, TimeProvider.System.GetUtcNow().AddMinutes(-4))))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        Assert.Empty(h.Discord.Rest.RequestsTo("interactions.callback"));
    }

    private static HttpRequestMessage Tampered(HttpRequestMessage request)
    {
        var original = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
        request.Content = new StringContent(original.Replace("\"t\"", "\"u\"", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        return request;
    }

    private static HttpRequestMessage WithoutHeader(HttpRequestMessage request, string name)
    {
        request.Headers.Remove(name);
        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.Add(name, value);
        return request;
    }
}
