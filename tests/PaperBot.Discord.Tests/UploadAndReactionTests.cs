using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

/// <summary>Claims /direct without answering, so the test answers through the REST client itself.</summary>
public sealed class LeaveToTestCommand : ISlashCommandHandler
{
    public string CommandName => "direct";

    public Task HandleAsync(InteractionContext context) => Task.CompletedTask;
}

/// <summary>File uploads (multipart/form-data with payload_json and files[n]) and reactions, against the strict fake.</summary>
public sealed class UploadAndReactionTests
{
    private static readonly FakeUser Bob = new(700000000000000002, "bob", "Bob");

    [Fact]
    public async Task A_message_with_a_file_goes_as_multipart_with_payload_json_and_the_file_arrives_intact()
    {
        await using var h = await Harness.StartAsync();
        var text = "@misc{a,\n  title = {Ünïcödé},\n}\n" + new string('x', 5000);
        var validatedBefore = h.Fake.Rest.SpecValidated;

        var msg = await h.Rest.CreateMessageAsync(555, new MessageBuilder("see the file").AddTextFile("citations.bib", text, "1 citation", "application/x-bibtex; charset=utf-8").Build());

        var req = Assert.Single(h.Fake.Rest.RequestsTo("messages.create"));
        Assert.StartsWith("multipart/form-data; boundary=", req.ContentType);
        Assert.Equal("""[{"id":"0","filename":"citations.bib","description":"1 citation"}]""", req.Json!["attachments"]!.ToJsonString());
        Assert.Equal("""{"parse":[]}""", req.Json!["allowed_mentions"]!.ToJsonString());
        var upload = Assert.Single(req.Files);
        Assert.Equal("files[0]", upload.FieldName);
        Assert.Equal("citations.bib", upload.FileName);
        Assert.Equal(text, upload.Text);
        Assert.Equal(validatedBefore + 1, h.Fake.Rest.SpecValidated); // payload_json checked against the multipart schema

        var attachment = Assert.Single(msg.Attachments!);
        Assert.Equal("citations.bib", attachment.FileName);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), attachment.Size);
        Assert.Equal(text, h.Fake.Rest.AttachmentText(h.Fake.Rest.FindMessage(msg.Id)!["attachments"]![0]));
        Assert.Empty(h.Fake.Rest.Violations);
    }

    [Fact]
    public async Task An_interaction_answer_with_a_file_and_with_response_returns_the_created_message()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddSlashCommandHandler<LeaveToTestCommand>());
        h.StartGateway();
        await h.WaitForReadyAsync();
        var i = await h.Fake.Interactions.SlashCommandAsync("direct");
        await GatewayBasicsTests.WaitFor(() => h.Fake.Interactions.Find(i.Id) is not null);

        var message = await h.Rest.RespondWithMessageAndGetAsync(i.Id, i.Token,
            new MessageBuilder("📎 refs").AddTextFile("refs.ris", "TY  - GEN\r\nER  - \r\n").AsEphemeral().Build());

        var cb = await i.WaitForCallbackAsync();
        Assert.Equal(4, cb.Type);
        Assert.NotNull(message);
        Assert.Equal(i.OriginalMessage!["id"]!.GetValue<string>(), message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("refs.ris", Assert.Single(message.Attachments!).FileName);
        var req = Assert.Single(h.Fake.Rest.RequestsTo("interactions.callback"));
        Assert.EndsWith("/callback", req.Path);
        Assert.StartsWith("multipart/form-data", req.ContentType);
        Assert.Equal("TY  - GEN\r\nER  - \r\n", Assert.Single(req.Files).Text);
        Assert.Empty(h.Fake.Rest.Violations);
    }

    [Fact]
    public void The_builder_refuses_files_Discord_would_refuse()
    {
        var eleven = new MessageBuilder("x");
        for (var i = 0; i < 11; i++)
        {
            eleven.AddTextFile($"f{i}.txt", "a");
        }

        Assert.Contains("at most 10 files", Assert.Throws<DiscordLimitException>(() => eleven.Build()).Message);
        Assert.Contains("10 MiB", Assert.Throws<DiscordLimitException>(() => new MessageBuilder("x").AddFile(new FileAttachment("big.bin", new byte[DiscordLimits.AttachmentBytes + 1])).Build()).Message);
        Assert.Contains("path separators", Assert.Throws<DiscordLimitException>(() => new MessageBuilder("x").AddTextFile("../etc/passwd", "a").Build()).Message);
        Assert.Null(new MessageBuilder("plain").Build().Attachments); // no files: plain JSON, no attachments field
    }

    [Theory]
    [InlineData("files[0]", """{"content":"x","allowed_mentions":{"parse":[]},"attachments":[{"id":"1","filename":"a.txt"}]}""", 400, 50035)]
    [InlineData("file", """{"content":"x","allowed_mentions":{"parse":[]}}""", 400, 50035)]
    [InlineData("files[0]", """{"content":"x","allowed_mentions":{"parse":[]},"attachments":[]}""", 400, 50035)]
    public async Task Uploads_Discord_rejects_get_Discords_error(string part, string payload, int status, int code)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (s, body) = await SendMultipart(fake, payload, [(part, "a.txt", Encoding.UTF8.GetBytes("hello"))]);
        Assert.Equal(status, s);
        Assert.Equal(code, body!["code"]!.GetValue<int>());
        Assert.Empty(fake.Rest.CreatedMessages);
    }

    [Fact]
    public async Task More_than_10_MiB_is_413_request_entity_too_large()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (s, body) = await SendMultipart(fake, """{"allowed_mentions":{"parse":[]},"attachments":[{"id":"0","filename":"big.bin"}]}""", [("files[0]", "big.bin", new byte[FakeRest.MaxUploadBytes + 1])]);
        Assert.Equal(413, s);
        Assert.Equal(40005, body!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_bot_reacts_within_the_reaction_bucket_and_Discord_answers_unknown_emoji_and_message()
    {
        await using var h = await Harness.StartAsync();
        var msg = await h.Rest.CreateMessageAsync(555, MessageBuilder.Text("vote"));

        foreach (var emoji in new[] { "1\uFE0F\u20E3", "2\uFE0F\u20E3", "👍", "paperbot:123456789012345678" })
        {
            await h.Rest.AddReactionAsync(555, msg.Id, emoji);
        }

        Assert.Equal(["1\uFE0F\u20E3", "2\uFE0F\u20E3", "👍", "paperbot:123456789012345678"], h.Fake.Rest.OwnReactions(msg.Id));
        Assert.Equal(4, h.Fake.Rest.RequestsTo("reactions.add").Count(r => r.Status == 204));
        Assert.EndsWith("/reactions/1\uFE0F\u20E3/@me", h.Fake.Rest.RequestsTo("reactions.add").First().Path); // sent percent-encoded, recorded decoded
        Assert.Equal(0, h.Fake.Rest.BucketViolations); // 1 per 250 ms: the client waited for each reset
        Assert.Equal(0, h.Fake.Rest.EarlyRetries);

        await h.Rest.RemoveOwnReactionAsync(555, msg.Id, "👍");
        Assert.Equal(0, h.Fake.Rest.ReactionCount(msg.Id, "👍"));

        var unknownEmoji = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.AddReactionAsync(555, msg.Id, "thumbsup"));
        Assert.Equal(10014, unknownEmoji.DiscordCode);
        var unknownMessage = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.AddReactionAsync(555, 42, "👍"));
        Assert.Equal(10008, unknownMessage.DiscordCode);
    }

    [Fact]
    public async Task Reaction_events_arrive_with_the_reaction_intent_once_per_user_and_emoji()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<EventLog>().AddGatewayEventHandler<MessageReactionAddEvent, RecordingHandler>()
            .AddGatewayEventHandler<MessageReactionRemoveEvent, RecordingHandler>().AddGatewayEventHandler<MessageReactionRemoveAllEvent, RecordingHandler>()
            .AddGatewayEventHandler<MessageReactionRemoveEmojiEvent, RecordingHandler>());
        h.StartGateway();
        await h.WaitForReadyAsync();
        Assert.NotEqual(0, h.Fake.Gateway.IdentifiedIntents & FakeGateway.GuildMessageReactionsIntent); // in the default intents
        var log = h.Services.GetRequiredService<EventLog>();
        var msg = await h.Rest.CreateMessageAsync(555, MessageBuilder.Text("vote"));

        Assert.True(await h.Fake.Gateway.AddReactionAsync(555, msg.Id, "1\uFE0F\u20E3", FakeUser.Default));
        Assert.False(await h.Fake.Gateway.AddReactionAsync(555, msg.Id, "1\uFE0F\u20E3", FakeUser.Default)); // the same user again: nothing
        Assert.True(await h.Fake.Gateway.AddReactionAsync(555, msg.Id, "paperbot:123", Bob));
        Assert.True(await h.Fake.Gateway.RemoveReactionAsync(555, msg.Id, "1\uFE0F\u20E3", FakeUser.Default));
        Assert.True(await h.Fake.Gateway.ClearReactionsAsync(555, msg.Id, "paperbot:123"));
        await GatewayBasicsTests.WaitFor(() => log.Events.Count == 4);

        var adds = log.Of<MessageReactionAddEvent>().ToList();
        Assert.Equal(2, adds.Count);
        Assert.Equal("1\uFE0F\u20E3", adds[0].Emoji.Key);
        Assert.Equal(FakeUser.Default.Id, adds[0].UserId);
        Assert.Equal(msg.Id, adds[0].MessageId);
        Assert.Equal(h.Fake.Options.BotUserId, adds[0].MessageAuthorId);
        Assert.Equal(FakeUser.Default.Id, adds[0].Member!.User!.Id);
        Assert.Equal("paperbot:123", adds[1].Emoji.Key);
        Assert.Equal(123UL, adds[1].Emoji.Id);
        Assert.Equal(["MESSAGE_REACTION_ADD", "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE", "MESSAGE_REACTION_REMOVE_EMOJI"], log.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Without_the_reaction_intent_Discord_sends_no_reaction_events()
    {
        await using var h = await Harness.StartAsync(
            config: c => c["Discord:Intents"] = "Guilds, GuildMessages, DirectMessages, MessageContent",
            services: s => s.AddSingleton<EventLog>().AddGatewayEventHandler<MessageReactionAddEvent, RecordingHandler>());
        h.StartGateway();
        await h.WaitForReadyAsync();
        var msg = await h.Rest.CreateMessageAsync(555, MessageBuilder.Text("vote"));

        Assert.False(await h.Fake.Gateway.AddReactionAsync(555, msg.Id, "👍", FakeUser.Default));
        Assert.Equal(1, h.Fake.Gateway.WithheldForIntents);
        Assert.Equal(1, h.Fake.Rest.ReactionCount(msg.Id, "👍")); // the reaction exists; the bot just is not told
        Assert.Empty(h.Services.GetRequiredService<EventLog>().Events);
    }

    private static async Task<(int Status, JsonNode? Body)> SendMultipart(FakeDiscordServer fake, string payload, IEnumerable<(string Name, string File, byte[] Bytes)> files)
    {
        using var http = new HttpClient();
        using var form = new MultipartFormDataContent();
        var json = new StringContent(payload, Encoding.UTF8);
        json.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(json, "payload_json");
        foreach (var (name, file, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), name, file);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, fake.ApiBaseUrl + "/channels/1/messages") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", fake.Options.Token);
        request.Headers.Add(FakeRest.ExpectInvalidHeader, "1");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
