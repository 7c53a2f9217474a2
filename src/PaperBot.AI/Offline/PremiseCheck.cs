using System.Globalization;
using System.Text.RegularExpressions;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Offline;

/// <summary>
/// Checks what a question takes for granted against the database, without an LLM:
/// <list type="bullet">
/// <item>a named model, report or paper ("the GPT-7 technical report", "the Llama 5 paper") that no stored paper
/// mentions;</item>
/// <item>a number the question states ("only about 10% of heads") where the abstract's matching sentence states
/// another;</item>
/// <item>a requirement the abstract denies ("why do they still have to be retrained" vs "without additional
/// training");</item>
/// <item>a superlative claim about one thing where the abstract makes it about another ("encoder-decoder models were
/// the strongest" vs "causal decoder-only models … exhibit the strongest …").</item>
/// </list>
/// </summary>
public static partial class PremiseCheck
{
    // "GPT-7", "Llama 5", "AlphaFold 4", "Gemini 2.5": a capitalised name with a version number.
    [GeneratedRegex(@"\b(?<name>[A-Z][A-Za-z]*(?:-[A-Za-z]+)*)[\s-]?(?<v>\d{1,3}(?:\.\d)?)(?![\w.]*\d)(?![A-Za-z])")]
    private static partial Regex VersionedName();

    // "the FooNet paper", "the Foo technical report", "in the Foo paper".
    [GeneratedRegex(@"\bthe\s+(?<name>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)\s+(?:paper|technical\s+report|report|model\s+card|preprint)\b")]
    private static partial Regex NamedPaper();

