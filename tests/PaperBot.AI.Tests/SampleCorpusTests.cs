using Microsoft.Extensions.DependencyInjection;
using PaperBot.AI.Tests.Support;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.AI.Tests;

/// <summary>The offline backend (and one LLM round trip) on the bundled sample corpus with the real LiteDB store and Lucene search.</summary>
public sealed class SampleCorpusTests : IAsyncLifetime
{
    private SampleCorpusHost _host = null!;

    public async Task InitializeAsync() => _host = await SampleCorpusHost.StartAsync();

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private static AskRequest Ask(string q, string conv = "guild:1/channel:2") => new() { ConversationKey = conv, UserId = "u", GuildId = "g", Question = q };

    [Fact]
    public async Task Offline_answer_leads_with_the_best_matching_paper_and_stays_on_topic()
    {
        var a = await _host.Assistant.AskAsync(Ask("How can language models reason more efficiently over long outputs?"));

        Assert.False(a.NothingFound, a.Markdown);
        Assert.StartsWith("Decoder-Hybrid-Decoder Architecture for Efficient Reasoning", a.Citations[0].Title);
        Assert.InRange(a.Citations.Count, 1, 5);
        var firstBullet = a.Markdown.Split('\n').First(l => l.StartsWith("- ", StringComparison.Ordinal));
        Assert.Contains("[1]", firstBullet);
    }

