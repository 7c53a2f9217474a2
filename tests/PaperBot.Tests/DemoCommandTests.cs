using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_on_an_empty_db_loads_the_sample_and_prints_ranked_results_and_a_cited_offline_answer()
    {
        using var dir = new TempDir();
        var db = dir.File("demo.db");
        var o = new StringWriter();
        var e = new StringWriter();

        var code = await CliApp.RunAsync(["--db", db, "demo"], o, e);

        var text = o.ToString();
        Assert.True(code == 0, $"exit {code}; stderr: {e}");
        Assert.Contains("Loaded the bundled sample corpus: 336 papers added", text);
        Assert.Contains("== Most upvoted papers", text);
        // Hybrid from the first query with no setting changed: the sample ships with its vectors.
        Assert.Contains("== Search (hybrid: BM25 + local/all-MiniLM-L6-v2/384 embeddings of 336 papers): \"efficient reasoning with long generation\"", text);
        // The SambaY paper (seed page 003) is about exactly this query and must be ranked first.
        var searchSection = text[text.IndexOf("== Search", StringComparison.Ordinal)..text.IndexOf("== Ask", StringComparison.Ordinal)];
        var firstRow = searchSection.Split('\n').First(l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal));
        Assert.Contains("Decoder-Hybrid-Decoder", firstRow);
        Assert.Contains("(backend: offline)", text);
        Assert.Contains("[1]", text);
        Assert.Contains("References", text);

        // Second run: nothing is loaded again, the data is still there.
        var o2 = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["--db", db, "demo"], o2, new StringWriter()));
        Assert.Contains("Database has 336 papers.", o2.ToString());
    }
}
