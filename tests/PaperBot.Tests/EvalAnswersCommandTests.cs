using System.Text.Json.Nodes;
using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>`paperbot eval answers`: the answer measure per kind, over the sample corpus, offline.</summary>
public sealed class EvalAnswersCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string HeldOut => Path.Combine(TestPaths.RepoRoot, "tests", "PaperBot.Tests", "Data", "answers-heldout.jsonl");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reports_scores_per_kind_for_a_question_file_as_json()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--db", _dir.File("p.db"), "eval", "answers", HeldOut, "--json"], o, e);

        Assert.True(code == 0, e.ToString());
        var json = JsonNode.Parse(o.ToString())!;
        Assert.Equal(14, json["questions"]!.GetValue<int>());
        var kinds = json["per_kind"]!.AsArray().Select(k => k!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(["paraphrase", "hard", "finding", "compare", "off_topic", "false_premise"], kinds);
        var overall = json["overall"]!.GetValue<double>();
        Assert.InRange(overall, 0.0, 1.0);
        Assert.Equal(2, json["off_topic"]!.GetValue<int>());
        // The off-topic questions of this file share no topic with the sample corpus: the answers cite nothing.
        Assert.Equal(2, json["off_topic_citing_nothing"]!.GetValue<int>());
        Assert.All(json["answers"]!.AsArray(), a => Assert.InRange(a!["score"]!.GetValue<double>(), 0.0, 1.0));
    }

    [Fact]
    public async Task A_malformed_question_file_names_the_line_and_fails()
    {
        var file = _dir.File("bad.jsonl");
        await File.WriteAllTextAsync(file, "{\"id\":\"a\",\"question\":\"q\",\"kind\":\"paraphrase\"}\n{not json\n");
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--db", _dir.File("p.db"), "eval", "answers", file], new StringWriter(), e);
        Assert.Equal(1, code);
        Assert.Contains("bad.jsonl:2", e.ToString());
    }
}
