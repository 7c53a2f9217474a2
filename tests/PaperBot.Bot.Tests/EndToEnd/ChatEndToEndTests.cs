using System.Globalization;
using System.Text.Json.Nodes;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Bot.Tests.EndToEnd;

public sealed class ChatEndToEndTests
{
    private static readonly FakeUser Bob = new(700000000000000002, "bob", "Bob");

    [Fact]
    public async Task Mention_opens_a_thread_and_a_follow_up_there_keeps_the_conversation()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();
        var self = h.Discord.Options.BotUserId;

        await h.Discord.Gateway.SendUserMessageAsync(BotHarness.ChannelId, $"<@{self}> how does speculative decoding speed up LLM inference?", Bob);
        await Eventually.TrueAsync(() => !h.Discord.Rest.Threads.IsEmpty, "a thread opened from the question");
        var thread = h.Discord.Rest.Threads.Single();
        var threadId = ulong.Parse(thread["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal(BotHarness.ChannelId.ToString(CultureInfo.InvariantCulture), thread["parent_id"]!.GetValue<string>());
        Assert.Contains("speculative decoding", thread["name"]!.GetValue<string>());
        await Eventually.TrueAsync(() => MessagesIn(h, threadId).Count > 0, "the answer in the thread");
        var answer = string.Join("\n", MessagesIn(h, threadId).Select(m => m["content"]!.GetValue<string>()));
        Assert.Contains("Speculative Decoding for Large Language Models", answer);

        // follow-up in the thread, no mention: "that one" must resolve to the paper cited in the previous turn
        var before = MessagesIn(h, threadId).Count;
        await h.Discord.Gateway.SendUserMessageAsync(threadId, "summarize that one for a beginner", Bob);
        await Eventually.TrueAsync(() => MessagesIn(h, threadId).Count > before, "the follow-up answer");
        var followUp = string.Join("\n", MessagesIn(h, threadId).Skip(before).Select(m => m["content"]!.GetValue<string>()));
        Assert.Contains("2611.20001", followUp); // the cited paper, remembered from the thread's first turn
        Assert.Single(h.Discord.Rest.Threads); // no second thread
        Assert.All(h.Discord.Rest.Requests.Where(r => r.Route == "messages.create"), r => Assert.Equal("[]", r.Json!["allowed_mentions"]!["parse"]!.ToJsonString()));
    }

    [Fact]
    public async Task Bots_itself_and_unmentioned_channel_messages_are_ignored_but_dms_are_answered()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();
        var self = h.Discord.Options.BotUserId;
        var otherBot = new FakeUser(700000000000000009, "otherbot");

        await h.Discord.Gateway.SendUserMessageAsync(BotHarness.ChannelId, "speculative decoding anyone?", Bob);
        await h.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", BotMessage(otherBot, $"<@{self}> I am a bot asking about speculative decoding"));
        await h.Discord.Gateway.SendUserMessageAsync(BotHarness.ChannelId, $"<@{self}> echo of myself", new FakeUser(self, "PaperBot"));
        const ulong dm = 830000000000000001;
        await h.Discord.Gateway.SendUserMessageAsync(dm, "what is speculative decoding?", Bob, guildId: 0);
        await Eventually.TrueAsync(() => MessagesIn(h, dm).Count > 0, "the DM answer");
        Assert.Empty(h.Discord.Rest.Threads);
        Assert.Empty(MessagesIn(h, BotHarness.ChannelId));
    }

    [Fact]
    public async Task Cooldown_gets_a_friendly_reply()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        h.With("Bot:Cooldown", "00:10:00");
        await using var bot = await h.StartBotAsync();
        const ulong dm = 830000000000000002;
        await h.Discord.Gateway.SendUserMessageAsync(dm, "what is speculative decoding?", Bob, guildId: 0);
        await Eventually.TrueAsync(() => MessagesIn(h, dm).Count > 0, "first answer");
        await h.Discord.Gateway.SendUserMessageAsync(dm, "and robot grasping?", Bob, guildId: 0);
        await Eventually.TrueAsync(() => MessagesIn(h, dm).Any(m => m["content"]!.GetValue<string>().Contains("Easy there", StringComparison.Ordinal)), "cooldown message");
    }

    [Fact]
    public async Task A_comparison_in_chat_is_an_embed_and_nothing_found_cites_nothing()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        h.With("Bot:Cooldown", "00:00:00");
        await using var bot = await h.StartBotAsync();
        const ulong dm = 830000000000000003;

        await h.Discord.Gateway.SendUserMessageAsync(dm, "diffusion model denoising schedule with classifier-free guidance", Bob, guildId: 0);
        await Eventually.TrueAsync(() => MessagesIn(h, dm).Count > 0, "the first answer");
        var before = MessagesIn(h, dm).Count;
        await h.Discord.Gateway.SendUserMessageAsync(dm, "compare the first two", Bob, guildId: 0);
        await Eventually.TrueAsync(() => MessagesIn(h, dm).Count > before, "the comparison");
        var comparison = MessagesIn(h, dm)[before];
        var fields = comparison["embeds"]![0]!["fields"]!.AsArray();
        Assert.Equal(2, fields.Count);
        Assert.All(fields, f => Assert.Contains("**Method:**", f!["value"]!.GetValue<string>()));
        Assert.DoesNotContain("|---|", comparison["content"]?.GetValue<string>() ?? "");

        before = MessagesIn(h, dm).Count;
        await h.Discord.Gateway.SendUserMessageAsync(dm, "what is the best pizza in Naples?", Bob, guildId: 0);
        await Eventually.TrueAsync(() => MessagesIn(h, dm).Count > before, "the nothing-found answer");
        var nothing = MessagesIn(h, dm)[before]["content"]!.GetValue<string>();
        Assert.Contains("found no paper", nothing);
        Assert.DoesNotContain("References", nothing);
        Assert.DoesNotContain("https://", nothing);
    }

    internal static List<JsonObject> MessagesIn(BotHarness h, ulong channelId)
    {
        var id = channelId.ToString(CultureInfo.InvariantCulture);
        return h.Discord.Rest.CreatedMessages.Where(m => m["channel_id"]!.GetValue<string>() == id).ToList();
    }

    /// <summary>MESSAGE_CREATE from a bot account (author.bot = true).</summary>
    private static JsonObject BotMessage(FakeUser author, string content)
    {
        var user = author.ToJson();
        user["bot"] = true;
        return new JsonObject
        {
            ["id"] = "840000000000000001",
            ["channel_id"] = BotHarness.ChannelId.ToString(CultureInfo.InvariantCulture),
            ["guild_id"] = BotHarness.GuildId.ToString(CultureInfo.InvariantCulture),
            ["author"] = user,
            ["content"] = content,
            ["timestamp"] = "2026-11-23T10:00:00.000000+00:00",
            ["type"] = 0,
            ["mentions"] = new JsonArray(),
        };
    }
}
