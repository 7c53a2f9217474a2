using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI.Tests.Support;

namespace PaperBot.AI.Tests;

public sealed class OfflineAssistantTests
{
    private static AskRequest Ask(string q, string conv = "c1") => new() { ConversationKey = conv, UserId = "u1", GuildId = "g1", Question = q };

    [Fact]
    public async Task Answers_with_sentences_from_retrieved_abstracts_and_numbered_citations()
    {
        using var sp = AiTestHost.Build();
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        var a = await assistant.AskAsync(Ask("How much speedup does speculative decoding give?"));

        Assert.Equal("offline", a.Backend);
        Assert.False(a.UsedFallback);
        Assert.False(a.NothingFound);
        Assert.Contains(a.Citations, c => c.PaperId == TestPapers.SpecDecoding.Id && c.Url == TestPapers.SpecDecoding.HfUrl);
        Assert.Contains("2.8x speedup", a.Markdown);
        // Every [n] in the text maps to a citation, numbered from 1.
        var markers = System.Text.RegularExpressions.Regex.Matches(a.Markdown, @"\[(\d+)\]").Select(m => int.Parse(m.Groups[1].Value)).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, a.Citations.Count), markers);
        // Nothing unrelated is cited.
        Assert.DoesNotContain(a.Citations, c => c.PaperId == TestPapers.Diffusion.Id);
    }

    [Fact]
    public async Task Says_so_when_nothing_relevant_is_found()
    {
        using var sp = AiTestHost.Build();
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(Ask("What is known about protein folding with graph kernels?"));
        Assert.True(a.NothingFound);
        Assert.Empty(a.Citations);
        Assert.Contains("found no paper", a.Markdown);
    }

    [Fact]
    public async Task Follow_ups_resolve_against_the_previous_turn()
    {
        using var sp = AiTestHost.Build();
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        var first = await assistant.AskAsync(Ask("speculative decoding"));
        Assert.True(first.Citations.Count >= 2, first.Markdown);

        var cmp = await assistant.AskAsync(Ask("compare the first two"));
        Assert.Equal([first.Citations[0].PaperId, first.Citations[1].PaperId], cmp.Citations.Select(c => c.PaperId));
        Assert.StartsWith("| Aspect |", cmp.Markdown);
        Assert.Contains("| Limitations |", cmp.Markdown);

        var eli5 = await assistant.AskAsync(Ask("summarize that one for a beginner"));
        Assert.Equal([cmp.Citations[0].PaperId], eli5.Citations.Select(c => c.PaperId));
        Assert.Contains("Extractive summary made without an LLM", eli5.Markdown); // honest: no rewrite for beginners offline

        // Another conversation has its own memory: there "the first two" refers to nothing.
        var other = await assistant.AskAsync(Ask("compare the first two", conv: "c2"));
        Assert.True(other.NothingFound);
    }

    [Fact]
    public async Task Compare_table_says_not_stated_where_an_abstract_is_silent()
    {
        using var sp = AiTestHost.Build();
        var a = await sp.GetRequiredService<IPaperAssistant>().CompareAsync([TestPapers.Quantization.Id, TestPapers.Diffusion.Id], ["Data", "Limitations"]);
        var rows = a.Markdown.Split('\n');
        Assert.Equal(4, rows.Length);
        var data = rows.Single(r => r.StartsWith("| Data |"));
        Assert.True(data.Contains("512 samples from C4"), a.Markdown);
        Assert.Contains("LAION-Aesthetics", data);
        var limits = rows.Single(r => r.StartsWith("| Limitations |"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(limits, "not stated").Count);
        Assert.Equal([TestPapers.Quantization.Id, TestPapers.Diffusion.Id], a.Citations.Select(c => c.PaperId));
    }

    [Fact]
    public async Task Summaries_are_extractive_in_each_style_and_unknown_ids_are_reported()
    {
        using var sp = AiTestHost.Build();
        var assistant = sp.GetRequiredService<IPaperAssistant>();
        var tldr = await assistant.SummarizeAsync([TestPapers.SpecDecoding.Id], SummaryStyle.Tldr);
        Assert.Contains("TL;DR: ", tldr.Markdown);
        Assert.Contains("We propose TreeSpec", tldr.Markdown);
        var tech = await assistant.SummarizeAsync([TestPapers.SpecDecoding.Id, "9999.99999"], SummaryStyle.Technical);
        Assert.Contains("- ", tech.Markdown);
        Assert.Contains("Unknown paper id(s): 9999.99999", tech.Markdown);
        var none = await assistant.SummarizeAsync(["9999.99999"], SummaryStyle.Tldr);
        Assert.True(none.NothingFound);
    }

    [Fact]
    public async Task Digest_lines_are_one_per_paper_in_order()
    {
        using var sp = AiTestHost.Build();
        var lines = await sp.GetRequiredService<IPaperAssistant>().DigestLinesAsync([TestPapers.Diffusion, TestPapers.Quantization]);
        Assert.Equal(2, lines.Lines.Count);
        Assert.StartsWith("We present a consistency distillation", lines.Lines[0]);
        Assert.StartsWith("We introduce a calibration", lines.Lines[1]);
        Assert.False(lines.UsedFallback);
    }
}
