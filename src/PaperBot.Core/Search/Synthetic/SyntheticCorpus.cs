using System.Text;
using PaperBot.Core.Papers;

namespace PaperBot.Core.Search.Synthetic;

/// <summary>
/// A deterministic (seeded) generator of paper-like records for benchmarks: a Zipfian vocabulary (English function
/// words at the top ranks, then ~60k generated word forms), 150–250-word abstracts in 12–28-word sentences, 6–12-word
/// titles, 1–8 authors from a pool of names, an organisation for most papers, dates over 2020–2026 and heavy-tailed
/// upvotes. Papers are streamed: nothing is held beyond the current record.
/// </summary>
public sealed class SyntheticCorpus
{
    private static readonly string[] FunctionWords =
    [
        "the", "of", "and", "to", "a", "in", "we", "is", "for", "that", "with", "on", "by", "this", "as", "are", "our",
        "from", "be", "an", "which", "can", "it", "at", "these", "model", "results", "data", "method", "show",
        "learning", "propose", "performance", "not", "using", "based", "than", "also", "such", "two", "new", "both",
        "into", "more", "have", "has", "while", "each", "across", "approach",
    ];

    private static readonly string[] Syllables =
    [
        "ra", "ten", "sor", "al", "gen", "dif", "fu", "sion", "la", "tent", "net", "work", "trans", "form", "er", "vi",
        "de", "o", "mo", "del", "ing", "at", "ten", "tion", "re", "in", "force", "ment", "gra", "dient", "op", "ti",
        "mi", "za", "ro", "bot", "ic", "lan", "guage", "to", "ken", "em", "bed", "spar", "se", "den", "qua", "ti",
        "con", "trast", "ive", "pre", "train", "ed", "scal", "ab", "le", "ver", "i", "fi", "ca", "struc", "ture",
    ];

    private const int GeneratedWords = 60_000;
    private const int TableBits = 22;

    private readonly string[] _vocabulary;
    private readonly int[] _zipfTable;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _organizations;
    private readonly ulong _seed;

    public SyntheticCorpus(ulong seed = 42, double zipfExponent = 1.07)
    {
        _seed = seed;
        var rng = new SplitMix64(seed);
        var words = new List<string>(FunctionWords.Length + GeneratedWords);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in FunctionWords)
        {
            if (seen.Add(w))
            {
                words.Add(w);
            }
        }

        var sb = new StringBuilder();
        while (words.Count < FunctionWords.Length + GeneratedWords)
        {
            sb.Clear();
            var syllables = 1 + rng.Next(4) + (rng.Next(3) == 0 ? 1 : 0);
            for (var i = 0; i < syllables; i++)
            {
                sb.Append(Syllables[rng.Next(Syllables.Length)]);
            }

            var w = sb.ToString();
            if (w.Length >= 3 && seen.Add(w))
            {
                words.Add(w);
            }
        }

        _vocabulary = [.. words];
        _zipfTable = BuildZipfTable(_vocabulary.Length, zipfExponent);

