using System.Net;
using System.Text.Json.Nodes;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

/// <summary>Claims custom_id prefix "direct" without answering, so the test answers through the REST client itself.</summary>
public sealed class LeaveToTestHandler : PaperBot.Discord.Interactions.IComponentHandler
{
    public string CustomIdPrefix => "direct";

    public Task HandleAsync(PaperBot.Discord.Interactions.InteractionContext context) => Task.CompletedTask;
}

/// <summary>Claims autocomplete for /direct without answering.</summary>
public sealed class LeaveToTestAutocomplete : PaperBot.Discord.Interactions.IAutocompleteHandler
{
    public string CommandName => "direct";

    public Task HandleAsync(PaperBot.Discord.Interactions.InteractionContext context) => Task.CompletedTask;
}

public class RestTests
{
    [Fact]
    public async Task Create_message_sends_auth_user_agent_and_allowed_mentions()
    {
        await using var h = await Harness.StartAsync();
        var msg = await h.Rest.CreateMessageAsync(555, new MessageBuilder("hello @everyone").AddEmbed(e => e.WithTitle("T").WithDescription("D")).Build());

        Assert.Equal(555UL, msg.ChannelId);
        Assert.Equal("hello @everyone", msg.Content);
        Assert.True(msg.Author!.Bot);
        var req = Assert.Single(h.Fake.Rest.RequestsTo("messages.create"));
        Assert.Equal("Bot " + h.Fake.Options.Token, req.Authorization);
        Assert.Equal("DiscordBot (https://example.org/paperbot, 9.9)", req.UserAgent);
        Assert.Equal("""{"parse":[]}""", req.Json!["allowed_mentions"]!.ToJsonString());
        Assert.Equal("T", req.Json!["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(0, h.Fake.Rest.SendsWithoutAllowedMentions);
    }

    [Fact]
    public async Task Edit_delete_and_thread_from_message()
    {
        await using var h = await Harness.StartAsync();
        var msg = await h.Rest.CreateMessageAsync(1, MessageBuilder.Text("v1"));
        var edited = await h.Rest.EditMessageAsync(1, msg.Id, MessageBuilder.Text("v2"));
        Assert.Equal("v2", edited.Content);
        Assert.NotNull(edited.EditedTimestamp);

        var thread = await h.Rest.StartThreadFromMessageAsync(1, msg.Id, "Discussion: paper", 1440);
        Assert.Equal(11, thread.Type);
        Assert.Equal(1UL, thread.ParentId);
        Assert.Equal("Discussion: paper", thread.Name);
        await Assert.ThrowsAsync<DiscordLimitException>(() => h.Rest.StartThreadFromMessageAsync(1, msg.Id, new string('n', 101)));

        await h.Rest.DeleteMessageAsync(1, msg.Id);
        Assert.Contains(msg.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), h.Fake.Rest.DeletedMessageIds);
        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.DeleteMessageAsync(1, msg.Id));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal(10008, ex.DiscordCode);
        Assert.All(h.Fake.Rest.Requests.Where(r => r.Method is "POST" or "PATCH" && r.Route.StartsWith("messages", StringComparison.Ordinal)),
            r => Assert.NotNull(r.Json!["allowed_mentions"]));
    }

