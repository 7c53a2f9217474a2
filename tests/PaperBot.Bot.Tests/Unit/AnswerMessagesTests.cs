using PaperBot.AI;
using PaperBot.Bot.Formatting;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.Bot.Tests.Unit;

public sealed class AnswerMessagesTests
{
    private static readonly Citation Cite = new(1, "2611.20001", "Q&A [Agents](https://evil.example) *bold* @everyone", "https://huggingface.co/papers/2611.20001");

    [Fact]
    public void A_comparison_answer_becomes_an_embed_with_a_field_per_paper_not_a_raw_table()
    {
        var answer = new AssistantAnswer
        {
            Markdown = "Compared from their abstracts. On your question:\n\n- **A** [1]: fast.\n\n| Aspect | A [1] | B [2] |\n|---|---|---|\n| Method | drafts | retrieves |\n| Results | 2.8x | _not stated_ |",
            Citations = [Cite, Cite with { Number = 2, PaperId = "2611.20002", Title = "B" }],
        };

        var messages = AnswerMessages.BuildAny(answer, "Q: compare them").Select(m => m.Build()).ToList();

        var embed = Assert.Single(messages[0].Embeds!);
        Assert.Equal(2, embed.Fields!.Count);
        Assert.Equal("A [1]", embed.Fields[0].Name);
        Assert.Contains("**Method:** drafts", embed.Fields[0].Value);
        Assert.Contains("**Results:** _not stated_", embed.Fields[1].Value);
        Assert.DoesNotContain("|---|", string.Join("\n", messages.Select(m => m.Content)));
        Assert.Contains("On your question", messages[0].Content);
        Assert.Contains("**References**", messages[0].Content);
    }

    [Fact]
    public void Nothing_found_is_said_without_references_and_with_a_tip()
    {
        var answer = new AssistantAnswer { Markdown = "I found no paper in the database that is relevant.", NothingFound = true };
        var text = Assert.Single(AnswerMessages.BuildAny(answer, "Q: pizza")).Build().Content!;
        Assert.StartsWith("**Q: pizza**\nI found no paper", text);
        Assert.DoesNotContain("References", text);
        Assert.Contains(AnswerMessages.NothingFoundTip, text);
    }

    [Fact]
    public void Titles_in_references_are_escaped_so_they_cannot_link_format_or_ping()
    {
        var answer = new AssistantAnswer { Markdown = "Agents [1].", Citations = [Cite], Notice = "Removed 1 link(s); unverified: \"[X](https://e.x)\"" };
        var text = Assert.Single(AnswerMessages.BuildAny(answer)).Build().Content!;
        Assert.Contains(@"[1] Q&A \[Agents\]\(https://evil.example\) \*bold\* @" + "\u200B" + "everyone — <https://huggingface.co/papers/2611.20001>", text);
        Assert.Contains(@"\[X\]\(https://e.x\)", text);
        Assert.DoesNotContain("[Agents](", text);
    }

    [Fact]
    public void Abstracts_and_snippets_in_paper_embeds_never_render_links()
    {
        var p = new Paper { Id = "2611.20009", Title = "T [x](https://evil.example)", Abstract = "Visit [the site](https://evil.example) now." };
        var details = PaperEmbeds.Details(p).Build();
        Assert.Equal(@"Visit \[the site\]\(https://evil.example\) now.", details.Description);
        var list = PaperEmbeds.List("Results", [new SearchHit(p, 1, "Visit [the **site**](https://evil.example) now.")]).Build();
        Assert.Contains(@"\[the **site**\]\(https://evil.example\)", list.Description);
        Assert.Contains(@"T \[x\]\(https://evil.example\)", list.Description);
    }
}
