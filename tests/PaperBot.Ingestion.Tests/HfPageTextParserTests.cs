using PaperBot.Core.Papers;
using PaperBot.Ingestion.Parsing;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Ingestion.Tests;

public sealed class HfPageTextParserTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static ParseResult ParsePage(string prefix)
    {
        var (name, text) = SampleCorpusLoader.ReadEmbeddedPages().Single(p => p.Name.StartsWith(prefix, StringComparison.Ordinal));
        return HfPageTextParser.Parse(text, name, Today);
    }

    private static Paper ByTitle(ParseResult r, string title) => r.Papers.Single(p => p.Title == title);

    [Fact]
    public void All_seed_pages_parse_without_issues_and_give_336_unique_papers_in_the_store()
    {
        // The embedded sample corpus: the five HF papers pages the product ships.
        var files = SampleCorpusLoader.ReadEmbeddedPages();
        Assert.Equal(5, files.Count);
        using var dir = new TempDir();
        using var ctx = new LiteDbContext(dir.File("seed.db"));
        var store = new LiteDbPaperStore(ctx);
        var total = 0;
        foreach (var (name, text) in files)
        {
            var r = HfPageTextParser.Parse(text, name, Today);
            Assert.Empty(r.Issues);
            Assert.All(r.Papers, p => Assert.True(p.Abstract.Length > 200, $"{p.Title}: abstract missing"));
            total += r.Papers.Count;
            store.Upsert(r.Papers);
        }

        Assert.Equal(386, total); // pages list 40 + 88 + 101 + 71 + 86 papers, 50 of them on more than one page
        Assert.Equal(336, store.Count());
        Assert.Equal(336, store.All().Select(p => PaperId.NormalizeTitle(p.Title)).Distinct().Count());

        // Re-ingesting every page changes nothing.
        var rev = store.CurrentRevision;
        foreach (var (name, text) in files)
        {
            var again = store.Upsert(HfPageTextParser.Parse(text, name, Today).Papers);
            Assert.Equal(0, again.Added + again.Updated);
        }

        Assert.Equal(rev, store.CurrentRevision);

        // "One Model to Train them All" is on page 000 with "• 4 authors · Mar 4" and on page 002 without metadata:
        // the merged paper keeps the metadata whichever page comes first.
        var merged = store.Get(PaperId.FromTitle("One Model to Train them All: Hierarchical Self-Distillation for Enhanced Early Layer Embeddings"))!;
        Assert.Equal(4, merged.AuthorCount);
        Assert.Equal(new DateOnly(2025, 3, 4), merged.Published);
        Assert.Equal(["hf-page"], merged.Sources);
    }

    [Fact]
    public void Page_000_fields_match_the_raw_text()
    {
        var r = ParsePage("000");
        Assert.Equal(40, r.Papers.Count);

        // Lines 13-19: "• 6 authors" / "·" / "Dec 29, 2020" (no upvote count shown).
        var fusion = ByTitle(r, "Understanding and Improving Encoder Layer Fusion in Sequence-to-Sequence Learning");
        Assert.Equal(6, fusion.AuthorCount);
        Assert.Equal(new DateOnly(2020, 12, 29), fusion.Published);
        Assert.Equal(0, fusion.Upvotes);
        Assert.StartsWith("Encoder layer fusion (EncoderFusion) is a technique", fusion.Abstract);
        Assert.EndsWith("https://github.com/SunbowLiu/SurfaceFusion.", fusion.Abstract);

        // Organisation instead of authors, year-less date with upvotes: "HKUSTGZ" / "·" / "Oct 14 4" on the "Dec 8" page.
        var forcing = ByTitle(r, "Spatial Forcing: Implicit Spatial Representation Alignment for Vision-language-action Model");
        Assert.Equal("HKUSTGZ", forcing.Organization);
        Assert.Null(forcing.AuthorCount);
        Assert.Equal(new DateOnly(2025, 10, 14), forcing.Published);
        Assert.Equal(4, forcing.Upvotes);

        // Explicit year plus upvotes: "May 4, 2023 1".
        var codec = ByTitle(r, "HiFi-Codec: Group-residual Vector quantization for High Fidelity Audio Codec");
        Assert.Equal(6, codec.AuthorCount);
        Assert.Equal(new DateOnly(2023, 5, 4), codec.Published);
        Assert.Equal(1, codec.Upvotes);

        var lang = ByTitle(r, "Continually Adding New Languages to Multilingual Language Models");
        Assert.Equal(2, lang.AuthorCount);
        Assert.Equal(new DateOnly(2025, 9, 14), lang.Published);
    }

    [Fact]
    public void Pages_001_and_003_handle_handle_plus_name_organisations_and_counts()
    {
        var p1 = ParsePage("001");
        Assert.Equal(88, p1.Papers.Count);
        var arc = ByTitle(p1, "ARC-Encoder: learning compressed text representations for large language models");
        Assert.Equal("Kyutai", arc.Organization); // "kyutai Kyutai": handle, then display name
        Assert.Equal(new DateOnly(2025, 10, 23), arc.Published); // "Oct 23 1" on the "Oct 27" page
        Assert.Equal(1, arc.Upvotes);

        // A paper without any metadata block: nothing invented.
        var dp = ByTitle(p1, "dParallel: Learnable Parallel Decoding for dLLMs");
        Assert.Null(dp.AuthorCount);
        Assert.Null(dp.Published);
        Assert.Null(dp.Upvotes);

        var p3 = ParsePage("003");
        Assert.Equal(71, p3.Papers.Count);
        var speech = ByTitle(p3, "SpeechT5: Unified-Modal Encoder-Decoder Pre-Training for Spoken Language Processing");
        Assert.Equal(14, speech.AuthorCount);
        Assert.Equal(new DateOnly(2021, 10, 14), speech.Published);
        Assert.Equal(5, speech.Upvotes);
        var seq = ByTitle(p3, "Seq vs Seq: An Open Suite of Paired Encoders and Decoders");
        Assert.Equal(6, seq.AuthorCount);
        Assert.Equal(new DateOnly(2025, 7, 15), seq.Published);
        Assert.Equal(7, seq.Upvotes);
        Assert.Contains(p3.Papers, p => p.Organization == "AMAP-ML"); // "GD-ML AMAP-ML"
    }

    [Fact]
    public void Pages_without_metadata_and_without_Daily_Papers_header_parse()
    {
        var p2 = ParsePage("002");
        Assert.Equal(101, p2.Papers.Count);
        Assert.All(p2.Papers, p => Assert.Null(p.Published));
        Assert.Contains(p2.Papers, p => p.Title == "Pointer Networks" && p.Abstract.StartsWith("We introduce a new neural architecture", StringComparison.Ordinal));
        var p4 = ParsePage("004");
        Assert.Equal(86, p4.Papers.Count);
        Assert.Equal("kMaX-DeepLab: k-means Mask Transformer", p4.Papers[0].Title);
        Assert.DoesNotContain(p4.Papers, p => p.Title is "Mar 14" or "Subscribe" or "new");
    }

    [Fact]
    public void Year_less_dates_never_land_after_the_page_date()
    {
        const string page = """
            Daily Papers

            Mar 13

            Old Paper With Year

            An abstract that is long enough to be an abstract paragraph for this test case, really.

              • 3 authors
            ·
            Jun 2, 2024

            Autumn Paper

            Another abstract paragraph that is clearly longer than a title line would ever be in practice.

              • 1 author
            ·
            Oct 14 12

            Spring Paper

            A third abstract paragraph, also long enough, describing a method and results in some detail.

            • 2 authors · Mar 1 3
            """;
        var r = HfPageTextParser.Parse(page, "synthetic", Today);
        Assert.Empty(r.Issues);
        Assert.Equal(3, r.Papers.Count);

        // Latest explicit year 2024, so the page is from 2025 (Mar 13, 2025). "Oct 14" would be after it: 2024.
        var autumn = r.Papers[1];
        Assert.Equal(new DateOnly(2024, 10, 14), autumn.Published);
        Assert.Equal(12, autumn.Upvotes);
        Assert.Equal(1, autumn.AuthorCount);

        // One-line metadata form.
        var spring = r.Papers[2];
        Assert.Equal(new DateOnly(2025, 3, 1), spring.Published);
        Assert.Equal(2, spring.AuthorCount);
        Assert.Equal(3, spring.Upvotes);
    }

    [Fact]
    public void Page_without_explicit_years_takes_the_latest_year_not_in_the_future()
    {
        const string page = """
            byAK and the research community

            Dec 8

            A Paper

            An abstract paragraph long enough for the parser to treat it as an abstract, with details.

              • 2 authors
            ·
            Nov 30
            """;
        var r = HfPageTextParser.Parse(page, "synthetic", new DateOnly(2026, 11, 23));
        // Dec 8, 2026 would be in the future on 2026-11-23, so the page is Dec 8, 2025.
        Assert.Equal(new DateOnly(2025, 11, 30), r.Papers.Single().Published);
    }

    [Fact]
    public void Broken_metadata_is_reported_with_its_line_and_the_paper_kept()
    {
        const string page = """
            Daily Papers

            Dec 8

            Good Paper

            An abstract paragraph long enough for the parser to treat it as an abstract, with details.

              • 2 authors
            ·
            Feb 31, 2024
            """;
        var r = HfPageTextParser.Parse(page, "bad.txt", Today);
        var issue = Assert.Single(r.Issues);
        Assert.Equal("bad.txt", issue.Source);
        Assert.Equal("line 9", issue.Position);
        Assert.Contains("Feb 31, 2024", issue.Message);
        Assert.Equal("Good Paper", Assert.Single(r.Papers).Title);
    }
}
