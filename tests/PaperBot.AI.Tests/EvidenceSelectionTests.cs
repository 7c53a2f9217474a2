using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings.Local;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Tests;

/// <summary>
/// Which sentences an offline answer carries and which paper it cites first, on small constructed papers: the
/// paper's named proposal for a "how / is there a way" question, a sentence next to the best one that does not
/// continue it, model sizes as numbers, and papers of close retrieval relevance ordered by sentence evidence.
/// </summary>
public sealed class EvidenceSelectionTests : IClassFixture<LocalEmbeddingTests.Model>
{
    private readonly LocalEmbeddingGenerator _generator;

    public EvidenceSelectionTests(LocalEmbeddingTests.Model model) => _generator = model.Generator;

    private static Paper Paper(string id, string title, string @abstract) => new() { Id = id, Title = title, Abstract = @abstract };

    private static CorpusStats.Snapshot Stats(params Paper[] papers)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in papers)
        {
            foreach (var t in TextAnalysis.Terms(p.Title + " " + p.Abstract).Distinct())
            {
                df[t] = df.GetValueOrDefault(t) + 1;
            }
        }

        return new CorpusStats.Snapshot(df, papers.Length, papers.Length, 1);
    }

    private static string Text(ExtractiveText? answer) => MarkdownText.Unescape(answer!.Markdown);

    [Fact]
    public void A_how_question_gets_the_named_proposal_even_when_other_sentences_share_more_of_its_words()
    {
        const string proposal = "We propose LayerPick (LPK), which adds adapters to the first and last blocks only.";
        var p = Paper("p1", "Adding languages to multilingual models",
            "Multilingual language models forget old languages when new languages are added. " +
            "Adding new languages to multilingual language models usually needs the original data. " +
            "Old languages degrade when multilingual models learn new languages. " +
            proposal + " " +
            "We evaluate multilingual models on new languages and old languages. " +
            "Multilingual language models are widely used for many languages.");
        var other = Paper("p2", "Image segmentation", "We segment images with a transformer.");
        var question = "how do you add new languages to a multilingual language model without it forgetting the old languages?";
        Assert.Equal(NeedKind.Method, QuestionNeed.Of(question));

        var answer = new ExtractiveEngine().Answer(question, [p], Stats(p, other));

        Assert.Contains(proposal, Text(answer));
        Assert.True(SentenceCues.IsProposal(proposal));
        Assert.False(SentenceCues.IsProposal("Multilingual language models are widely used for many languages."));
        Assert.False(SentenceCues.IsProposal("We propose to study how the layers change.")); // nothing named
    }

    [Fact]
    public void A_how_much_question_does_not_get_the_proposal_in_place_of_the_number()
    {
        const string proposal = "We propose QuickNet (QN), built from sparse convolutions.";
        var p = Paper("p1", "Fast detection",
            "Object detection on phones is slow. " + proposal + " QuickNet runs 3.1x faster than the baseline detector on a phone.");
        var answer = new ExtractiveEngine().Answer("how much faster is the pruned detector on a phone?", [p], Stats(p, Paper("p2", "Speech", "We transcribe speech.")));

        Assert.Contains("3.1x faster", Text(answer));
        Assert.DoesNotContain(proposal, Text(answer));
    }

    [Fact]
    public void The_sentence_after_the_best_one_still_competes_when_it_does_not_continue_it()
    {
        // The question's words are split over two neighbouring sentences that share no words with each other: the
        // second must be judged on its own score, not dropped for following the first.
        const string second = "Zebra stripes confuse biting flies in field trials.";
        var p = Paper("p1", "Notes",
            "Quantum annealing solves scheduling problems quickly. " + second + " " +
            "Plain filler sentence number one. Plain filler sentence number two. Plain filler sentence number three.");
        var stats = Stats(p, Paper("p2", "Other", "Unrelated text about cooking pasta."), Paper("p3", "More", "Unrelated text about gardening."));

        var answer = new ExtractiveEngine().Answer("quantum annealing scheduling and zebra stripes flies", [p], stats);

        Assert.Contains("Quantum annealing solves scheduling problems quickly.", Text(answer));
        Assert.Contains(second, Text(answer));
    }

    [Theory]
    [InlineData("Our 13.4B parameter model outperforms a 33B model in code generation quality.", true)]
    [InlineData("We release a 112K video-instruction set.", true)]
    [InlineData("The model has 7 billion parameters.", true)]
    [InlineData("We propose a new model for code generation.", false)]
    public void Model_sizes_count_as_numbers(string sentence, bool number) =>
        Assert.Equal(number, SentenceCues.HasNumber(sentence));

    private static RelevanceGate Gate(SentenceEvidence evidence) => new(Options.Create(new AnswersOptions()), evidence);

    private static readonly Paper Weather = Paper("w1", "Earth system emulator",
        "We build an open platform for training atmospheric models. The platform supports many data sources and schedulers.");

    private static readonly Paper Downscaling = Paper("w2", "Weather foundation model",
        "Large models are popular. We test the model on downscaling coarse climate fields to finer grids and on estimating gravity wave drag.");

    [Fact]
    public async Task Papers_of_close_relevance_are_cited_by_the_sentence_that_answers_the_question()
    {
        var hits = new[] { new SearchHit(Weather, 2, "") { Relevance = 0.30 }, new SearchHit(Downscaling, 1.8f, "") { Relevance = 0.26 } };
        var question = "pretrained atmosphere model that can sharpen coarse maps onto finer grids and estimate drag from waves";

        var withEvidence = await Gate(new SentenceEvidence(_generator)).RelevantAsync(question, hits, Stats(Weather, Downscaling));
        var noModel = await Gate(new SentenceEvidence(new ServiceCollection().BuildServiceProvider(), Options.Create(new EmbeddingsOptions { Provider = "none" })))
            .RelevantAsync(question, hits, Stats(Weather, Downscaling));

        Assert.Equal(["w2", "w1"], withEvidence.Select(h => h.Paper.Id));
        Assert.Equal(["w1", "w2"], noModel.Select(h => h.Paper.Id)); // without sentence evidence, retrieval's order
    }

    [Fact]
    public async Task A_paper_far_behind_in_relevance_is_not_moved_first_by_its_sentences()
    {
        var hits = new[] { new SearchHit(Weather, 2, "") { Relevance = 0.50 }, new SearchHit(Downscaling, 0.9f, "") { Relevance = 0.22 } };
        var question = "pretrained atmosphere model that can sharpen coarse maps onto finer grids and estimate drag from waves";

        var relevant = await Gate(new SentenceEvidence(_generator)).RelevantAsync(question, hits, Stats(Weather, Downscaling), several: true);

        Assert.Equal(["w1", "w2"], relevant.Select(h => h.Paper.Id));
    }
}
