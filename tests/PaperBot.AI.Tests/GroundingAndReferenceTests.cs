using PaperBot.AI.Grounding;
using PaperBot.AI.Memory;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Tests;

public sealed class GroundingAndReferenceTests
{
    private static readonly string[] Prev = ["a", "b", "c", "d"];

    [Theory]
    [InlineData("compare the first two", "a,b")]
    [InlineData("compare the top 3", "a,b,c")]
    [InlineData("compare the last two", "c,d")]
    [InlineData("summarize that one for a beginner", "a")]
    [InlineData("tell me more about the second paper", "b")]
    [InlineData("compare the third and the first", "c,a")]
    [InlineData("what about [4]?", "d")]
    [InlineData("explain paper 2", "b")]
    [InlineData("compare both", "a,b")]
    [InlineData("summarize them", "a,b,c,d")]
    [InlineData("the last one please", "d")]
    [InlineData("what is new in diffusion models", "")]
    [InlineData("compare the first ten", "a")]
    public void Resolves_ordinals_and_anaphora_against_the_previous_citations(string text, string expected)
    {
        Assert.Equal(expected, string.Join(',', ReferenceResolver.Resolve(text, Prev)));
    }

    [Fact]
    public void Nothing_to_resolve_without_a_previous_turn() => Assert.Empty(ReferenceResolver.Resolve("compare the first two", []));

    [Fact]
    public void Post_check_renumbers_by_first_use_and_drops_unknown_refs_and_ids()
    {
        var x = new Paper { Id = "2401.00001", Title = "X", ArxivId = "2401.00001" };
        var y = new Paper { Id = "2401.00002", Title = "Y" };
        Paper? ByRef(int n) => n switch { 3 => x, 5 => y, _ => null };
        Paper? ById(string id) => id == x.Id ? x : id == y.Id ? y : null;

        var g = CitationPostCheck.Apply("Y does it [5], X too [3, 7]. See [id:2401.00001] and [2501.99999]. A [link](https://e.org) goes.", ByRef, ById, [x, y]);

        Assert.Equal("Y does it [1], X too [2]. See [2] and. A link goes.", g.Markdown);
        Assert.Equal([("2401.00002", 1), ("2401.00001", 2)], g.Citations.Select(c => (c.PaperId, c.Number)));
        Assert.Equal("https://arxiv.org/abs/2401.00001", g.Citations[1].Url);
        Assert.Equal(["7", "2501.99999"], g.Removed);
        Assert.Contains("Removed 2 citation(s)", g.RemovedNotice);
    }

    [Theory]
    [InlineData("compare the first two on data and results", IntentKind.Compare)]
    [InlineData("summarize that one for a beginner", IntentKind.Summarize)]
    [InlineData("what is trending this week?", IntentKind.Trending)]
    [InlineData("how does speculative decoding work?", IntentKind.Answer)]
    public void Detects_the_offline_plan(string q, IntentKind kind) => Assert.Equal(kind, Intent.Detect(q).Kind);

    [Fact]
    public void Detects_styles_and_aspects()
    {
        Assert.Equal(SummaryStyle.Eli5, Intent.Detect("summarize that one for a beginner").Style);
        Assert.Equal(SummaryStyle.Technical, Intent.Detect("give me a technical summary").Style);
        Assert.Equal(["Data", "Results"], Intent.Detect("compare the first two on data and results").Aspects);
    }

    [Fact]
    public void Sentences_keep_abbreviations()
    {
        Assert.Equal(
            ["We use e.g. BERT and GPT et al. for tests.", "Results improve by 3.5 points!", "Is it good?"],
            TextAnalysis.Sentences("We use e.g. BERT and GPT et al. for tests. Results improve by 3.5 points! Is it good?"));
    }
}
