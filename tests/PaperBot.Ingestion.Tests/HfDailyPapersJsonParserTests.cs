using PaperBot.Ingestion.Parsing;
using PaperBot.Testing;

namespace PaperBot.Ingestion.Tests;

public sealed class HfDailyPapersJsonParserTests
{
    private static ParseResult Parse(string name) =>
        HfDailyPapersJsonParser.Parse(File.ReadAllText(TestPaths.HfFixture(name)), name);

    [Fact]
    public void Current_era_maps_every_field()
    {
        var r = Parse("daily_papers_2026-08-20.json");
        Assert.Empty(r.Issues);
        Assert.Equal(15, r.Papers.Count);
        Assert.Equal(123, r.Papers.Sum(p => p.Authors.Count));

        var zetta = r.Papers[0];
        Assert.Equal("2608.16590", zetta.ArxivId);
        Assert.Equal("Zetta ζ: An Efficient Closed-Loop Embodied Harness for Self-Evolving Physical Intelligence", zetta.Title);
        Assert.Equal(15, zetta.Authors.Count);
        Assert.Equal("Xin Ding", zetta.Authors[0]);
        Assert.Equal(92, zetta.Upvotes);
        Assert.Equal(new DateOnly(2026, 8, 17), zetta.Published);
        Assert.Equal(new DateOnly(2026, 8, 20), zetta.FeaturedOn);
        Assert.Equal("https://github.com/air-embodied-brain/Zetta-Embodiment", zetta.GithubUrl);
        Assert.Equal(152, zetta.GithubStars);
        Assert.Equal("https://air-embodied-brain.github.io/zetta/", zetta.ProjectPage);
        Assert.StartsWith("Zetta is a closed-loop embodied harness", zetta.AiSummary);
        Assert.Equal(["closed-loop embodied harness", "code-based runtime critics", "recovery skills"], zetta.Keywords.Take(3));
        Assert.Equal("https://arxiv.org/abs/2608.16590", zetta.ArxivUrl);
        Assert.Equal("https://arxiv.org/pdf/2608.16590", zetta.PdfUrl);
        Assert.Equal("https://huggingface.co/papers/2608.16590", zetta.HfUrl);
        Assert.Null(zetta.Organization);
        Assert.Equal(["hf-api"], zetta.Sources);

        var corl = r.Papers.Single(p => p.ArxivId == "2608.17253");
        Assert.Equal("University of California at San Diego", corl.Organization);
        Assert.Equal(74, corl.Upvotes);
        Assert.Equal(9, corl.Authors.Count);
    }

    [Fact]
    public void Mid_2025_era_has_ai_fields_but_no_organisation()
    {
        var r = Parse("daily_papers_2025-07-01.json");
        Assert.Empty(r.Issues);
        Assert.Equal(14, r.Papers.Count);
        var ovis = r.Papers[0];
        Assert.Equal("2506.23044", ovis.ArxivId);
        Assert.Equal("Ovis-U1 Technical Report", ovis.Title);
        Assert.Equal(12, ovis.Authors.Count);
        Assert.Equal(26, ovis.Upvotes);
        Assert.Equal(new DateOnly(2025, 6, 29), ovis.Published);
        Assert.Equal(new DateOnly(2025, 7, 1), ovis.FeaturedOn);
        Assert.Equal("https://github.com/AIDC-AI/Ovis-U1", ovis.GithubUrl);
        Assert.Equal(120, ovis.GithubStars);
        Assert.Null(ovis.ProjectPage);
        Assert.Equal("diffusion-based visual decoder", ovis.Keywords[0]);
        Assert.DoesNotContain('\n', ovis.Abstract); // hard-wrapped summary is unwrapped
        Assert.Contains("unified model that integrates multimodal understanding", ovis.Abstract);
        Assert.All(r.Papers, p => Assert.Null(p.Organization));
    }

    [Fact]
    public void Legacy_era_without_ai_fields_uses_the_list_date_as_featured_day()
    {
        var r = Parse("daily_papers_2024-06-13.json");
        Assert.Empty(r.Issues);
        Assert.Equal(21, r.Papers.Count);
        var narcan = r.Papers[0];
        Assert.Equal("2406.06523", narcan.ArxivId);
        Assert.Equal("NaRCan: Natural Refined Canonical Image with Integration of Diffusion Prior for Video Editing", narcan.Title);
        Assert.Equal(6, narcan.Authors.Count);
        Assert.Equal(32, narcan.Upvotes);
        Assert.Equal(new DateOnly(2024, 6, 10), narcan.Published);
        Assert.Equal(new DateOnly(2024, 6, 13), narcan.FeaturedOn);
        Assert.Null(narcan.AiSummary);
        Assert.Empty(narcan.Keywords);
        Assert.Null(narcan.GithubStars);
    }

    [Fact]
    public void Bad_entries_are_reported_by_index_and_skipped()
    {
        const string json = """
            [
              {"paper": {"id": "2401.00001", "title": "Good One", "summary": "S", "upvotes": 3}},
              {"paper": {"title": "No id"}},
              42,
              {"paper": {"id": "2401.00002", "title": "Good Two"}}
            ]
            """;
        var r = HfDailyPapersJsonParser.Parse(json, "mixed.json");
        Assert.Equal(["Good One", "Good Two"], r.Papers.Select(p => p.Title));
        Assert.Equal(2, r.Issues.Count);
        Assert.Equal("entry 1 (line 3)", r.Issues[0].Position);
        Assert.Contains("no paper.id", r.Issues[0].Message);
        Assert.Equal("entry 2 (line 4)", r.Issues[1].Position);
        Assert.All(r.Issues, i => Assert.Equal("mixed.json", i.Source));
    }

    [Fact]
    public void Truncated_file_keeps_the_entries_before_the_damage()
    {
        var full = File.ReadAllText(TestPaths.HfFixture("daily_papers_2026-08-20.json"));
        var cut = full[..(full.Length / 2)];
        var r = HfDailyPapersJsonParser.Parse(cut, "cut.json");
        var issue = Assert.Single(r.Issues);
        Assert.Contains("truncated", issue.Message);
        Assert.StartsWith($"entry {r.Papers.Count} ", issue.Position);
        Assert.InRange(r.Papers.Count, 3, 14);
        Assert.Equal("2608.16590", r.Papers[0].ArxivId);
    }

    [Fact]
    public void Not_an_array_is_a_clear_error()
    {
        var r = HfDailyPapersJsonParser.Parse("{\"error\": \"rate limited\"}", "err.json");
        Assert.Empty(r.Papers);
        Assert.Contains("expected a JSON array", Assert.Single(r.Issues).Message);
    }
}
