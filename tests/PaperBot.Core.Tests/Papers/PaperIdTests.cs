using PaperBot.Core.Papers;

namespace PaperBot.Core.Tests.Papers;

public sealed class PaperIdTests
{
    [Theory]
    [InlineData("2608.16590", "2608.16590")]
    [InlineData("2608.16590v3", "2608.16590")]
    [InlineData("arXiv:2406.08478v1", "2406.08478")]
    [InlineData("http://arxiv.org/abs/1706.03762v7", "1706.03762")]
    [InlineData("https://arxiv.org/pdf/2608.16590v2.pdf", "2608.16590")]
    [InlineData("https://arxiv.org/pdf/2608.16590", "2608.16590")]
    [InlineData("0704.0001", "0704.0001")]
    [InlineData("cs/0601001v2", "cs/0601001")]
    [InlineData("http://arxiv.org/abs/math.GT/0309136v1", "math.gt/0309136")]
    [InlineData("hep-th/9901001", "hep-th/9901001")]
    public void Normalizes_arxiv_ids(string raw, string expected) => Assert.Equal(expected, PaperId.NormalizeArxivId(raw));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an id")]
    [InlineData("12345.678")]
    [InlineData("2608.165901")]
    public void Rejects_non_arxiv_ids(string? raw) => Assert.Null(PaperId.NormalizeArxivId(raw));

    [Fact]
    public void Title_normalisation_ignores_case_punctuation_width_and_spacing()
    {
        Assert.Equal("attention is all you need", PaperId.NormalizeTitle("  Attention   is All\nYou Need! "));
        Assert.Equal("gpt 4o a b", PaperId.NormalizeTitle("GPT-4o: (A) — B"));
        // NFKC folds full-width letters.
        Assert.Equal("abc 1", PaperId.NormalizeTitle("ＡＢＣ １"));
    }

    [Fact]
    public void Title_id_is_deterministic_and_prefixed()
    {
        var a = PaperId.FromTitle("Attention Is All You Need");
        var b = PaperId.FromTitle("attention is all you need.");
        Assert.Equal(a, b);
        Assert.StartsWith("t:", a);
        Assert.Equal(2 + 16, a.Length);
        Assert.Matches("^t:[0-9a-f]{16}$", a);
        Assert.NotEqual(a, PaperId.FromTitle("Attention Is Not All You Need"));
        Assert.True(PaperId.IsTitleId(a));
        Assert.False(PaperId.IsTitleId("2608.16590"));
    }

    [Fact]
    public void Title_id_is_sha256_of_normalised_title()
    {
        // SHA-256("hello world") = b94d27b9934d3e08a52e52d7da7dabfa…
        Assert.Equal("t:b94d27b9934d3e08", PaperId.FromTitle("Hello,   WORLD!"));
    }

    [Fact]
    public void For_prefers_the_arxiv_id()
    {
        Assert.Equal("2401.00001", PaperId.For(new Paper { Title = "X", ArxivId = "2401.00001v2" }));
        Assert.Equal(PaperId.FromTitle("X"), PaperId.For(new Paper { Title = "X" }));
    }
}
