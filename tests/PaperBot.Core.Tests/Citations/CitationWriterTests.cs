using System.Text.RegularExpressions;
using PaperBot.Core.Citations;
using PaperBot.Core.Papers;
using PaperBot.Testing.Citations;

namespace PaperBot.Core.Tests.Citations;

public sealed class CitationWriterTests
{
    private static Paper Arxiv(string id, string title, params string[] authors) => new()
    {
        Id = id,
        ArxivId = id,
        Title = title,
        Authors = [.. authors],
        Published = new DateOnly(2017, 6, 12),
        Categories = ["cs.CL", "cs.LG"],
    };

    [Fact]
    public void ArXiv_paper_is_misc_with_eprint_archive_prefix_primary_class_authors_and_year()
    {
        var bib = CitationWriter.Write([Arxiv("1706.03762", "Attention Is All You Need", "Ashish Vaswani", "Noam Shazeer", "Niki Parmar")], CitationFormat.BibTex);

        var parsed = BibTexParser.Parse(bib);
        Assert.Empty(parsed.Errors);
        var e = Assert.Single(parsed.Entries);
        Assert.Equal("misc", e.Type);
        Assert.Equal("vaswani2017attention", e.Key);
        Assert.Equal("1706.03762", e.Fields["eprint"]);
        Assert.Equal("arXiv", e.Fields["archiveprefix"]);
        Assert.Equal("cs.CL", e.Fields["primaryclass"]);
        Assert.Equal("2017", e.Fields["year"]);
        Assert.Equal("June", e.Fields["month"]); // the jun macro
        Assert.Equal("https://arxiv.org/abs/1706.03762", e.Fields["url"]);
        Assert.Equal(["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"], BibTexText.Names(e.Fields["author"]).Select(BibTexText.GivenFirst));
        Assert.Equal("Attention Is All You Need", BibTexText.ToPlain(e.Fields["title"]));
    }

    [Theory]
    [InlineData(@"R&D at 100% for $5: a_b #1 ~x^2 \cmd {braced}")]
    [InlineData("Unbalanced } brace { and \"quotes\"")]
    [InlineData("LoRA, GPT-4 and BERT: Über-Training in 3D (iPhone)")]
    [InlineData("Ünïcödé títlé — with dashes… and @mentions")]
    public void Special_characters_in_titles_and_names_round_trip_through_an_independent_parser(string title)
    {
        var paper = Arxiv("2401.00001", title, "José García Márquez", "Ludwig van Beethoven", "Martin Luther King Jr.", "Qwen Team", "DeepSeek-AI", "O'Neil, Shaquille", "A & B_C");
        var parsed = BibTexParser.Parse(CitationWriter.Write([paper], CitationFormat.BibTex));

        Assert.Empty(parsed.Errors);
        var e = Assert.Single(parsed.Entries);
        Assert.Equal(title, BibTexText.ToPlain(e.Fields["title"]));
        var names = BibTexText.Names(e.Fields["author"]);
        Assert.Equal(7, names.Count);
        Assert.Equal("José García Márquez", BibTexText.GivenFirst(names[0]));
        Assert.Equal("van Beethoven, Ludwig", names[1]); // the particle stays with the family name
        Assert.Equal("King, Jr., Martin Luther", names[2]);
        Assert.Equal("{Qwen Team}", names[3]); // an organisation is one unit
        Assert.Equal("{DeepSeek-AI}", names[4]);
        Assert.Equal("Shaquille O'Neil", BibTexText.GivenFirst(names[5]));
        Assert.Equal("A & B_C", BibTexText.GivenFirst(names[6]));
    }

    [Fact]
    public void Words_with_inner_capitals_are_braced_so_styles_keep_their_case()
    {
        var bib = CitationWriter.Write([Arxiv("2106.09685", "LoRA: Low-Rank Adaptation of GPT-3 and iPhone Vision-Language Models")], CitationFormat.BibTex);
        Assert.Contains("{LoRA}: Low-Rank Adaptation of {GPT-3} and {iPhone} Vision-Language Models", bib);
    }

