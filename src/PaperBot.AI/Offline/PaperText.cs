using System.Collections.Concurrent;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// A paper's abstract split into sentences with their term sets, and the term set of the whole paper, computed once
/// per paper revision: every answer ranks the sentences of several papers, often the same ones. Bounded: the cache
/// is dropped whole when it reaches <see cref="Capacity"/> papers.
/// </summary>
public sealed class AnalysedPaper
{
    public const int Capacity = 20_000;

    private static readonly ConcurrentDictionary<(string Id, long Revision, int Length), AnalysedPaper> Cache = new();

    private AnalysedPaper(Paper p)
    {
        Sentences = TextAnalysis.Sentences(p.Abstract);
        SentenceTerms = Sentences.Select(s => TextAnalysis.Terms(s).ToHashSet()).ToList();
        Terms = TextAnalysis.Terms(p.Title + " " + p.Abstract + " " + string.Join(' ', p.Keywords)).ToHashSet();
    }

    public IReadOnlyList<string> Sentences { get; }

    public IReadOnlyList<HashSet<string>> SentenceTerms { get; }

    /// <summary>Terms of the title, abstract and keywords.</summary>
    public HashSet<string> Terms { get; }

    public static AnalysedPaper Of(Paper p)
    {
        var key = (p.Id, p.Revision, p.Abstract.Length + p.Title.Length);
        if (Cache.TryGetValue(key, out var a))
        {
            return a;
        }

        if (Cache.Count >= Capacity)
        {
            Cache.Clear();
        }

        a = new AnalysedPaper(p);
        Cache[key] = a;
        return a;
    }
}
