using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Offline;

/// <summary>
/// Decides which retrieved papers are relevant enough to cite. With a calibrated relevance from retrieval
/// (<see cref="SearchHit.Relevance"/>, 0..1) a paper needs <see cref="AnswersOptions.MinRelevance"/>. Without one
/// (lexical retrieval only) the lexical relevance (<see cref="ExtractiveEngine.LexicalRelevance"/>) of the best paper
/// must be high (<see cref="AnswersOptions.MinLexicalRelevance"/>), or fair and clearly ahead of the next hits:
/// BM25 always returns something, and a flat list of weak matches ("best", "model", "recipe") means nothing answers.
/// Papers after the best one must be nearly as relevant as it.
/// </summary>
public sealed class RelevanceGate(IOptions<AnswersOptions> options)
{
    /// <summary>A fair lexical match must be this many times the next hits' best.</summary>
    public const double LexicalMargin = 1.5;

    /// <summary>Hits after the first that the margin compares against.</summary>
    public const int MarginWindow = 4;

    public IReadOnlyList<(Paper Paper, double Relevance)> Relevant(string question, IReadOnlyList<SearchHit> hits, CorpusStats.Snapshot stats, bool several = false)
    {
        var o = options.Value;
        if (hits.Count == 0)
        {
            return [];
        }

        if (hits[0].Relevance is not null)
        {
            var calibrated = hits.Select(h => (h.Paper, Relevance: h.Relevance ?? 0)).OrderByDescending(h => h.Relevance).ToList();
            var top = calibrated[0].Relevance;
            return top < o.MinRelevance
                ? []
                : calibrated.Where(h => h.Relevance >= o.MinRelevance && h.Relevance >= top - (several ? 0.25 : 0.15)).Take(o.MaxPapers).ToList();
        }

        var lexical = hits.Select(h => (h.Paper, Relevance: ExtractiveEngine.LexicalRelevance(question, h.Paper, stats))).ToList();
        var best = lexical.Select((h, i) => (h, i)).MaxBy(x => x.h.Relevance);
        var next = lexical.Where((_, i) => i != best.i).Take(MarginWindow).Select(h => h.Relevance).DefaultIfEmpty(0).Max();
        var strong = best.h.Relevance >= o.MinLexicalRelevance;
        var clear = best.h.Relevance >= o.MinLexicalFairRelevance && best.h.Relevance >= LexicalMargin * next;
        if (!strong && !clear)
        {
            return [];
        }

        var floor = several ? 0.5 * best.h.Relevance : 0.6 * best.h.Relevance;
        return new[] { best.h }.Concat(lexical.Where((h, i) => i != best.i && h.Relevance >= Math.Max(floor, o.MinLexicalFairRelevance)))
            .Take(o.MaxPapers).ToList();
    }
}