    [Fact]
    public void A_paper_without_an_arxiv_id_says_what_its_record_has()
    {
        var paper = new Paper
        {
            Id = "t:0123456789abcdef",
            Title = "Spatial Forcing: Implicit Spatial Representation Alignment",
            AuthorCount = 6,
            Organization = "HKUSTGZ",
            FeaturedOn = new DateOnly(2025, 10, 14),
            HfUrl = "https://huggingface.co/papers/spatial-forcing",
        };
        var parsed = BibTexParser.Parse(CitationWriter.Write([paper], CitationFormat.BibTex));

        Assert.Empty(parsed.Errors);
        var e = Assert.Single(parsed.Entries);
        Assert.Equal("misc", e.Type);
        Assert.False(e.Fields.ContainsKey("eprint"));
        Assert.False(e.Fields.ContainsKey("author"));
        Assert.Equal("2025", e.Fields["year"]);
        Assert.Equal("HKUSTGZ", e.Fields["organization"]);
        Assert.Equal("https://huggingface.co/papers/spatial-forcing", e.Fields["url"]);
        Assert.Contains("6 authors (names not recorded)", e.Fields["note"]);
        Assert.Contains("Hugging Face Daily Papers on 2025-10-14", e.Fields["note"]);
    }

    [Fact]
    public void Keys_are_unique_and_old_style_ids_name_their_archive()
    {
        var a = Arxiv("2401.00001", "Scaling Laws Revisited", "Jane Doe");
        var b = Arxiv("2401.00002", "Scaling Laws Again", "Jane Doe");
        var old = new Paper { Id = "hep-th/9901001", ArxivId = "hep-th/9901001", Title = "Strings", Authors = ["Ed Witten"], Published = new DateOnly(1999, 1, 4) };
        var parsed = BibTexParser.Parse(CitationWriter.Write([a, b, old], CitationFormat.BibTex));

        Assert.Empty(parsed.Errors);
        Assert.Equal(["doe2017scaling", "doe2017scalinga", "witten1999strings"], parsed.Entries.Select(e => e.Key));
        Assert.Equal("hep-th", parsed.Entries[2].Fields["primaryclass"]);
        Assert.Equal("hep-th/9901001", parsed.Entries[2].Fields["eprint"]);
    }

    [Fact]
    public void The_parser_itself_reports_broken_bibtex()
    {
        var broken = BibTexParser.Parse("@misc{a,\n  title = {open,\n}\n@misc{a,\n title = x\n}\n@misc{b title = {y}}\n@misc{c, title = {z} year = {2020}}\n");
        Assert.True(broken.Errors.Count >= 3, string.Join("; ", broken.Errors));
        Assert.Contains(broken.Errors, e => e.Message.Contains("undefined macro 'x'"));
        Assert.Contains(broken.Errors, e => e.Message.Contains("expected ','"));
    }

    [Fact]
    public void Ris_records_start_with_TY_end_with_ER_and_use_CRLF()
    {
        var ris = CitationWriter.Write([Arxiv("1706.03762", "Attention Is All You Need", "Ashish Vaswani"), new Paper { Id = "t:1", Title = "Page only", AuthorCount = 2 }], CitationFormat.Ris);

        var lines = ris.Split("\r\n");
        Assert.Equal("", lines[^1]);
        Assert.DoesNotContain('\n', ris.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.All(lines[..^1], l => Assert.Matches(new Regex(@"^[A-Z][A-Z0-9]  - "), l));
        var records = string.Join("\n", lines[..^1]).Split("ER  - ", StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim('\n')).Where(r => r.Length > 0).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.StartsWith("TY  - ", r));
        Assert.Contains("TY  - UNPB\nTI  - Attention Is All You Need\nAU  - Vaswani, Ashish\nPY  - 2017\nDA  - 2017/06/12/\nAN  - arXiv:1706.03762", records[0]);
        Assert.Contains("TY  - ELEC", records[1]);
        Assert.Contains("N1  - 2 authors (names not recorded)", records[1]);
    }

    [Fact]
    public void Markdown_escapes_paper_text_so_it_cannot_format_or_link()
    {
        var md = CitationWriter.Write([Arxiv("2401.00001", "*Bold* [click](https://evil.example) `code` <https://x>", "Eve_Evil")], CitationFormat.Markdown);

        Assert.StartsWith("1. Eve\\_Evil (2017). **\\*Bold\\* \\[click\\]\\(https://evil.example\\) \\`code\\` \\<https://x\\>**. arXiv:2401.00001 \\[cs.CL\\]. <https://arxiv.org/abs/2401.00001>", md);
        Assert.DoesNotContain("](", md.Replace("\\](", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_names_parse_case_insensitively()
    {
        Assert.True(CitationFormats.TryParse("BibTeX", out var b) && b == CitationFormat.BibTex);
        Assert.True(CitationFormats.TryParse("md", out var m) && m == CitationFormat.Markdown);
        Assert.True(CitationFormats.TryParse("RIS", out var r) && r == CitationFormat.Ris);
        Assert.False(CitationFormats.TryParse("endnote", out _));
    }
}
