using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Util;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// The analysis chains used for indexing, querying, snippets and evaluation (one definition, so every path agrees).
/// </summary>
public static class PaperAnalyzers
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// English text: StandardTokenizer → EnglishPossessive → LowerCase → Stop (Lucene's English stop set) → PorterStem.
    /// The same chain as Anserini's default English analyzer.
    /// </summary>
    public static Analyzer CreateEnglish() => new EnglishTextAnalyzer();

    /// <summary>Names (authors, organisation) for exact-ish filtering: tokens lower-cased and accent-folded, no stemming, no stop words.</summary>
    public static Analyzer CreateName() => new NameAnalyzer();

    /// <summary>The per-field analyzer the index writer uses.</summary>
    public static Analyzer CreateIndexAnalyzer()
    {
        var english = CreateEnglish();
        return new PerFieldAnalyzerWrapper(english, new Dictionary<string, Analyzer>
        {
            [PaperFields.Who] = CreateName(),
        });
    }

    /// <summary>Runs <paramref name="analyzer"/> over <paramref name="text"/> and returns the terms in order.</summary>
    public static List<string> Terms(Analyzer analyzer, string field, string text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }

        using var ts = analyzer.GetTokenStream(field, text);
        var term = ts.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        ts.Reset();
        while (ts.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        ts.End();
        return terms;
    }
}

/// <summary>Lower-cased, accent-folded name tokens; a position gap between values so a phrase never spans two authors.</summary>
internal sealed class NameAnalyzer : Analyzer
{
    public override int GetPositionIncrementGap(string fieldName) => 100;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(PaperAnalyzers.Version, reader);
        TokenStream sink = new LowerCaseFilter(PaperAnalyzers.Version, source);
        sink = new ASCIIFoldingFilter(sink);
        return new TokenStreamComponents(source, sink);
    }
}

/// <summary>StandardTokenizer → EnglishPossessive → LowerCase → Stop → PorterStem.</summary>
internal sealed class EnglishTextAnalyzer : Analyzer
{
    public override int GetPositionIncrementGap(string fieldName) => 100;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(PaperAnalyzers.Version, reader);
        TokenStream sink = new EnglishPossessiveFilter(PaperAnalyzers.Version, source);
        sink = new LowerCaseFilter(PaperAnalyzers.Version, sink);
        sink = new StopFilter(PaperAnalyzers.Version, sink, StopAnalyzer.ENGLISH_STOP_WORDS_SET);
        sink = new PorterStemFilter(sink);
        return new TokenStreamComponents(source, sink);
    }
}
