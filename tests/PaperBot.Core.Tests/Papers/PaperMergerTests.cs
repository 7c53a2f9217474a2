using PaperBot.Core.Papers;

namespace PaperBot.Core.Tests.Papers;

public sealed class PaperMergerTests
{
    private static Paper Stored() => PaperMerger.Normalize(new Paper
    {
        ArxivId = "2401.00001",
        Title = "A Paper",
        Abstract = "A fairly long abstract about things.",
        AuthorCount = 3,
        Upvotes = 40,
        Published = new DateOnly(2024, 1, 2),
        Keywords = ["llm"],
        Sources = ["hf-page"],
    });

    [Fact]
    public void Never_downgrades_upvotes_or_abstract()
    {
        var target = Stored();
        var changed = PaperMerger.Merge(target, new Paper { Id = target.Id, Title = "A Paper", Abstract = "Short.", Upvotes = 12 });
        Assert.False(changed);
        Assert.Equal(40, target.Upvotes);
        Assert.Equal("A fairly long abstract about things.", target.Abstract);
    }

    [Fact]
    public void Takes_more_upvotes_longer_abstract_and_fills_nulls()
    {
        var target = Stored();
        var changed = PaperMerger.Merge(target, new Paper
        {
            Title = "A Paper",
            Abstract = "A fairly long abstract about things, now with much more detail.",
            Upvotes = 55,
            GithubUrl = "https://github.com/x/y",
            FeaturedOn = new DateOnly(2024, 1, 5),
            Published = new DateOnly(2023, 12, 30),
            Keywords = ["LLM", "agents"],
            Sources = ["hf-api"],
        });
        Assert.True(changed);
        Assert.Equal(55, target.Upvotes);
        Assert.StartsWith("A fairly long abstract about things, now", target.Abstract);
        Assert.Equal("https://github.com/x/y", target.GithubUrl);
        Assert.Equal(new DateOnly(2024, 1, 5), target.FeaturedOn);
        Assert.Equal(new DateOnly(2024, 1, 2), target.Published); // set fields are not overwritten
        Assert.Equal(["llm", "agents"], target.Keywords); // union, case-insensitive
        Assert.Equal(["hf-page", "hf-api"], target.Sources);
    }

    [Fact]
    public void Author_names_replace_a_bare_count_and_keep_it_consistent()
    {
        var target = Stored();
        Assert.True(PaperMerger.Merge(target, new Paper { Authors = ["A", "B", "C", "D"] }));
        Assert.Equal(["A", "B", "C", "D"], target.Authors);
        Assert.Equal(4, target.AuthorCount);

        // A bare count never overrides known names.
        Assert.False(PaperMerger.Merge(target, new Paper { AuthorCount = 9 }));
        Assert.Equal(4, target.AuthorCount);
    }

    [Fact]
    public void Merging_the_same_data_twice_is_a_no_op()
    {
        var target = Stored();
        var incoming = PaperMerger.Normalize(new Paper { ArxivId = "2401.00001", Title = "A Paper", Upvotes = 50, Authors = ["X"], Categories = ["cs.CL"] });
        Assert.True(PaperMerger.Merge(target, PaperMerger.Clone(incoming)));
        var snapshot = PaperMerger.Clone(target);
        Assert.False(PaperMerger.Merge(target, PaperMerger.Clone(incoming)));
        Assert.Equal(snapshot.Upvotes, target.Upvotes);
        Assert.Equal(snapshot.Categories, target.Categories);
        Assert.Equal(snapshot.Authors, target.Authors);
    }

    [Fact]
    public void Normalize_assigns_ids_and_cleans_fields()
    {
        var p = PaperMerger.Normalize(new Paper
        {
            ArxivId = "arXiv:2401.00001v3",
            Title = "  Spaced \n Title ",
            Authors = ["  Ann  Lee ", "", "Bo"],
            Organization = "  ",
            Keywords = ["a", "A", " "],
        });
        Assert.Equal("2401.00001", p.Id);
        Assert.Equal("2401.00001", p.ArxivId);
        Assert.Equal("Spaced Title", p.Title);
        Assert.Equal(["Ann Lee", "Bo"], p.Authors);
        Assert.Equal(2, p.AuthorCount);
        Assert.Null(p.Organization);
        Assert.Equal(["a"], p.Keywords);

        var t = PaperMerger.Normalize(new Paper { Title = "Only A Title" });
        Assert.Equal(PaperId.FromTitle("Only A Title"), t.Id);
    }
}
