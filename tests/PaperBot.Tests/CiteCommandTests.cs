using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Cli;
using PaperBot.Core.Papers;
using PaperBot.Hosting;
using PaperBot.Testing;
using PaperBot.Testing.Citations;

namespace PaperBot.Tests;

/// <summary>`paperbot cite` end to end: real ingest of the bundled sample pages and the arXiv fixtures, cite output read back
/// with the tests' own BibTeX parser (PaperBot.Testing.Citations, no code shared with the writer).</summary>
public sealed class CiteCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string RepoFile(params string[] parts) => Path.Combine([TestPaths.RepoRoot, .. parts]);

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--db", _dir.File("cite.db"), .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private List<Paper> StoredPapers()
    {
        using var host = PaperBotHost.Build(new PaperBotHostArgs(_dir.File("cite.db")), TextWriter.Null, TextWriter.Null);
        return host.Services.GetRequiredService<IPaperStore>().All().ToList();
    }

    private async Task<List<Paper>> IngestSampleAndArxivAsync()
    {
        var (code, _, err) = await Run("ingest", RepoFile("src", "PaperBot.Ingestion", "SampleCorpus"),
            RepoFile("tests", "Fixtures", "arxiv", "arxiv_api_2017_classic_format_deep_dream-0.atom.xml"),
            RepoFile("tests", "Fixtures", "arxiv", "arxiv_api_2026_new_format_q_testing_m100.atom.xml"), "--no-progress");
        Assert.True(code == 0, err);
        return StoredPapers();
    }

    [Fact]
    public async Task BibTeX_for_50_sample_papers_and_every_arxiv_fixture_paper_parses_with_zero_errors_and_the_fields_match()
    {
        var papers = await IngestSampleAndArxivAsync();
        var sample = papers.Where(p => PaperId.IsTitleId(p.Id)).OrderBy(p => p.Id, StringComparer.Ordinal).Take(50).ToList();
        var arxiv = papers.Where(p => p.ArxivId is not null).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(50, sample.Count);
        Assert.Equal(110, arxiv.Count); // 10 classic-format + 100 new-format entries
        var cited = sample.Concat(arxiv).ToList();

        var (code, stdout, stderr) = await Run(["cite", .. cited.Select(p => p.Id)]);
        Assert.True(code == 0, stderr);

        var parsed = BibTexParser.Parse(stdout);
        Assert.True(parsed.Errors.Count == 0, string.Join("\n", parsed.Errors.Take(10)));
        Assert.Equal(cited.Count, parsed.Entries.Count);
        Assert.Equal(cited.Count, parsed.Entries.Select(e => e.Key).Distinct().Count());
        for (var i = 0; i < cited.Count; i++)
        {
            var (p, e) = (cited[i], parsed.Entries[i]);
            Assert.Equal("misc", e.Type);
            // control characters (one fixture title has a stray U+0089) cannot be written in BibTeX and are dropped
            Assert.Equal(new string(Regex.Replace(p.Title, @"\s+", " ").Trim().Where(c => !char.IsControl(c)).ToArray()), BibTexText.ToPlain(e.Fields["title"]));
            Assert.Equal((p.Published ?? p.FeaturedOn)?.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Fields.GetValueOrDefault("year"));
            if (p.ArxivId is { } id)
            {
                Assert.Equal(id, e.Fields["eprint"]);
                Assert.Equal("arXiv", e.Fields["archiveprefix"]);
                Assert.Equal(p.Categories[0], e.Fields["primaryclass"]);
                Assert.Equal($"https://arxiv.org/abs/{id}", e.Fields["url"]);
                Assert.Equal(p.Authors.Select(a => Regex.Replace(a, @"\s+", " ").Trim()), BibTexText.Names(e.Fields["author"]).Select(BibTexText.GivenFirst));
            }
            else
            {
                Assert.False(e.Fields.ContainsKey("eprint"));
                if (p.Authors.Count == 0 && p.AuthorCount is { } n)
                {
                    Assert.Contains($"{n} author", e.Fields["note"]);
                }
            }
        }
    }

    [Fact]
    public async Task Ris_and_markdown_cover_every_paper_and_unknown_ids_exit_1_after_the_known_ones()
    {
        var papers = await IngestSampleAndArxivAsync();
        var ids = papers.Where(p => p.ArxivId is not null).Take(5).Select(p => p.Id).ToList();

        var (code, ris, _) = await Run(["cite", .. ids, "--format", "ris"]);
        Assert.Equal(0, code);
        Assert.Equal(5, Regex.Matches(ris, "^TY  - UNPB\r$", RegexOptions.Multiline).Count);
        Assert.Equal(5, Regex.Matches(ris, "^ER  - \r$", RegexOptions.Multiline).Count);

        (code, var md, _) = await Run(["cite", .. ids, "--format", "md"]);
        Assert.Equal(0, code);
        Assert.Equal(5, md.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(ids, id => Assert.Contains($"<https://arxiv.org/abs/{id}>", md));

        (code, var partial, var err) = await Run("cite", ids[0], "9999.99999");
        Assert.Equal(1, code);
        Assert.Single(BibTexParser.Parse(partial).Entries);
        Assert.Contains("no paper with id '9999.99999'", err);

        (code, _, err) = await Run("cite", ids[0], "--format", "endnote");
        Assert.Equal(2, code);
        Assert.Contains("--format must be bibtex, markdown or ris (got 'endnote')", err);

        (code, _, err) = await Run("cite");
        Assert.Equal(2, code);
        Assert.Contains("give at least one paper id", err);
    }
}
