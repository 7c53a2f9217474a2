using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Offline;

/// <summary>
/// Decides which retrieved papers are relevant enough to cite. With a calibrated relevance from retrieval
/// (<see cref="SearchHit.Relevance"/>, 0..1) a paper passes with <see cref="AnswersOptions.MinRelevance"/>; or, as the
/// best hit, when it is far ahead of the next ones (<see cref="AnswersOptions.RelevanceMargin"/>: off-topic questions
/// get a flat list of near-zero values, a paper that answers stands out even when its absolute value is low, as for
/// long chatty questions); or when it also passes the lexical gate with <see cref="AnswersOptions.MinSupportedRelevance"/>.
/// Without one
/// (lexical retrieval only) the lexical relevance (<see cref="ExtractiveEngine.LexicalRelevance"/>) of the best paper
/// must be high (<see cref="AnswersOptions.MinLexicalRelevance"/>), or fair and clearly ahead of the next hits:
/// BM25 always returns something, and a flat list of weak matches ("best", "model", "recipe") means nothing answers.
/// Papers after the best one must be nearly as relevant as it.
/// </summary>
public sealed class RelevanceGate(IOptions<AnswersOptions> options, SentenceEvidence evidence)
{
    /// <summary>A fair lexical match must be this many times the next hits' best.</summary>
    public const double LexicalMargin = 1.5;

    /// <summary>Hits whose sentences are compared with the question (the cost is one model run per uncached paper).</summary>
    public const int EvidenceWindow = 3;

    /// <summary>Cited papers with at least this share of the best one's relevance are ordered by sentence evidence.</summary>
    public const double CloseRelevanceShare = 0.5;

    /// <summary>Hits after the first that the margin compares against.</summary>
    public const int MarginWindow = 4;

    /// <summary>Ids of the hits the lexical gate alone would pass: the best one if strong or clear, and those near it.</summary>
    private static HashSet<string> LexicalPasses(List<(Paper Paper, double Relevance)> lexical, AnswersOptions o, bool strongOnly = false)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (lexical.Count == 0)
        {
            return ids;
        }

        var best = lexical.Select((h, i) => (h, i)).MaxBy(x => x.h.Relevance);
        var next = lexical.Where((_, i) => i != best.i).Take(MarginWindow).Select(h => h.Relevance).DefaultIfEmpty(0).Max();
        if (best.h.Relevance >= o.MinLexicalRelevance || (!strongOnly && best.h.Relevance >= o.MinLexicalFairRelevance && best.h.Relevance >= LexicalMargin * next))
        {
            foreach (var h in lexical.Where(h => h.Relevance >= Math.Max(0.6 * best.h.Relevance, strongOnly ? o.MinLexicalRelevance : o.MinLexicalFairRelevance)))
            {
                ids.Add(h.Paper.Id);
            }
        }

