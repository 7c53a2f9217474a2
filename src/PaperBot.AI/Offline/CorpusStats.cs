using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// Document frequencies of the offline answerer's terms over the stored papers (title + abstract), so that a
/// question's rare words weigh more than its common ones ("best", "model", "large") and words the database has never
/// seen can be told apart. Built lazily from the store, from at most <see cref="SampleCap"/> papers (an estimate is
/// enough for weights), and rebuilt when the number of papers has moved by more than 2 % (any change below 1,000).
/// </summary>
public sealed class CorpusStats(IPaperStore store)
{
    public const int SampleCap = 20_000;

    private readonly object _gate = new();
    private volatile Snapshot? _snapshot;

    public Snapshot Current
    {
        get
        {
            var s = _snapshot;
            var revision = store.CurrentRevision;
            if (s is not null && (s.Revision == revision || !Moved(s)))
            {
                return s;
            }

            lock (_gate)
            {
                s = _snapshot;
                if (s is null || (s.Revision != revision && Moved(s)))
                {
                    s = Build(revision);
                    _snapshot = s;
                }

                return s;
            }
        }
    }

    private bool Moved(Snapshot s)
    {
        var count = store.Count();
        return s.Papers < 1000 ? count != s.Papers : Math.Abs(count - s.Papers) > s.Papers * 0.02;
    }

    private Snapshot Build(long revision)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        var docs = 0;
        foreach (var p in store.All().Take(SampleCap))
        {
            docs++;
            foreach (var t in TextAnalysis.Terms(p.Title + " " + p.Abstract).Distinct())
            {
                df[t] = df.GetValueOrDefault(t) + 1;
            }
        }

        return new Snapshot(df, docs, store.Count(), revision);
    }

    public sealed class Snapshot(Dictionary<string, int> df, int docs, int papers, long revision)
    {
        public long Revision => revision;

        public int Papers => papers;

        public int Documents => docs;

        public int DocumentFrequency(string term) => df.GetValueOrDefault(term);

        public bool Known(string term) => df.ContainsKey(term);

        /// <summary>BM25's idf; a term no paper contains gets the weight of a term in half a paper (the rarest).</summary>
        public double Idf(string term)
        {
            var n = Math.Max(1, docs);
            var f = df.TryGetValue(term, out var d) ? d : 0.5;
            return Math.Log(1 + (n - f + 0.5) / (f + 0.5));
        }
    }
}