    [Fact]
    public async Task Offline_answer_is_extractive_from_retrieved_abstracts_with_valid_citations()
    {
        var a = await _host.Assistant.AskAsync(Ask("What do we know about encoder-decoder speech models?"));

        Assert.Equal("offline", a.Backend);
        Assert.False(a.NothingFound, a.Markdown);
        Assert.NotEmpty(a.Citations);
        foreach (var c in a.Citations)
        {
            var paper = _host.Store.Get(c.PaperId);
            Assert.NotNull(paper); // every citation is a real stored paper
            Assert.Equal(paper.Title, c.Title);
            Assert.StartsWith("https://", c.Url);
        }

        // One bullet per paper, in citation order: "- **<title>** [n]: <sentences from that paper's abstract>".
        var bullets = a.Markdown.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(a.Citations.Count, bullets.Count);
        for (var i = 0; i < bullets.Count; i++)
        {
            var m = System.Text.RegularExpressions.Regex.Match(bullets[i], @"^- \*\*(?<title>.+?)\*\* \[(?<n>\d+)\]: (?<text>.+)$");
            Assert.True(m.Success, bullets[i]);
            Assert.Equal(i + 1, int.Parse(m.Groups["n"].Value));
            var paper = _host.Store.Get(a.Citations[i].PaperId)!;
            Assert.Equal(paper.Title.Trim(), Offline.MarkdownText.Unescape(m.Groups["title"].Value));
            var abs = System.Text.RegularExpressions.Regex.Replace(paper.Abstract, @"\s+", " ");
            foreach (var sentence in System.Text.RegularExpressions.Regex.Split(Offline.MarkdownText.Unescape(m.Groups["text"].Value), @"(?<=[.!?])\s+(?=[A-Z])"))
            {
                Assert.True(abs.Contains(sentence.TrimEnd('…').Trim(), StringComparison.Ordinal), $"not from the abstract of [{i + 1}]: {sentence}");
            }
        }

        Assert.Contains(a.Citations, c => c.Title.Contains("Speech", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Offline_follow_ups_compare_and_summarize_the_cited_papers()
    {
        var first = await _host.Assistant.AskAsync(Ask("encoder-decoder speech recognition models"));
        Assert.True(first.Citations.Count >= 2, first.Markdown);

        var cmp = await _host.Assistant.AskAsync(Ask("compare the first two"));
        Assert.Equal(first.Citations.Take(2).Select(c => c.PaperId), cmp.Citations.Select(c => c.PaperId));
        Assert.Equal(2 + 5, cmp.Markdown.Split('\n').Length); // header, separator, 5 aspects

        var eli5 = await _host.Assistant.AskAsync(Ask("summarize that one for a beginner"));
        Assert.Equal([first.Citations[0].PaperId], eli5.Citations.Select(c => c.PaperId));
        Assert.Contains("Extractive summary made without an LLM", eli5.Markdown);
    }

    [Fact]
    public async Task Sentence_evidence_cites_a_paper_asked_about_in_lay_words_and_not_one_that_only_shares_words()
    {
        // The answering sentence says "encoder" and "decoder"; the question says "the main network" and "the part that
        // predicts the hidden words". Without sentence evidence the gate cited nothing here.
        var lay = await _host.Assistant.AskAsync(Ask("can you make a BERT better just by beefing up the part that predicts the hidden words during pretraining, while leaving the main network untouched?", "c:lay"));
        Assert.False(lay.NothingFound, lay.Markdown);
        Assert.StartsWith("DrBERT", lay.Citations[0].Title);

        // Shares words with an abstract and stood out among weak hits (the margin rule cited it); no sentence means it.
        var off = await _host.Assistant.AskAsync(Ask("what are the symptoms of vitamin D deficiency in adults?", "c:off"));
        Assert.True(off.NothingFound, off.Markdown);
        Assert.Empty(off.Citations);
    }

    [Fact]
    public async Task A_lay_worded_question_is_answered_when_its_paper_stands_out_among_close_neighbours()
    {
        // "abstract math about arrows between objects" is category theory, "merging those duplicates" the paper's
        // Iterative Feature Merging. Its retrieval relevance is low (0.04) and its best sentence cosine only 0.40, which
        // the relevance-and-sentence model alone refused; the hits around it are about the same field (a high median
        // best sentence) and it stands well ahead of them in relevance.
        var a = await _host.Assistant.AskAsync(Ask("using abstract math about arrows between objects to say when two nets have learned the same thing, and then merging those duplicates to slim the network", "c:cat"));

        Assert.False(a.NothingFound, a.Markdown);
        Assert.StartsWith("Going Beyond Neural Network Feature Similarity", a.Citations[0].Title);
    }

    [Theory]
    [InlineData("graph neural networks for predicting molecule toxicity from SMILES strings")] // a later hit had one close sentence
    [InlineData("is there a transformer model for forecasting electricity prices on the day-ahead market?")]
    [InlineData("how do I fix a leaking kitchen tap washer?")] // a flat, low profile
    [InlineData("which houseplants survive best in a dark apartment?")]
    public async Task An_off_topic_question_cites_nothing_even_when_a_later_hit_has_one_close_sentence(string question)
    {
        var a = await _host.Assistant.AskAsync(Ask(question, "c:off-" + question.Length));

        Assert.True(a.NothingFound, a.Markdown);
        Assert.Empty(a.Citations);
    }

    [Fact]
    public async Task Nothing_relevant_in_the_corpus_is_said_plainly()
    {
        var a = await _host.Assistant.AskAsync(Ask("sourdough bread fermentation recipes"));
        Assert.True(a.NothingFound, a.Markdown);
        Assert.Empty(a.Citations);
        Assert.Contains("found no paper", a.Markdown);
    }

    [Fact]
    public async Task Llm_answer_through_the_real_connector_cites_only_sample_papers()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        using var llm = await SampleCorpusHost.StartAsync(LlmAssistantTests.Config(server));
        var speech = llm.Store.All().First(p => p.Title.StartsWith("Training and Inference Efficiency of Encoder-Decoder Speech Models", StringComparison.Ordinal));
        LlmAssistantTests.ScriptSearchThenCite(server, "encoder-decoder speech models efficiency", speech.Id, "Encoder-decoder speech models can be trained more efficiently");

        var a = await llm.Assistant.AskAsync(Ask("How can encoder-decoder speech models be trained efficiently?"));

        Assert.Equal("llm", a.Backend);
        Assert.Equal(speech.Id, Assert.Single(a.Citations).PaperId);
        Assert.Equal(2, server.ChatRequests.Count);
    }
}
