using System.Text.Json;
using System.Text.Json.Nodes;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Tests;

public class BuilderTests
{
    private static JsonObject ToJson(MessagePayload p) => JsonNode.Parse(JsonSerializer.Serialize(p, DiscordJsonContext.Default.MessagePayload))!.AsObject();

    [Fact]
    public void Default_allowed_mentions_is_parse_empty_and_always_serialised()
    {
        var json = ToJson(MessageBuilder.Text("hi @everyone"));
        Assert.Equal("""{"parse":[]}""", json["allowed_mentions"]!.ToJsonString());
        Assert.Equal("hi @everyone", json["content"]!.GetValue<string>());
        Assert.Null(json["embeds"]);
    }

    [Fact]
    public void Allowed_mentions_for_users_lists_ids_as_strings()
    {
        var json = ToJson(new MessageBuilder("hey").WithAllowedMentions(AllowedMentions.ForUsers(123456789012345678).WithRepliedUser(false)).Build());
        Assert.Equal("""{"parse":[],"users":["123456789012345678"],"replied_user":false}""", json["allowed_mentions"]!.ToJsonString());
        Assert.Throws<ArgumentNullException>(() => new MessageBuilder().WithAllowedMentions(null!));
    }

    [Fact]
    public void Content_over_2000_is_rejected_before_sending()
    {
        Assert.NotNull(new MessageBuilder(new string('a', 2000)).Build());
        var ex = Assert.Throws<DiscordLimitException>(() => new MessageBuilder(new string('a', 2001)).Build());
        Assert.Contains("2000", ex.Message);
    }

    [Fact]
    public void Embed_limits_are_enforced()
    {
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().WithTitle(new string('t', 257)).Build());
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().WithDescription(new string('d', 4097)).Build());
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().WithTitle("x").WithFooter(new string('f', 2049)).Build());
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().WithAuthor(new string('a', 257)).Build());
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().AddField(new string('n', 257), "v").Build());
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().AddField("n", new string('v', 1025)).Build());
        var many = new EmbedBuilder();
        for (var i = 0; i < 26; i++)
        {
            many.AddField("f" + i, "v");
        }

        Assert.Contains("25 fields", Assert.Throws<DiscordLimitException>(() => many.Build()).Message);

        // 4096 + 1024*2 = 6144 > 6000 in one embed
        var big = new EmbedBuilder().WithDescription(new string('d', 4096)).AddField("a", new string('v', 1000)).AddField("b", new string('v', 1000));
        Assert.Contains("6000", Assert.Throws<DiscordLimitException>(() => big.Build()).Message);
        Assert.Throws<DiscordLimitException>(() => new EmbedBuilder().Build());
    }

    [Fact]
    public void Message_embed_count_and_total_are_enforced()
    {
        var eleven = new MessageBuilder();
        for (var i = 0; i < 11; i++)
        {
            eleven.AddEmbed(e => e.WithTitle("t" + i));
        }

        Assert.Contains("10 embeds", Assert.Throws<DiscordLimitException>(() => eleven.Build()).Message);

        var total = new MessageBuilder()
            .AddEmbed(e => e.WithDescription(new string('a', 3500)))
            .AddEmbed(e => e.WithDescription(new string('b', 2501)));
        Assert.Contains("6000", Assert.Throws<DiscordLimitException>(() => total.Build()).Message);

        var ok = new MessageBuilder()
            .AddEmbed(e => e.WithDescription(new string('a', 3500)))
            .AddEmbed(e => e.WithDescription(new string('b', 2500)))
            .Build();
        Assert.Equal(2, ok.Embeds!.Count);
    }

    [Fact]
    public void Components_limits_are_enforced()
    {
        Assert.Throws<DiscordLimitException>(() => new ActionRowBuilder().AddButton(new string('c', 101), "x"));
        Assert.NotNull(new ActionRowBuilder().AddButton(new string('c', 100), "x"));

        var sixButtons = new MessageBuilder("x").AddActionRow(r =>
        {
            for (var i = 0; i < 6; i++)
            {
                r.AddButton("b" + i, "B" + i);
            }
        });
        Assert.Contains("limit is 5", Assert.Throws<DiscordLimitException>(() => sixButtons.Build()).Message);

        var sixRows = new MessageBuilder("x");
        for (var i = 0; i < 6; i++)
        {
            sixRows.AddActionRow(r => r.AddButton("row" + i, "R"));
        }

        Assert.Contains("5 action rows", Assert.Throws<DiscordLimitException>(() => sixRows.Build()).Message);

        var selectWithButton = new MessageBuilder("x").AddActionRow(r => r
            .AddStringSelect("s", [new SelectOption { Label = "a", Value = "a" }])
            .AddButton("b", "B"));
        Assert.Contains("alone", Assert.Throws<DiscordLimitException>(() => selectWithButton.Build()).Message);

        var tooManyOptions = Enumerable.Range(0, 26).Select(i => new SelectOption { Label = "o" + i, Value = "v" + i });
        Assert.Throws<DiscordLimitException>(() => new ActionRowBuilder().AddStringSelect("s", tooManyOptions));

        var dup = new MessageBuilder("x").AddActionRow(r => r.AddButton("same", "A").AddButton("same", "B"));
        Assert.Contains("twice", Assert.Throws<DiscordLimitException>(() => dup.Build()).Message);

        var full = new MessageBuilder("x");
        for (var row = 0; row < 5; row++)
        {
            full.AddActionRow(r =>
            {
                for (var i = 0; i < 5; i++)
                {
                    r.AddButton($"r{row}b{i}", "B");
                }
            });
        }

        var json = ToJson(full.Build());
        Assert.Equal(5, json["components"]!.AsArray().Count);
        Assert.Equal(1, json["components"]![0]!["type"]!.GetValue<int>());
        Assert.Equal(2, json["components"]![0]!["components"]![0]!["type"]!.GetValue<int>());
    }

    [Fact]
    public void Ephemeral_and_reply_are_serialised_like_discord()
    {
        var json = ToJson(new MessageBuilder("secret").AsEphemeral().ReplyToMessage(42, 7).Build());
        Assert.Equal(64, json["flags"]!.GetValue<int>());
        Assert.Equal("42", json["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.Equal("7", json["message_reference"]!["channel_id"]!.GetValue<string>());
    }

    [Fact]
    public void Modal_builder_enforces_limits()
    {
        Assert.Throws<DiscordLimitException>(() => new ModalBuilder("m", new string('t', 46)).AddTextInput("q", "Q").Build());
        Assert.Throws<DiscordLimitException>(() => new ModalBuilder("m", "Title").Build());
        var modal = new ModalBuilder("m:1", "Title").AddTextInput("q", "Question", paragraph: true).Build();
        Assert.Single(modal.Components);
    }

    [Fact]
    public void Snowflakes_round_trip_as_strings()
    {
        var msg = JsonSerializer.Deserialize("""{"id":"1234567890123456789","channel_id":1,"content":"x","type":0}""", DiscordJsonContext.Default.Message)!;
        Assert.Equal(1234567890123456789UL, msg.Id);
        Assert.Equal(1UL, msg.ChannelId);
        var back = JsonNode.Parse(JsonSerializer.Serialize(msg, DiscordJsonContext.Default.Message))!;
        Assert.Equal("1234567890123456789", back["id"]!.GetValue<string>());
        Assert.Equal(ulong.MaxValue, JsonSerializer.Deserialize("""{"id":"18446744073709551615","content":"","type":0,"channel_id":"1"}""", DiscordJsonContext.Default.Message)!.Id);
    }
}
