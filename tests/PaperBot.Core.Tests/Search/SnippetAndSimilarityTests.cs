using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Snippets;

namespace PaperBot.Core.Tests.Search;

public sealed class SnippetAndSimilarityTests
{
    private static readonly HashSet<string> Terms = ["retriev", "dens"]; // analysed forms of "retrieval", "dense"

    [Fact]
    public void Picks_the_sentence_with_most_distinct_terms_and_bolds_surface_forms()
    {
        using var analyzer = PaperAnalyzers.CreateEnglish();
        var extractor = new SnippetExtractor(analyzer);
        const string text = "We study retrieval. Sparse methods are strong. Dense retrievers beat sparse retrieval on long queries.";
        var s = extractor.Extract(Terms, text);
        Assert.Equal("… **Dense** **retrievers** beat sparse **retrieval** on long queries.", s);
    }

    [Fact]
    public void Long_sentences_are_windowed_around_the_match()
    {
        using var analyzer = PaperAnalyzers.CreateEnglish();
        var extractor = new SnippetExtractor(analyzer, maxChars: 80);
        var filler = string.Join(' ', Enumerable.Repeat("lorem ipsum", 30));
        var text = $"{filler} dense retrieval works {filler}.";
        var s = extractor.Extract(Terms, text);
        Assert.Contains("**dense** **retrieval**", s);
        Assert.StartsWith("… ", s);
        Assert.EndsWith(" …", s);
        Assert.True(s.Length <= 80 + 4 + 8 + 4, s);
    }

    [Fact]
    public void Without_a_match_the_opening_is_shown_unmarked()
    {
        using var analyzer = PaperAnalyzers.CreateEnglish();
        var extractor = new SnippetExtractor(analyzer);
        var s = extractor.Extract(Terms, "Nothing relevant here. Second sentence.", "Also nothing");
        Assert.Equal("Nothing relevant here.", s);
        Assert.Equal("**Dense** Passage **Retrieval**", extractor.Extract(Terms, "No match in the abstract.", "Dense Passage Retrieval"));
    }

    [Fact]
    public void Length_norm_encoding_is_exact_for_short_fields_and_within_one_sixteenth_after()
    {
        for (var len = 0; len < 24; len++)
        {
            Assert.Equal(len, PaperSimilarity.Byte4ToInt(PaperSimilarity.IntToByte4(len)));
        }

        var previous = -1;
        foreach (var len in new[] { 24, 25, 40, 100, 250, 1000, 5000, 100_000, int.MaxValue })
        {
            var decoded = PaperSimilarity.Byte4ToInt(PaperSimilarity.IntToByte4(len));
            Assert.True(decoded <= len && decoded >= len - len / 8.0, $"{len} → {decoded}");
            Assert.True(decoded > previous);
            previous = decoded;
        }
    }
}
