using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI.Evaluation;
using PaperBot.AI.Memory;
using PaperBot.AI.Offline;
using PaperBot.AI.Orchestration;
using PaperBot.AI.Tests.Support;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Evaluation;

namespace PaperBot.AI.Tests;

/// <summary>The offline answerer's decisions: intent, references, sentence choice, premises, aspects; and the answer measure.</summary>
public sealed class AnswerPlanningTests
{
    private static AskRequest Ask(string q, string conv = "plan") => new() { ConversationKey = conv, UserId = "u1", Question = q };

    [Theory]
    [InlineData("How do diffusion models compare to autoregressive models for image generation?", IntentKind.Answer)]
    [InlineData("EVE vs SOLO: what does each one claim to match?", IntentKind.Compare)]
    [InlineData("how does the position-forest approach differ from the self-supervised attention approach?", IntentKind.Compare)]
    [InlineData("two papers distill Transformers into Mamba - how do their recipes compare?", IntentKind.Compare)]
    [InlineData("summarize recent work on speech recognition", IntentKind.Overview)]
    [InlineData("summarize that one for a beginner", IntentKind.Summarize)]
    public void Comparisons_only_when_two_papers_are_named_or_referred_to(string question, IntentKind kind) =>
        Assert.Equal(kind, Intent.Detect(question).Kind);

    [Theory]
    [InlineData("how much faster is it on a smartphone?", NeedKind.Number)]
    [InlineData("what dataset did they train on?", NeedKind.Data)]
    [InlineData("how does the router decide which layers to skip?", NeedKind.Method)]
    [InlineData("are HRNet's high-resolution branches actually needed?", NeedKind.Finding)]
    public void Questions_are_classified_by_the_sentence_that_answers_them(string question, NeedKind need) =>
        Assert.Equal(need, QuestionNeed.Of(question));

    [Fact]
    public void This_year_is_not_a_reference_but_it_is()
    {
        string[] previous = ["a", "b"];
        Assert.Empty(ReferenceResolver.Resolve("What is new in diffusion for video this year?", previous));
        Assert.Equal(["a"], ReferenceResolver.Resolve("what data does it use?", previous));
        Assert.True(ReferenceResolver.IsPronounOnly("what data does it use?"));
        Assert.False(ReferenceResolver.IsPronounOnly("compare the first two"));
    }

    [Fact]
    public async Task A_pronoun_with_a_new_topic_starts_a_new_search_instead_of_reusing_the_previous_paper()
    {
        using var sp = AiTestHost.Build();
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        var first = await assistant.AskAsync(Ask("four-bit quantization calibration"));
        Assert.Equal(TestPapers.Quantization.Id, first.Citations[0].PaperId);

        var same = await assistant.AskAsync(Ask("how many samples does it use?"));
        Assert.Equal(TestPapers.Quantization.Id, same.Citations[0].PaperId);

        var other = await assistant.AskAsync(Ask("does it work for one-step image diffusion with consistency distillation?"));
        Assert.Equal(TestPapers.Diffusion.Id, other.Citations[0].PaperId);
    }

