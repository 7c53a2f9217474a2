using PaperBot.Core.Papers;
using PaperBot.Ingestion.Parsing;
using PaperBot.Testing;

namespace PaperBot.Ingestion.Tests;

public sealed class JsonlAndDetectionTests
{
    [Fact]
    public void Jsonl_round_trips_papers()
    {
        var papers = HfDailyPapersJsonParser.Parse(File.ReadAllText(TestPaths.HfFixture("daily_papers_2026-08-20.json")), "hf").Papers;
        papers[0].Revision = 77;
        var sw = new StringWriter();
        JsonlPaperFormat.Write(papers, sw);
        var text = sw.ToString();
        Assert.Equal(papers.Count, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("revision", text);
        Assert.Equal(IngestFormat.Jsonl, PaperParsers.Detect(text, "export.dat"));

        var back = JsonlPaperFormat.Parse(text, "export.jsonl");
        Assert.Empty(back.Issues);
        Assert.Equal(papers.Count, back.Papers.Count);
        for (var i = 0; i < papers.Count; i++)
        {
            var a = papers[i];
            var b = back.Papers[i];
            Assert.Equal(
                (a.ArxivId, a.Title, a.Abstract, string.Join('|', a.Authors), a.Organization, a.Published, a.FeaturedOn, a.Upvotes, a.GithubUrl, a.GithubStars, a.ProjectPage, string.Join('|', a.Keywords), a.AiSummary, a.HfUrl, a.PdfUrl, string.Join('|', a.Sources)),
                (b.ArxivId, b.Title, b.Abstract, string.Join('|', b.Authors), b.Organization, b.Published, b.FeaturedOn, b.Upvotes, b.GithubUrl, b.GithubStars, b.ProjectPage, string.Join('|', b.Keywords), b.AiSummary, b.HfUrl, b.PdfUrl, string.Join('|', b.Sources)));
            Assert.Equal(0, b.Revision);
        }
    }

    [Fact]
    public void Jsonl_bad_lines_are_reported_by_line_number()
    {
        const string text = "{\"title\":\"A\",\"abstract\":\"x\"}\n{not json}\n\n{\"abstract\":\"no title\"}\n{\"title\":\"B\",\"published\":\"2024-01-02\"}\n";
        var r = JsonlPaperFormat.Parse(text, "in.jsonl");
        Assert.Equal(["A", "B"], r.Papers.Select(p => p.Title));
        Assert.Equal(new DateOnly(2024, 1, 2), r.Papers[1].Published);
        Assert.Equal(["line 2", "line 4"], r.Issues.Select(i => i.Position));
        Assert.Contains("malformed JSON", r.Issues[0].Message);
    }

    [Theory]
    [InlineData("sample/000_a4b0cf0c93084ad8.txt", IngestFormat.HfPageText)]
    [InlineData("sample/004_91e8790b98aaeb0e.txt", IngestFormat.HfPageText)]
    [InlineData("hf/daily_papers_2024-06-13.json", IngestFormat.HfDailyPapersJson)]
    [InlineData("hf/daily_papers_2026-08-20.json", IngestFormat.HfDailyPapersJson)]
    [InlineData("arxiv/arxiv_api_2017_classic_format_deep_dream-0.atom.xml", IngestFormat.ArxivAtom)]
    [InlineData("arxiv/arxiv_api_2026_new_format_q_testing_m100.atom.xml", IngestFormat.ArxivAtom)]
    [InlineData("arxiv/arxivpy_q_testing_s0_m100_cfe7536492ca.json", IngestFormat.ArxivRecordedJson)]
    public void Detects_formats_by_content_not_name(string relative, IngestFormat expected)
    {
        var parts = relative.Split('/');
        var content = File.ReadAllText(parts[0] == "sample" ? Path.Combine(TestPaths.SeedPagesDir, parts[1]) : TestPaths.Fixture(parts));
        Assert.Equal(expected, PaperParsers.Detect(content, "no-extension"));
    }

    [Fact]
    public void Unknown_content_is_reported_not_crashed()
    {
        var r = PaperParsers.Parse("\u0001\u0002 binary junk", "junk.bin", new DateOnly(2026, 1, 1));
        Assert.Empty(r.Papers);
        Assert.Contains("unrecognised format", Assert.Single(r.Issues).Message);
        Assert.Equal(IngestFormat.Unknown, PaperParsers.Detect(""));
        Assert.Equal(IngestFormat.Unknown, PaperParsers.Detect("<html><body>nope</body></html>"));
    }
}