    [Fact]
    public async Task Application_gateway_and_command_overwrite()
    {
        await using var h = await Harness.StartAsync();
        var app = await h.Rest.GetCurrentApplicationAsync();
        Assert.Equal(h.Fake.Options.ApplicationId, app.Id);
        var gw = await h.Rest.GetGatewayBotAsync();
        Assert.Equal(h.Fake.GatewayUrl, gw.Url);
        Assert.Equal(1, gw.SessionStartLimit!.MaxConcurrency);

        var commands = new List<ApplicationCommand>
        {
            new()
            {
                Name = "paper",
                Description = "Find papers",
                Options =
                [
                    new ApplicationCommandOption { Type = ApplicationCommandOptionType.String, Name = "query", Description = "What", Required = true, Autocomplete = true },
                    new ApplicationCommandOption
                    {
                        Type = ApplicationCommandOptionType.String, Name = "sort", Description = "Order",
                        Choices = [ApplicationCommandOptionChoice.String("Newest", "new"), ApplicationCommandOptionChoice.String("Top", "top")],
                    },
                ],
                DefaultMemberPermissions = "32",
                Contexts = [0],
            },
        };
        var global = await h.Rest.BulkOverwriteGlobalCommandsAsync(commands);
        Assert.NotNull(Assert.Single(global).Id);
        Assert.Equal("paper", h.Fake.Rest.GlobalCommands![0]!["name"]!.GetValue<string>());
        var sent = h.Fake.Rest.RequestsTo("commands.global").Single().Json!;
        Assert.Equal("new", sent[0]!["options"]![1]!["choices"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("top", sent[0]!["options"]![1]!["choices"]![1]!["value"]!.GetValue<string>());
        Assert.Equal("32", sent[0]!["default_member_permissions"]!.GetValue<string>()); // digits string, as Discord documents

        var guild = await h.Rest.BulkOverwriteGuildCommandsAsync(77, commands);
        Assert.Equal(77UL, Assert.Single(guild).GuildId);
        Assert.True(h.Fake.Rest.GuildCommands.ContainsKey(77));

        await Assert.ThrowsAsync<DiscordLimitException>(() => h.Rest.BulkOverwriteGlobalCommandsAsync([new ApplicationCommand { Name = "Bad Name", Description = "x" }]));
    }

    [Fact]
    public async Task Every_interaction_callback_type_round_trips()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddComponentHandler<LeaveToTestHandler>().AddAutocompleteHandler<LeaveToTestAutocomplete>());
        h.StartGateway();
        await h.WaitForReadyAsync();

        async Task<FakeInteractionCallback> Run(Func<FakeInteraction, Task> respond)
        {
            var fresh = await h.Fake.Interactions.ClickButtonAsync("direct:test");
            await respond(fresh);
            return await fresh.WaitForCallbackAsync();
        }

        var rest = h.Rest;
        var four = await Run(i => rest.RespondWithMessageAsync(i.Id, i.Token, new MessageBuilder("pong").AsEphemeral().Build()));
        Assert.Equal(4, four.Type);
        Assert.Equal("pong", four.Data!["content"]!.GetValue<string>());
        Assert.Equal(64, four.Data!["flags"]!.GetValue<int>());
        Assert.Equal("""{"parse":[]}""", four.Data!["allowed_mentions"]!.ToJsonString());
        var five = await Run(i => rest.DeferAsync(i.Id, i.Token, ephemeral: true));
        Assert.Equal(5, five.Type);
        Assert.Equal(64, five.Data!["flags"]!.GetValue<int>());
        Assert.Equal(6, (await Run(i => rest.DeferUpdateAsync(i.Id, i.Token))).Type);
        var seven = await Run(i => rest.UpdateMessageAsync(i.Id, i.Token, MessageBuilder.Text("updated")));
        Assert.Equal(7, seven.Type);
        Assert.NotNull(seven.Data!["allowed_mentions"]);
        var typing = await h.Fake.Interactions.AutocompleteAsync("direct", "q", "att"); // type 8 answers autocomplete only
        await rest.RespondAutocompleteAsync(typing.Id, typing.Token, [ApplicationCommandOptionChoice.String("Attention", "1706.03762")]);
        var eight = await typing.WaitForCallbackAsync();
        Assert.Equal(8, eight.Type);
        Assert.Equal("1706.03762", eight.Data!["choices"]![0]!["value"]!.GetValue<string>());
        var nine = await Run(i => rest.RespondWithModalAsync(i.Id, i.Token, new ModalBuilder("ask:1", "Ask").AddTextInput("q", "Question").Build()));
        Assert.Equal(9, nine.Type);
        Assert.Equal("ask:1", nine.Data!["custom_id"]!.GetValue<string>());
        Assert.Equal(4, nine.Data!["components"]![0]!["components"]![0]!["type"]!.GetValue<int>());
        Assert.Equal(0, h.Fake.Rest.SendsWithoutAllowedMentions);
    }