        return ids;
    }

    public async Task<IReadOnlyList<(Paper Paper, double Relevance)>> RelevantAsync(string question, IReadOnlyList<SearchHit> hits, CorpusStats.Snapshot stats, bool several = false, CancellationToken ct = default)
    {
        var o = options.Value;
        if (hits.Count == 0)
        {
            return [];
        }

        var lexical = hits.Select(h => (h.Paper, Relevance: ExtractiveEngine.LexicalRelevance(question, h.Paper, stats))).ToList();
        if (hits[0].Relevance is not null)
        {
            // Calibrated: enough on its own, or enough with the question's own words in the paper (the lexical gate).
            var lexicalPass = LexicalPasses(lexical, o, strongOnly: true);
            var calibrated = hits.Select((h, i) => (h.Paper, Relevance: h.Relevance ?? 0, Words: lexical[i].Relevance)).ToList();
            var top = calibrated.MaxBy(h => h.Relevance);
            var nextBest = calibrated.Where(h => h.Paper.Id != top.Paper.Id).Take(MarginWindow).Select(h => h.Relevance).DefaultIfEmpty(0).Max();
            var clearlyAhead = top.Relevance >= o.MinMarginRelevance && top.Relevance >= o.RelevanceMargin * nextBest;
            bool Passes((Paper Paper, double Relevance, double Words) h) =>
                h.Relevance >= o.MinRelevance ||
                (clearlyAhead && h.Paper.Id == top.Paper.Id) ||
                (h.Relevance >= o.MinSupportedRelevance && lexicalPass.Contains(h.Paper.Id));
            // With the local model: a hit also passes (and the stand-out margin, which lets weak lists through, is
            // not used) when its best sentence means what the question asks (AnswerEvidenceModel).
            // Only when no hit passes on relevance or words alone: embedding sentences is the costly part of an answer.
            var answers = calibrated.Any(h => h.Relevance >= o.MinRelevance || (h.Relevance >= o.MinSupportedRelevance && lexicalPass.Contains(h.Paper.Id)))
                ? null
                : await AnswerProbabilitiesAsync(question, hits, ct).ConfigureAwait(false);
            if (answers is not null)
            {
                clearlyAhead = false;
            }

            // The first cited paper must pass on its own; once one does (the question is about the corpus), the papers
            // after it may also pass on their relevance and best sentence alone (AnswerEvidenceModel.FirstHitProbability).
            bool PassesWithEvidence((Paper Paper, double Relevance, double Words) h, bool companion) =>
                Passes(h) || (answers is not null && answers.TryGetValue(h.Paper.Id, out var p) && (companion ? p.Companion : p.Alone) >= o.MinAnswerProbability);
            var first = calibrated.FirstOrDefault(h => PassesWithEvidence(h, companion: false));
            if (first.Paper is null)
            {
                return [];
            }

            var passing = new[] { (first.Paper, first.Relevance) }
                .Concat(calibrated.Where(h => h.Paper.Id != first.Paper.Id && PassesWithEvidence(h, companion: true) && h.Relevance >= (several ? 0.4 : 0.6) * first.Relevance).Select(h => (h.Paper, h.Relevance)))
                .Take(o.MaxPapers).ToList();
            return await BySentenceEvidenceAsync(question, passing, ct).ConfigureAwait(false);
        }

        var best = lexical.Select((h, i) => (h, i)).MaxBy(x => x.h.Relevance);
        var next = lexical.Where((_, i) => i != best.i).Take(MarginWindow).Select(h => h.Relevance).DefaultIfEmpty(0).Max();
        var strong = best.h.Relevance >= o.MinLexicalRelevance;
        var clear = best.h.Relevance >= o.MinLexicalFairRelevance && best.h.Relevance >= LexicalMargin * next;
        if (!strong && !clear)
        {
            return [];
        }

        // In retrieval order (its ranking saw more than these words), those nearly as relevant as the best.
        var floor = Math.Max(several ? 0.5 * best.h.Relevance : 0.6 * best.h.Relevance, o.MinLexicalFairRelevance);
        return lexical.Where(h => h.Relevance >= floor).Take(o.MaxPapers).ToList();
    }

    /// <summary>
    /// Papers whose retrieval relevance is close (at least <see cref="CloseRelevanceShare"/> of the best one's) are
    /// ordered by their closest abstract sentence to the question: when a paper-level score cannot tell them apart, the
    /// paper with a sentence that means what the question asks answers it. The others keep their order, after them.
    /// Without sentence evidence (no local model) the order is unchanged.
    /// </summary>
    private async Task<IReadOnlyList<(Paper Paper, double Relevance)>> BySentenceEvidenceAsync(string question, List<(Paper Paper, double Relevance)> passing, CancellationToken ct)
    {
        if (passing.Count < 2 || !evidence.IsAvailable)
        {
            return passing;
        }

        var best = passing.Max(p => p.Relevance);
        var close = passing.Where(p => p.Relevance >= CloseRelevanceShare * best).ToList();
        if (close.Count < 2 || await evidence.QuestionVectorAsync(question, ct).ConfigureAwait(false) is not { } vector)
        {
            return passing;
        }

        var cosine = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in close)
        {
            cosine[p.Paper.Id] = await evidence.BestAsync(vector, p.Paper, ct).ConfigureAwait(false);
        }

        // A stable sort: equal evidence keeps retrieval's order.
        return close.Select((p, i) => (p, i)).OrderByDescending(x => cosine[x.p.Paper.Id]).ThenBy(x => x.i).Select(x => x.p)
            .Concat(passing.Where(p => !cosine.ContainsKey(p.Paper.Id))).ToList();
    }

    /// <summary>
    /// <see cref="AnswerEvidenceModel"/>'s probabilities for each of the first <see cref="EvidenceWindow"/> hits, or null
    /// without sentence evidence (no local model, or no calibrated relevance): <c>Alone</c>, what the first cited paper
    /// needs (the profile model: best sentence, the median of all hits' best sentences, the relevance margin; for the
    /// first hit also the relevance-and-sentence model), and <c>Companion</c>, what a paper cited after it needs (either
    /// model). A 2nd or 3rd hit with one close sentence no longer makes an off-topic question cite it.
    /// </summary>
    private async Task<Dictionary<string, (double Alone, double Companion)>?> AnswerProbabilitiesAsync(string question, IReadOnlyList<SearchHit> hits, CancellationToken ct)
    {
        if (!evidence.IsAvailable || await evidence.QuestionVectorAsync(question, ct).ConfigureAwait(false) is not { } vector)
        {
            return null;
        }

        // Every hit's best sentence (the median is the question's background), then each of the first hits' chance.
        var best = new double[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            best[i] = await evidence.BestAsync(vector, hits[i].Paper, ct).ConfigureAwait(false);
        }

        var median = AnswerEvidenceModel.Median(best);
        var result = new Dictionary<string, (double Alone, double Companion)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Math.Min(EvidenceWindow, hits.Count); i++)
        {
            var nextBest = hits.Where((_, j) => j != i).Take(MarginWindow).Select(h => h.Relevance ?? 0).DefaultIfEmpty(0).Max();
            var margin = AnswerEvidenceModel.LogRelevanceMargin(hits[i].Relevance ?? 0, nextBest);
            var profile = AnswerEvidenceModel.Probability(best[i], median, margin);
            var pair = Math.Max(profile, AnswerEvidenceModel.FirstHitProbability(hits[i].Relevance ?? 0, best[i]));
            result[hits[i].Paper.Id] = (i == 0 ? pair : profile, pair);
        }

        return result;
    }
}