    [Fact]
    public async Task A_how_much_question_gets_the_sentence_with_the_number()
    {
        using var sp = AiTestHost.Build();
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("how much faster is TreeSpec?"));
        Assert.Equal(TestPapers.SpecDecoding.Id, a.Citations[0].PaperId);
        Assert.Contains("2.8x speedup", a.Markdown);
        Assert.DoesNotContain("Large language model inference is slow", a.Markdown); // the background sentence
    }

    [Fact]
    public async Task A_named_model_the_database_lacks_is_said_plainly_and_nothing_is_cited()
    {
        using var sp = AiTestHost.Build();
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("what did the GPT-7 technical report say about speculative decoding trees?"));
        Assert.True(a.PremiseUnsupported);
        Assert.True(a.NothingFound);
        Assert.Empty(a.Citations);
        Assert.Contains("no paper about **GPT-7**", a.Markdown);
        Assert.Contains("Faster Inference with Speculative Decoding Trees", a.Markdown); // the closest real paper, named
    }

    /// <summary>A premise the abstract contradicts is flagged and answered with the abstract's own sentence.</summary>
    [Theory]
    [InlineData("why does TreeSpec only reach a 1.5x speedup on code benchmarks?", "2.8x speedup")] // a misstated number
    [InlineData("TreeSpec reaches a 5x speedup on code benchmarks; how much memory does it need?", "2.8x speedup")] // stated in one clause, another asks "how much"
    [InlineData("why does TreeSpec still need a change of the output distribution?", "without changing the output distribution")] // a denied requirement
    public async Task A_premise_the_abstract_contradicts_is_corrected_with_the_abstract_sentence(string question, string quoted)
    {
        using var sp = AiTestHost.Build();
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask(question));
        Assert.True(a.PremiseUnsupported);
        Assert.Equal(TestPapers.SpecDecoding.Id, a.Citations[0].PaperId);
        Assert.Contains("premise does not match", a.Markdown);
        Assert.Contains(quoted, a.Markdown);
    }

    [Fact]
    public async Task A_clause_that_asks_for_a_number_states_no_premise()
    {
        using var sp = AiTestHost.Build();
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("how much faster than 1.5x does TreeSpec get on code benchmarks?"));
        Assert.False(a.PremiseUnsupported);
        Assert.Equal(TestPapers.SpecDecoding.Id, a.Citations[0].PaperId);
    }

    [Fact]
    public void Each_aspect_gets_its_own_sentence_and_prior_work_limits_are_not_the_papers_own()
    {
        var p = new Paper
        {
            Id = "x",
            Title = "X",
            Abstract = "Existing methods suffer from slow decoding. We propose DraftNet, a method that drafts tokens with a small model. " +
                       "We train on 10,000 dialogues from the ChatLog dataset. DraftNet achieves a 3.1x speedup over greedy decoding.",
        };
        var cells = ExtractiveEngine.AspectCells(p, ExtractiveEngine.DefaultAspects);
        Assert.Equal(5, cells.Count);
        Assert.StartsWith("We propose DraftNet", cells[1]);
        Assert.StartsWith("We train on 10,000 dialogues", cells[2]);
        Assert.StartsWith("DraftNet achieves a 3.1x", cells[3]);
        Assert.Equal(ExtractiveEngine.NotStated, cells[4]); // "Existing methods suffer" is prior work, not this paper's limitation
        var used = cells.Where(c => c != ExtractiveEngine.NotStated).ToList();
        Assert.Equal(used.Count, used.Distinct().Count());
    }

    [Fact]
    public void Markdown_escaping_neutralises_links_formatting_and_pings_and_unescapes_to_what_readers_see()
    {
        const string raw = "Visit [the site](https://evil.example) *now* @everyone > quote | 96.7\\% # h";
        var escaped = MarkdownText.Escape(raw);
        Assert.Equal("Visit \\[the site\\]\\(https://evil.example\\) \\*now\\* @\u200Beveryone \\> quote \\| 96.7\\\\% \\# h", escaped);
        Assert.Equal(raw, MarkdownText.Unescape(escaped));
    }

    [Theory]
    [InlineData("[1, 2]", "1|2")]
    [InlineData("1, 2", "1|2")]
    [InlineData("2401.00001 2401.00002", "2401.00001|2401.00002")]
    [InlineData("[\"2401.00001\", 3]", "2401.00001|3")]
    public void Tool_list_arguments_are_read_in_every_shape_models_send(string value, string expected) =>
        Assert.Equal(expected, string.Join('|', ToolArgumentFilter.Tokens(value)));

    [Fact]
    public void Tool_list_arguments_from_json_elements()
    {
        using var doc = JsonDocument.Parse("""{"ids":[1,"[2]",{"id":"2401.00003"}]}""");
        Assert.Equal(["1", "2", "2401.00003"], ToolArgumentFilter.Tokens(doc.RootElement.GetProperty("ids").Clone()));
    }

    [Fact]
    public void The_answer_measure_scores_each_kind_as_the_eval_readme_says()
    {
        using var sp = AiTestHost.Build();
        var evaluator = new AnswerEvaluator(sp.GetRequiredService<IPaperAssistant>(), sp.GetRequiredService<IPaperStore>());
        var title = TestPapers.SpecDecoding.Title;
        var cite = new Citation(1, PaperId.FromTitle(title), title, "u");
        var evidence = "On code and chat benchmarks TreeSpec achieves a 2.8x speedup without changing the output distribution.";
        EvalQuestion Q(string kind, params string[] titles) => new() { Id = "q", Question = "?", Kind = kind, RelevantTitles = titles, Evidence = kind == "off_topic" ? [] : [evidence] };

        Assert.Equal(1.0, evaluator.Score(Q("paraphrase", title), new AssistantAnswer { Markdown = "- **T** [1]: " + MarkdownText.Escape(evidence), Citations = [cite] }).Score);
        Assert.Equal(0.5, evaluator.Score(Q("paraphrase", title), new AssistantAnswer { Markdown = "- **T** [1]: other.", Citations = [cite] }).Score);
        Assert.Equal(0.5, evaluator.Score(Q("paraphrase", "Another"), new AssistantAnswer { Markdown = evidence, Citations = [cite] }).Score);
        Assert.Equal(1.0, evaluator.Score(Q("finding", title), new AssistantAnswer { Markdown = "TreeSpec: 2.8x faster [1].", Citations = [cite] }).Score); // key clause: the number
        Assert.Equal(0.0, evaluator.Score(Q("off_topic"), new AssistantAnswer { Markdown = "x [1]", Citations = [cite] }).Score);
        Assert.Equal(1.0, evaluator.Score(Q("off_topic"), new AssistantAnswer { Markdown = "nothing", NothingFound = true }).Score);
        var missing = Q("false_premise") with { Evidence = [] };
        Assert.Equal(1.0, evaluator.Score(missing, new AssistantAnswer { Markdown = "no such paper", PremiseUnsupported = true }).Score);
        Assert.Equal(0.5, evaluator.Score(missing, new AssistantAnswer { Markdown = "no such paper" }).Score);
    }
}
