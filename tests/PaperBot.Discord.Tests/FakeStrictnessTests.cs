using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

/// <summary>The fake answers what Discord answers: bodies checked against the official OpenAPI spec plus the rules the schema cannot express.</summary>
public class DiscordSpecTests
{
    [Fact]
    public void Operations_are_found_by_method_and_path_template()
    {
        var spec = DiscordSpec.Instance;
        Assert.True(spec.OperationCount > 50);
        Assert.Equal("POST /channels/{channel_id}/messages", spec.FindOperation("POST", "/channels/123/messages"));
        Assert.Equal("PUT /applications/{application_id}/guilds/{guild_id}/commands", spec.FindOperation("PUT", "/applications/1/guilds/2/commands"));
        Assert.Equal("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original", spec.FindOperation("PATCH", "/webhooks/1/abc/messages/@original"));
        Assert.Null(spec.FindOperation("POST", "/nothing/here"));
    }

    [Fact]
    public void A_valid_message_passes_and_a_wrong_type_is_reported_at_its_field()
    {
        var spec = DiscordSpec.Instance;
        Assert.Empty(spec.Validate("POST", "/channels/1/messages", JsonNode.Parse("""{"content":"hi","allowed_mentions":{"parse":[]}}"""))!);
        var errors = spec.Validate("POST", "/channels/1/messages", JsonNode.Parse("""{"content":42,"allowed_mentions":{"parse":[]}}"""))!;
        Assert.Contains(errors, e => e.Pointer == "/content");
        var tree = DiscordSpec.FormError(errors);
        Assert.Equal(50035, tree["code"]!.GetValue<int>());
        Assert.NotNull(tree["errors"]!["content"]!["_errors"]);
    }

    [Theory]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":4,"data":{"content":"hi","allowed_mentions":{"parse":[]},"flags":64}}""")]
    [InlineData("""{"type":8,"data":{"choices":[{"name":"a","value":"b"}]}}""")]
    [InlineData("""{"type":9,"data":{"custom_id":"m","title":"T","components":[{"type":18,"label":"Q","component":{"type":4,"custom_id":"q","style":1}}]}}""")]
    public void Callback_bodies_the_client_sends_are_valid(string body)
        => Assert.Empty(DiscordSpec.Instance.Validate("POST", "/interactions/1/tok/callback", JsonNode.Parse(body))!);

    [Fact]
    public void An_integer_choice_on_a_string_option_is_rejected_and_permission_digits_are_accepted()
    {
        var spec = DiscordSpec.Instance;
        var bad = JsonNode.Parse("""[{"name":"paper","description":"d","default_member_permissions":"32","options":[{"type":3,"name":"sort","description":"o","choices":[{"name":"Top","value":1}]}]}]""");
        Assert.NotEmpty(spec.Validate("PUT", "/applications/1/commands", bad)!);
        var good = JsonNode.Parse("""[{"name":"paper","description":"d","default_member_permissions":"32","options":[{"type":3,"name":"sort","description":"o","choices":[{"name":"Top","value":"top"}]}]}]""");
        Assert.Empty(spec.Validate("PUT", "/applications/1/commands", good)!);
    }
}

/// <summary>REST rules Discord enforces beyond the schema, and 400 (never 500) for malformed bodies. Requests go straight to
/// the fake (marked as deliberately invalid, so they do not count as violations of the client).</summary>
public class FakeRestRuleTests
{
    private static async Task<(int Status, JsonNode? Body)> SendRaw(FakeDiscordServer fake, HttpMethod method, string path, string json)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, fake.ApiBaseUrl + path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", fake.Options.Token);
        request.Headers.Add(FakeRest.ExpectInvalidHeader, "1");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Theory]
    [InlineData("""{"allowed_mentions":{"parse":[]}}""", 50006, null)]
    [InlineData("""{"content":"x","allowed_mentions":{"parse":[]},"components":[{"type":2,"style":1,"label":"a","custom_id":"a"}]}""", 50035, "components")]
    [InlineData("""{"content":"x","allowed_mentions":{"parse":[]},"components":[{"type":1,"components":[{"type":2,"style":1,"label":"1","custom_id":"1"},{"type":2,"style":1,"label":"2","custom_id":"2"},{"type":2,"style":1,"label":"3","custom_id":"3"},{"type":2,"style":1,"label":"4","custom_id":"4"},{"type":2,"style":1,"label":"5","custom_id":"5"},{"type":2,"style":1,"label":"6","custom_id":"6"}]}]}""", 50035, "components")]
    [InlineData("""{"content":"x","allowed_mentions":{"parse":["users"],"users":["1"]}}""", 50035, "allowed_mentions")]
    [InlineData("""{"content":{"not":"a string"},"allowed_mentions":{"parse":[]}}""", 50035, "content")]
    [InlineData("""{"content":"x","embeds":"nope"}""", 50035, "embeds")]
    public async Task Message_bodies_Discord_rejects_get_Discords_error(string json, int code, string? field)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (status, body) = await SendRaw(fake, HttpMethod.Post, "/channels/1/messages", json);
        Assert.Equal(400, status);
        Assert.Equal(code, body!["code"]!.GetValue<int>());
        if (field is not null)
        {
            Assert.NotNull(body["errors"]![field]);
        }

        Assert.Empty(fake.Rest.CreatedMessages);
        Assert.Empty(fake.Rest.Violations); // marked as deliberate
    }

    [Fact]
    public async Task Bad_auto_archive_duration_and_malformed_types_get_400_never_500()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (status, body) = await SendRaw(fake, HttpMethod.Post, "/channels/1/messages/2/threads", """{"name":"t","auto_archive_duration":90}""");
        Assert.Equal(400, status);
        Assert.NotNull(body!["errors"]!["auto_archive_duration"]);

        (status, body) = await SendRaw(fake, HttpMethod.Post, "/users/@me/channels", """{"recipient_id":{"id":1}}""");
        Assert.Equal(400, status);
        Assert.Equal(50035, body!["code"]!.GetValue<int>());

        (status, body) = await SendRaw(fake, HttpMethod.Post, "/channels/1/messages", "{not json");
        Assert.Equal(400, status);
        Assert.Equal(50109, body!["code"]!.GetValue<int>());
        Assert.DoesNotContain(fake.Rest.Requests, r => r.Status >= 500);
    }

    [Fact]
    public async Task A_client_sending_an_invalid_body_fails_the_test_at_dispose()
    {
        var fake = await FakeDiscordServer.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fake.ApiBaseUrl + "/channels/1/messages") { Content = new StringContent("""{"content":""}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", fake.Options.Token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(fake.Rest.Violations);
        var ex = await Assert.ThrowsAsync<DiscordProtocolViolationException>(async () => await fake.DisposeAsync());
        Assert.Contains("messages.create", Assert.Single(ex.Violations));
        PaperBot.Testing.FakeDiscord.DiscordSpecReport.Acknowledge(1); // provoked on purpose: not the client's
    }
}
