using System.Text;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>The bot with an OpenAI-compatible backend (the loopback fake) through the real SK connector.</summary>
public sealed class LlmEndToEndTests
{
    private static readonly FakeUser Carol = new(700000000000000003, "carol", "Carol");

    [Fact]
    public async Task Llm_failure_answers_offline_with_a_visible_notice()
    {
        await using var h = await BotHarness.CreateAsync(llm: true);
        h.OpenAi!.DefaultChatReply = FakeReply.Status(500, message: "upstream exploded");
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var ask = await h.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", "how does speculative decoding speed up inference?")]);
        Assert.Equal(5, (await ask.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Type);
        await Eventually.TrueAsync(() => ask.OriginalMessage?["content"]?.GetValue<string>() is { Length: > 0 }, "@original edited");
        var text = ask.OriginalMessage!["content"]!.GetValue<string>() + string.Concat(ask.Followups.Select(f => f["content"]?.GetValue<string>()));
        Assert.True(h.OpenAi.ChatRequests.Count >= 1, "the LLM was tried");
        Assert.Contains("extractive answer", text);
        Assert.Contains("Speculative Decoding for Large Language Models", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task A_6000_character_answer_arrives_as_valid_messages()
    {
        await using var h = await BotHarness.CreateAsync(llm: true);
        var sentences = Enumerable.Range(1, 75).Select(i => $"Sentence number {i:000} explains one more detail about speculative decoding and its verification step.").ToList();
        var longAnswer = new StringBuilder();
        foreach (var chunk in sentences.Chunk(5))
        {
            longAnswer.Append(string.Join(' ', chunk)).Append("\n\n");
        }

        Assert.InRange(longAnswer.Length, 6000, 8000);
        h.OpenAi!.EnqueueChat(FakeReply.Text(longAnswer.ToString()));
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        const ulong dm = 830000000000000010;
        await h.Discord.Gateway.SendUserMessageAsync(dm, "explain speculative decoding in depth", Carol, guildId: 0);
        await Eventually.TrueAsync(() => ChatEndToEndTests.MessagesIn(h, dm).Any(m => m["content"]!.GetValue<string>().Contains("Sentence number 075", StringComparison.Ordinal)), "the last part");
        var parts = ChatEndToEndTests.MessagesIn(h, dm).Select(m => m["content"]!.GetValue<string>()).ToList();
        Assert.InRange(parts.Count, 4, 6);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        var joined = string.Join("\n", parts);
        foreach (var s in sentences)
        {
            Assert.Contains(s, joined); // every sentence intact: no split mid-sentence here, nothing lost
        }

        Assert.All(h.Discord.Rest.Requests.Where(r => r.Route == "messages.create"), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task An_answer_containing_everyone_pings_no_one()
    {
        await using var h = await BotHarness.CreateAsync(llm: true);
        h.OpenAi!.EnqueueChat(FakeReply.Text("Hey @everyone and @here, <@&555> and <@700000000000000001>: speculative decoding is fast."));
        h.OpenAi.EnqueueChat(FakeReply.Text("@everyone the summary is: it drafts and verifies."));
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();
        var self = h.Discord.Options.BotUserId;

        await h.Discord.Gateway.SendUserMessageAsync(BotHarness.ChannelId, $"<@{self}> what is speculative decoding?", Carol);
        await Eventually.TrueAsync(() => h.Discord.Rest.Requests.Any(r => r.Route == "messages.create" && r.Body.Contains("@everyone", StringComparison.Ordinal)), "chat answer");
        var ask = await h.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", "summarize speculative decoding")]);
        await ask.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => h.Discord.Rest.Requests.Any(r => r.Route == "webhooks.original.edit" && r.Body.Contains("@everyone", StringComparison.Ordinal)), "/ask answer");

        var sends = h.Discord.Rest.Requests.Where(r => r.Route is "messages.create" or "webhooks.original.edit" or "webhooks.execute" or "interactions.callback").ToList();
        Assert.NotEmpty(sends);
        foreach (var r in sends.Where(r => r.Route != "interactions.callback" || r.Json!["data"]?["content"] is not null))
        {
            var mentions = r.Route == "interactions.callback" ? r.Json!["data"]!["allowed_mentions"] : r.Json!["allowed_mentions"];
            Assert.NotNull(mentions);
            Assert.Equal("[]", mentions!["parse"]!.ToJsonString());
            Assert.Null(mentions["users"]);
            Assert.Null(mentions["roles"]);
        }

        Assert.Equal(0, h.Discord.Rest.SendsWithoutAllowedMentions);
    }
}