        _firstNames = Enumerable.Range(0, 400).Select(_ => Name(rng, 2, 3)).ToArray();
        _lastNames = Enumerable.Range(0, 2000).Select(_ => Name(rng, 2, 4)).ToArray();
        _organizations = Enumerable.Range(0, 300).Select(i => (i % 3) switch
        {
            0 => $"University of {Name(rng, 2, 3)}",
            1 => $"{Name(rng, 2, 3)} Labs",
            _ => $"{Name(rng, 2, 3)} Institute of Technology",
        }).ToArray();
    }

    public IReadOnlyList<string> Vocabulary => _vocabulary;

    public IReadOnlyList<string> Organizations => _organizations;

    public static readonly DateOnly FirstDate = new(2020, 1, 1);

    public static readonly DateOnly LastDate = new(2026, 6, 30);

    /// <summary>The id of paper <paramref name="index"/> (without generating it).</summary>
    public static string IdOf(int index) => $"syn.{index:D7}";

    /// <summary>The <paramref name="index"/>-th paper: the same index always gives the same paper for a seed.</summary>
    public Paper Paper(int index)
    {
        // The stream's start is a hash of (seed, index): consecutive indexes must not get overlapping streams.
        var rng = new SplitMix64(SplitMix64.Mix(SplitMix64.Mix(_seed) ^ (ulong)index));
        var title = Sentence(rng, 6 + rng.Next(7), contentOnly: true, period: false);
        var targetWords = 150 + rng.Next(101);
        var abs = new StringBuilder(targetWords * 8);
        var written = 0;
        while (written < targetWords)
        {
            var n = Math.Min(12 + rng.Next(17), targetWords - written);
            if (abs.Length > 0)
            {
                abs.Append(' ');
            }

            abs.Append(Sentence(rng, Math.Max(n, 3), contentOnly: false, period: true));
            written += Math.Max(n, 3);
        }

        var authors = new List<string>(8);
        var authorCount = 1 + rng.Next(8);
        for (var i = 0; i < authorCount; i++)
        {
            authors.Add($"{_firstNames[rng.Next(_firstNames.Length)]} {_lastNames[rng.Next(_lastNames.Length)]}");
        }

        var days = LastDate.DayNumber - FirstDate.DayNumber + 1;
        var published = DateOnly.FromDayNumber(FirstDate.DayNumber + rng.Next(days));
        var upvotes = (int)Math.Floor(Math.Exp(rng.NextDouble() * 6.5)) - 1;
        var id = IdOf(index);
        return new Paper
        {
            Id = id,
            Title = title,
            Abstract = abs.ToString(),
            Authors = authors,
            AuthorCount = authorCount,
            Organization = rng.Next(10) < 6 ? _organizations[rng.Next(_organizations.Length)] : null,
            Published = published,
            FeaturedOn = rng.Next(2) == 0 ? published.AddDays(rng.Next(4)) : null,
            Upvotes = upvotes,
            Sources = ["synthetic"],
        };
    }

    /// <summary>Papers [start, start + count), streamed.</summary>
    public IEnumerable<Paper> Papers(int count, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return Paper(i);
        }
    }

    /// <summary>
    /// <paramref name="count"/> varied queries for a corpus of <paramref name="corpusSize"/>: 1–4 content words (Zipf
    /// ranks 50–20,000), words from a real title, and a third with filters (date range, minimum upvotes, author or
    /// organisation) or another sort.
    /// </summary>
    public IReadOnlyList<SearchQuery> Queries(int count, int corpusSize, ulong seed = 7)
    {
        var rng = new SplitMix64(seed);
        var list = new List<SearchQuery>(count);
        for (var i = 0; i < count; i++)
        {
            string text;
            var kind = rng.Next(3);
            if (kind == 0)
            {
                var title = Paper(rng.Next(corpusSize)).Title.Split(' ');
                var take = Math.Min(title.Length, 2 + rng.Next(3));
                var from = rng.Next(title.Length - take + 1);
                text = string.Join(' ', title.Skip(from).Take(take));
            }
            else
            {
                var n = 1 + rng.Next(4);
                text = string.Join(' ', Enumerable.Range(0, n).Select(_ => _vocabulary[FunctionWords.Length + rng.Next(20_000 - FunctionWords.Length)]));
            }

            var q = new SearchQuery(text) { Top = 10 };
            switch (rng.Next(9))
            {
                case 0:
                    var start = FirstDate.AddDays(rng.Next(2000));
                    q = q with { From = start, To = start.AddDays(30 + rng.Next(300)) };
                    break;
                case 1:
                    q = q with { MinUpvotes = 10 + rng.Next(200) };
                    break;
                case 2:
                    var p = Paper(rng.Next(corpusSize));
                    q = q with { AuthorOrOrganization = rng.Next(2) == 0 || p.Organization is null ? p.Authors[0] : p.Organization };
                    break;
                case 3:
                    q = q with { Sort = rng.Next(2) == 0 ? SearchSort.Date : SearchSort.Upvotes };
                    break;
            }

            list.Add(q);
        }

        return list;
    }

    private string Sentence(SplitMix64 rng, int words, bool contentOnly, bool period)
    {
        var sb = new StringBuilder(words * 8);
        for (var i = 0; i < words; i++)
        {
            var rank = _zipfTable[(int)(rng.NextULong() >> (64 - TableBits))];
            if (contentOnly && rank < FunctionWords.Length)
            {
                rank = FunctionWords.Length + (rank * 97 % 2000);
            }

            var w = _vocabulary[rank];
            if (i > 0)
            {
                sb.Append(' ');
                sb.Append(w);
            }
            else
            {
                sb.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1);
            }
        }

        if (period)
        {
            sb.Append('.');
        }

        return sb.ToString();
    }

    /// <summary>A lookup table mapping a uniform 22-bit number to a Zipf(s) rank, so sampling is O(1).</summary>
    private static int[] BuildZipfTable(int n, double s)
    {
        var weights = new double[n];
        double total = 0;
        for (var r = 0; r < n; r++)
        {
            weights[r] = 1.0 / Math.Pow(r + 1, s);
            total += weights[r];
        }

        var size = 1 << TableBits;
        var table = new int[size];
        double cumulative = 0;
        var rank = 0;
        for (var i = 0; i < size; i++)
        {
            var u = (i + 0.5) / size * total;
            while (rank < n - 1 && cumulative + weights[rank] < u)
            {
                cumulative += weights[rank];
                rank++;
            }

            table[i] = rank;
        }

        return table;
    }

    private static string Name(SplitMix64 rng, int minSyllables, int maxSyllables)
    {
        var n = minSyllables + rng.Next(maxSyllables - minSyllables + 1);
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            sb.Append(Syllables[rng.Next(Syllables.Length)]);
        }

        sb[0] = char.ToUpperInvariant(sb[0]);
        return sb.ToString();
    }

    /// <summary>SplitMix64: tiny, fast and stable across .NET versions (unlike System.Random's algorithm choice).</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextULong() => Mix(_state += 0x9E3779B97F4A7C15UL);

        public static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);

        public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
    }
}
