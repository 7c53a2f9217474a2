using System.Text.Json.Nodes;
using PaperBot.Testing.Citations;
using PaperBot.Testing.FakeDiscord;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>/cite (code block or a multipart file attachment, checked by the strict fake) and /usage, through the real host.</summary>
public sealed class CiteAndUsageEndToEndTests
{
    private static readonly string AllIds = string.Join(", ", BotTestPapers.All.Select(p => p.Id));

    [Fact]
    public async Task Cite_for_many_papers_answers_with_a_bib_file_the_independent_parser_reads()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var cite = await h.Discord.Interactions.SlashCommandAsync("cite", [FakeOption.String("ids", AllIds + ", 9999.99999")]);
        var cb = await cite.WaitForCallbackAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, cb.Type);
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>()); // only the user sees it unless public:true
        var content = cb.Data!["content"]!.GetValue<string>();
        Assert.Contains($"📎 {BotTestPapers.All.Count} citations (bibtex) in `citations.bib`", content);
        Assert.Contains("Not in the database: `9999.99999`", content);
        // the fake records the request and the message right after it completes the callback
        await Eventually.TrueAsync(() => h.Discord.Rest.RequestsTo("interactions.callback").Any() && cite.OriginalMessage is not null, "the callback recorded");
        var request = Assert.Single(h.Discord.Rest.RequestsTo("interactions.callback"));
        Assert.StartsWith("multipart/form-data", request.ContentType);
        Assert.Equal(204, request.Status);
        var upload = Assert.Single(request.Files);
        Assert.Equal(("files[0]", "citations.bib"), (upload.FieldName, upload.FileName));
        Assert.StartsWith("application/x-bibtex", upload.ContentType);

        var attachment = Assert.Single(cite.OriginalMessage!["attachments"]!.AsArray());
        Assert.Equal("citations.bib", attachment!["filename"]!.GetValue<string>());
        var bib = h.Discord.Rest.AttachmentText(attachment)!;
        var parsed = BibTexParser.Parse(bib);
        Assert.Empty(parsed.Errors);
        Assert.Equal(BotTestPapers.All.Select(p => p.Id), parsed.Entries.Select(e => e.Fields["eprint"]));
        Assert.All(parsed.Entries, e => Assert.Equal("arXiv", e.Fields["archiveprefix"]));
        Assert.Empty(h.Discord.Rest.Violations);
    }

    [Fact]
    public async Task Cite_for_one_paper_is_a_code_block_and_public_ris_is_visible_to_everyone()
    {
        await using var h = await BotHarness.CreateAsync();
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var one = await h.Discord.Interactions.SlashCommandAsync("cite", [FakeOption.String("ids", "arXiv:2611.20001v2")]);
        var text = (await one.WaitForCallbackAsync(TimeSpan.FromSeconds(10))).Data!["content"]!.GetValue<string>();
        Assert.StartsWith("```bibtex\n@misc{draft2026speculative,", text);
        Assert.EndsWith("}\n```", text);
        Assert.Single(BibTexParser.Parse(text[10..^3]).Entries);

        var ris = await h.Discord.Interactions.SlashCommandAsync("cite", [FakeOption.String("ids", "2611.20001 2611.20002"), FakeOption.String("format", "ris"), FakeOption.Boolean("public", true)]);
        var risCb = await ris.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Null(risCb.Data!["flags"]);
        Assert.Equal(2, risCb.Data!["content"]!.GetValue<string>().Split("TY  - UNPB").Length - 1);

        var none = await h.Discord.Interactions.SlashCommandAsync("cite", [FakeOption.String("ids", "1234.56789")]);
        var noneCb = await none.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(64, noneCb.Data!["flags"]!.GetValue<int>());
        Assert.Contains("None of these ids is in the database", noneCb.Data!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usage_shows_the_users_tokens_and_cost_and_the_servers_only_to_admins()
    {
        await using var h = (await BotHarness.CreateAsync(llm: true))
            .With("Llm:Prices:fake-model:InputPerMTok", "3")
            .With("Llm:Prices:fake-model:OutputPerMTok", "15");
        h.OpenAi!.DefaultChatReply = FakeReply.Text("Speculative decoding drafts tokens with a small model [1].", promptTokens: 1200, completionTokens: 300);
        h.Seed(BotTestPapers.All);
        await using var bot = await h.StartBotAsync();

        var before = await UsageAsync(h, FakePermissions.Member);
        Assert.Contains("0 of 50,000 tokens (0%)", Field(before, "You: today"));

        var ask = await h.Discord.Interactions.SlashCommandAsync("ask", [FakeOption.String("question", "how does speculative decoding work?")]);
        await ask.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => ask.OriginalMessage?["content"]?.GetValue<string>() is { Length: > 0 }, "the answer");

        var member = await UsageAsync(h, FakePermissions.Member);
        var today = Field(member, "You: today");
        Assert.Matches(@"^[\d,]+ of 50,000 tokens \(\d+(\.\d)?%\)\n[▰▱]{10}\n[\d,]+ in · [\d,]+ out · \d+ calls?\n≈ \$0\.\d{4}$", today);
        Assert.False(today.StartsWith("0 of", StringComparison.Ordinal), today);
        Assert.Contains("the daily budget allows at most", member["fields"]!.AsArray()[1]!["value"]!.GetValue<string>());
        Assert.DoesNotContain(member["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>().StartsWith("This server", StringComparison.Ordinal));
        Assert.Contains("Cost estimated at fake-model: $3 per 1M input and $15 per 1M output tokens", member["footer"]!["text"]!.GetValue<string>());

        var admin = await UsageAsync(h, FakePermissions.Moderator);
        Assert.Contains("of 500,000 tokens", Field(admin, "This server: today"));
    }

    private static async Task<JsonNode> UsageAsync(BotHarness h, string permissions)
    {
        var i = await h.Discord.Interactions.SlashCommandAsync("usage", permissions: permissions);
        var cb = await i.WaitForCallbackAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, cb.Type);
        Assert.Equal(64, cb.Data!["flags"]!.GetValue<int>());
        return cb.Data!["embeds"]![0]!;
    }

    private static string Field(JsonNode embed, string name) =>
        embed["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();
}