    [Fact]
    public async Task Deferred_then_edit_original_and_followups()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddComponentHandler<LeaveToTestHandler>());
        h.StartGateway();
        await h.WaitForReadyAsync();
        var i = await h.Fake.Interactions.ClickButtonAsync("direct:x");
        await h.Rest.DeferAsync(i.Id, i.Token);
        var original = await h.Rest.EditOriginalResponseAsync(i.Token, new MessageBuilder("final answer").Build());
        Assert.Equal("final answer", original.Content);
        Assert.Equal("final answer", i.OriginalMessage!["content"]!.GetValue<string>());
        var f = await h.Rest.CreateFollowupAsync(i.Token, MessageBuilder.Text("more"));
        Assert.Equal(h.Fake.Options.ApplicationId, f.WebhookId);
        var f2 = await h.Rest.EditFollowupAsync(i.Token, f.Id, MessageBuilder.Text("more, edited"));
        Assert.Equal("more, edited", f2.Content);
        await h.Rest.DeleteOriginalResponseAsync(i.Token);
        Assert.Null(i.OriginalMessage);
        var patch = h.Fake.Rest.RequestsTo("webhooks.original.edit").Single();
        Assert.Equal("PATCH", patch.Method);
        Assert.EndsWith("/messages/@original", patch.Path);
        Assert.Contains("/webhooks/" + h.Fake.Options.ApplicationId + "/", patch.Path);
        Assert.Single(h.Fake.Rest.RequestsTo("applications.me")); // application id looked up once and cached
        Assert.Equal(0, h.Fake.Rest.SendsWithoutAllowedMentions);
    }

    [Fact]
    public async Task Create_dm_channel_sends_recipient_as_snowflake_string()
    {
        await using var h = await Harness.StartAsync();
        var dm = await h.Rest.CreateDmChannelAsync(700000000000000123);
        Assert.Equal(1, dm.Type);
        Assert.Equal(h.Fake.Rest.DmChannels[700000000000000123], dm.Id);
        Assert.Equal("700000000000000123", h.Fake.Rest.RequestsTo("users.dm").Single().Json!["recipient_id"]!.GetValue<string>());
        Assert.Equal(dm.Id, (await h.Rest.CreateDmChannelAsync(700000000000000123)).Id); // same channel again
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times()
    {
        await using var h = await Harness.StartAsync(config: c => c["Discord:ServerErrorRetries"] = "2");
        h.Fake.Rest.FailNext("messages.create", 500);
        h.Fake.Rest.FailNext("messages.create", 502);
        var msg = await h.Rest.CreateMessageAsync(9, MessageBuilder.Text("eventually"));
        Assert.Equal("eventually", msg.Content);
        Assert.Equal([500, 502, 200], h.Fake.Rest.RequestsTo("messages.create").Select(r => r.Status));

        for (var i = 0; i < 3; i++)
        {
            h.Fake.Rest.FailNext("messages.create", 500);
        }

        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateMessageAsync(9, MessageBuilder.Text("never")));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal(6, h.Fake.Rest.RequestsTo("messages.create").Count()); // 3 + 3 attempts (1 + 2 retries)
        Assert.DoesNotContain(h.Fake.Rest.CreatedMessages, m => m["content"]!.GetValue<string>() == "never");
    }

    [Fact]
    public async Task Wrong_token_is_a_clear_401_and_the_token_is_never_logged()
    {
        await using var h = await Harness.StartAsync(config: c => c["Discord:Token"] = "wrong-token-SECRET-123");
        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateMessageAsync(1, MessageBuilder.Text("x")));
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(1, h.Limits.InvalidRequestCount);
        Assert.DoesNotContain("wrong-token-SECRET-123", ex.ToString());
        Assert.DoesNotContain("wrong-token-SECRET-123", h.Logs.All);
        Assert.Contains("401", h.Logs.All);
    }
}
