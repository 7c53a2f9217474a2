using PaperBot.AI.Embeddings.Local;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Tests;

/// <summary>Sentence-level evidence for the relevance gate: the question against each abstract sentence (local MiniLM).</summary>
public sealed class SentenceEvidenceTests : IClassFixture<LocalEmbeddingTests.Model>
{
    private readonly LocalEmbeddingGenerator _generator;

    public SentenceEvidenceTests(LocalEmbeddingTests.Model model) => _generator = model.Generator;

    private static Paper Paper(string id, string title, string @abstract) => new() { Id = id, Title = title, Abstract = @abstract };

    [Fact]
    public async Task The_sentence_that_means_what_the_question_asks_scores_highest_whatever_its_words()
    {
        var evidence = new SentenceEvidence(_generator);
        var p = Paper("p1", "Depth from stereo", "The field has many open problems. We propose a self-supervised network that predicts disparity from rectified stereo image pairs without ground-truth depth. Code is released under an open licence.");
        var q = await evidence.QuestionVectorAsync("working out how far away things are from two side-by-side cameras, trained without measured distances", default);

        var sims = await evidence.SimilaritiesAsync(q!, p);

        Assert.Equal(3, sims.Count);
        Assert.Equal(1, Enumerable.Range(0, sims.Count).MaxBy(i => sims[i]));
        Assert.Equal(sims.Max(), await evidence.BestAsync(q!, p), 6);
    }

    [Fact]
    public async Task An_off_topic_question_is_far_from_every_sentence_and_an_answered_one_is_close()
    {
        var evidence = new SentenceEvidence(_generator);
        var p = Paper("p2", "Block Transformer", "This paper presents the Block Transformer architecture which adopts hierarchical global-to-local modeling to autoregressive transformers to mitigate the inference bottlenecks of self-attention. The Block Transformer demonstrates 10-20x gains in inference throughput compared to vanilla transformers with equivalent perplexity.");
        var onTopic = await evidence.BestAsync((await evidence.QuestionVectorAsync("how much faster is inference with global-to-local block transformers?", default))!, p);
        var offTopic = await evidence.BestAsync((await evidence.QuestionVectorAsync("when should I repot an orchid after it has finished blooming?", default))!, p);

        Assert.True(onTopic > 0.55, $"on topic {onTopic}");
        Assert.True(offTopic < 0.2, $"off topic {offTopic}");
        Assert.True(AnswerEvidenceModel.FirstHitProbability(0.05, onTopic) > AnswerEvidenceModel.FirstHitProbability(0.05, offTopic));
        Assert.True(AnswerEvidenceModel.Probability(onTopic, 0.3, 0) > AnswerEvidenceModel.Probability(offTopic, 0.3, 0));
    }

    [Fact]
    public async Task A_question_without_content_words_has_no_vector()
    {
        var evidence = new SentenceEvidence(_generator);
        Assert.True(evidence.IsAvailable);
        Assert.Null(await evidence.QuestionVectorAsync("?!", default));
    }

    [Theory]
    [InlineData(0.02, 0.30, 0.02, 0.60)]
    [InlineData(0.01, 0.50, 0.20, 0.50)]
    public void The_first_hit_probability_grows_with_relevance_and_with_sentence_similarity(double r1, double s1, double r2, double s2)
    {
        Assert.True(AnswerEvidenceModel.FirstHitProbability(r1, s1) < AnswerEvidenceModel.FirstHitProbability(r2, s2));
        Assert.InRange(AnswerEvidenceModel.FirstHitProbability(0, 0), 0.0, 1.0);
        Assert.InRange(AnswerEvidenceModel.FirstHitProbability(1, 1), 0.0, 1.0);
    }

    [Theory]
    [InlineData(0.40, 0.30, 0.5, 0.50, 0.30, 0.5)] // a closer best sentence
    [InlineData(0.45, 0.15, 0.5, 0.45, 0.40, 0.5)] // the question meets the corpus's field (a higher background)
    [InlineData(0.45, 0.35, -0.2, 0.45, 0.35, 0.8)] // the paper stands further out of retrieval's list
    public void The_profile_probability_grows_with_each_of_its_features(double b1, double m1, double g1, double b2, double m2, double g2)
    {
        Assert.True(AnswerEvidenceModel.Probability(b1, m1, g1) < AnswerEvidenceModel.Probability(b2, m2, g2));
        Assert.InRange(AnswerEvidenceModel.Probability(0, 0, -10), 0.0, 1.0);
        Assert.InRange(AnswerEvidenceModel.Probability(1, 1, 10), 0.0, 1.0);
    }

    [Fact]
    public void The_profile_features_are_the_median_of_the_hits_and_the_log_relevance_ratio()
    {
        Assert.Equal(0.3, AnswerEvidenceModel.Median([0.5, 0.1, 0.3]), 9);
        Assert.Equal(0.25, AnswerEvidenceModel.Median([0.4, 0.1, 0.3, 0.2]), 9);
        Assert.Equal(0, AnswerEvidenceModel.Median([]));
        Assert.Equal(Math.Log(2), AnswerEvidenceModel.LogRelevanceMargin(0.04, 0.02), 9);
        Assert.True(AnswerEvidenceModel.LogRelevanceMargin(0.01, 0.03) < 0); // behind the best of the others
        Assert.Equal(0, AnswerEvidenceModel.LogRelevanceMargin(0, 0), 9); // both floored
    }
}
