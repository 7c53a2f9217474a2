using System.ComponentModel.DataAnnotations;

namespace PaperBot.AI.Configuration;

/// <summary>The offline answerer's relevance gate and size ("Answers" section).</summary>
public sealed class AnswersOptions
{
    public const string SectionName = "Answers";

    /// <summary>Least calibrated relevance (<c>SearchHit.Relevance</c>, 0..1, from hybrid retrieval) a cited paper needs.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Answers:MinRelevance must be between 0 and 1")]
    public double MinRelevance { get; set; } = 0.15;

    /// <summary>The best hit also passes when its calibrated relevance is this many times the next hits' best…</summary>
    [Range(1.0, 100.0, ErrorMessage = "Answers:RelevanceMargin must be between 1 and 100")]
    public double RelevanceMargin { get; set; } = 2.2;

    /// <summary>…and at least this.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Answers:MinMarginRelevance must be between 0 and 1")]
    public double MinMarginRelevance { get; set; } = 0.005;

    /// <summary>Least calibrated relevance of a paper that also passes the lexical gate (the question's rare words are in it).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Answers:MinSupportedRelevance must be between 0 and 1")]
    public double MinSupportedRelevance { get; set; } = 0.01;

    /// <summary>
    /// Lexical relevance (idf-weighted share of the question's words in the paper) that passes on its own when
    /// retrieval gives no calibrated relevance.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Answers:MinLexicalRelevance must be between 0 and 1")]
    public double MinLexicalRelevance { get; set; } = 0.5;

    /// <summary>Lexical relevance that passes when the paper is also clearly ahead of the next hits.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Answers:MinLexicalFairRelevance must be between 0 and 1")]
    public double MinLexicalFairRelevance { get; set; } = 0.25;

    /// <summary>
    /// With the local embedding model: a hit also passes when the answer-evidence model (retrieval's relevance and the
    /// question's cosine with the paper's closest abstract sentence) gives it at least this probability.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Answers:MinAnswerProbability must be between 0 and 1")]
    public double MinAnswerProbability { get; set; } = 0.7;

    /// <summary>Papers in one offline answer.</summary>
    [Range(1, 10, ErrorMessage = "Answers:MaxPapers must be between 1 and 10")]
    public int MaxPapers { get; set; } = 3;
}