    [GeneratedRegex(@"\b(how\s+(much|many|fast|small|large)|what\s+(fraction|share|percentage|proportion))\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksForNumber();

    [GeneratedRegex(@"\b(still\s+(need|require|use|rel(y|ies)\s+on)\w*|(still\s+)?(ha(ve|s)\s+to|need(s)?\s+(to|an?)|must|require[sd]?|depend(s)?\s+on))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Requirement();

    [GeneratedRegex(@"\b(without|no\s+need|not\s+(require|need)|does\s+not\s+(require|need)|eliminat\w+|free\s+of|no\s+additional|avoid\w*|-free)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Denial();

    [GeneratedRegex(@"\b(strongest|best|most\s+\w+|highest|lowest|largest|outperform\w*|better\s+than|superior)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Superlative();

    [GeneratedRegex(@"\b(found|find|showed|shows?|reported|claims?|concluded)\s+that\b|\bwhy\s+(would|do|does|did|is|are|was|were)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Presupposes();

    /// <summary>Names the question presupposes: versioned names and "the X paper/report".</summary>
    public static IReadOnlyList<(string Name, string Pattern, string Base)> NamedThings(string question)
    {
        var list = new List<(string, string, string)>();
        foreach (Match m in VersionedName().Matches(question))
        {
            var name = m.Groups["name"].Value;
            var v = m.Groups["v"].Value;
            list.Add((m.Value, $@"\b{Regex.Escape(name)}[\s\-]?{Regex.Escape(v)}(?![\d.]*\d)", name));
        }

        foreach (Match m in NamedPaper().Matches(question))
        {
            var name = m.Groups["name"].Value;
            if (!list.Any(l => name.Contains(l.Item3, StringComparison.OrdinalIgnoreCase)))
            {
                list.Add((name, $@"\b{Regex.Escape(name)}\b", name));
            }
        }

        return list;
    }

    /// <summary>True when no paper among <paramref name="candidates"/> mentions the name (pattern, case-insensitive).</summary>
    public static bool Mentioned(string pattern, IEnumerable<Paper> candidates) =>
        candidates.Any(p => Regex.IsMatch(p.Title + " " + p.Abstract, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));

    /// <summary>
    /// The abstract sentence of <paramref name="paper"/> that contradicts the question, with why, or null. Only
    /// questions that state a claim are checked.
    /// </summary>
    public static (string Sentence, string Why)? Contradiction(string question, Paper paper, CorpusStats.Snapshot stats)
    {
        var ranked = ExtractiveEngine.Rank(question, paper, stats, NeedKind.Any);
        if (ranked.Count == 0)
        {
            return null;
        }

        // A number the question states ("only about 10% of heads", "3 public datasets"), against the numbers that the
        // best matching sentence with a number of the same kind states ("at least 90%", "28 publicly-available datasets").
        // A clause that asks for a number ("how much faster than 2x?") states nothing; the question's other clauses
        // still can ("it speeds inference up 12 times; how much accuracy does that cost?").
        {
            foreach (var claim in StatedClauses(question).SelectMany(Claims))
            {
                foreach (var s in ranked.Where(s => s.Coverage >= 0.2).Take(4))
                {
                    var stated = Claims(s.Sentence).Where(c => c.Unit.Overlaps(claim.Unit)).ToList();
                    if (stated.Count > 0 && !stated.Any(c => Math.Abs(c.Value - claim.Value) < 1e-9))
                    {
                        return (s.Sentence, $"the question says {claim.Text}, but the abstract does not");
                    }

                    if (stated.Count > 0)
                    {
                        break;
                    }
                }
            }
        }

        var qTerms = TextAnalysis.Terms(question).ToHashSet();

        // A requirement the abstract denies.
        if (Requirement().Match(question) is { Success: true } req)
        {
            var after = TextAnalysis.Terms(question[req.Index..]).Take(4).ToList();
            foreach (var s in ranked.Take(4).Where(s => s.Coverage >= 0.15))
            {
                var d = Denial().Match(s.Sentence);
                if (!d.Success)
                {
                    continue;
                }

                var denied = TextAnalysis.Terms(s.Sentence[d.Index..]).Take(4).ToList();
                if (denied.Any(x => after.Any(a => a.Length >= 4 && x.Length >= 4 && (a.Contains(x, StringComparison.Ordinal) || x.Contains(a, StringComparison.Ordinal)))))
                {
                    return (s.Sentence, "the abstract says the opposite of what the question assumes");
                }
            }
        }

        // A superlative claimed for one thing that the abstract gives to another.
        if (Presupposes().IsMatch(question) && Superlative().Match(question) is { Success: true } sup)
        {
            var word = sup.Value.Split(' ')[0].ToLowerInvariant();
            var start = Presupposes().Match(question) is { Success: true } pm && pm.Index < sup.Index ? pm.Index + pm.Length : 0;
            var subject = TextAnalysis.Terms(question[start..sup.Index]).Where(stats.Known).Distinct().ToList();
            foreach (var s in ranked.Take(5))
            {
                if (!s.Sentence.Contains(word, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var terms = TextAnalysis.Terms(s.Sentence).ToHashSet();
                var missing = subject.Count(t => !terms.Contains(t));
                if (subject.Count >= 2 && missing * 2 >= subject.Count)
                {
                    return (s.Sentence, $"the abstract says something else is the {word}");
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"[;,:?]\s+|\s+(?:but|while|whereas)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseBreak();

    /// <summary>The question's clauses that do not ask for a number (the whole question when none asks).</summary>
    private static IEnumerable<string> StatedClauses(string question) =>
        AsksForNumber().IsMatch(question)
            ? ClauseBreak().Split(question).Where(c => c.Length > 0 && !AsksForNumber().IsMatch(c))
            : [question];

    [GeneratedRegex(@"(?<![\w.])(?<n>\d+(?:\.\d+)?)(?:\s*(?<u>%|percent\b|x\b|×|times\b|-?fold\b)|\s+(?<words>(?:[A-Za-z][\w\-]*\s*){1,3}))", RegexOptions.IgnoreCase)]
    private static partial Regex NumberClaim();

    /// <summary>Numbers with what they count: "%"/"x", or the stems of the (up to three) words after them.</summary>
    private static List<(double Value, HashSet<string> Unit, string Text)> Claims(string text)
    {
        var list = new List<(double, HashSet<string>, string)>();
        foreach (Match m in NumberClaim().Matches(text))
        {
            if (!double.TryParse(m.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var unit = m.Groups["u"].Success
                ? new HashSet<string> { m.Groups["u"].Value.Trim().ToLowerInvariant() is "%" or "percent" ? "%" : "x" }
                : TextAnalysis.Terms(m.Groups["words"].Value).Where(t => t.Length >= 4).ToHashSet();
            if (unit.Count > 0)
            {
                list.Add((value, unit, m.Value.Trim()));
            }
        }

        return list;
    }
}
