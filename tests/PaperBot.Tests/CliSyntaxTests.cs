using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>The System.CommandLine surface: generated help, typo suggestions, completion, global options, exit code 2.</summary>
public sealed class CliSyntaxTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Help_lists_every_registered_verb_and_the_global_options()
    {
        foreach (var args in new[] { new[] { "--help" }, [] })
        {
            var (code, stdout, stderr) = await Run(args);
            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            foreach (var verb in CliVerbs.All())
            {
                Assert.Matches($@"(?m)^\s+{verb.Name}\b", stdout);
            }

            Assert.Contains("--db <PATH>", stdout);
            Assert.Contains("--config <FILE>", stdout);
        }
    }

    [Fact]
    public async Task Verb_help_shows_its_options_with_defaults_and_choices()
    {
        var (code, stdout, _) = await Run("search", "--help");
        Assert.Equal(0, code);
        Assert.Contains(" search [<query>...] [options]", stdout); // the executable name is the test host here
        Assert.Matches(@"--top <N>\s+Results per query \[default: 10\]", stdout);
        Assert.Contains("--sort <relevance|date|upvotes>", stdout);

        (code, stdout, _) = await Run("eval", "beir", "--help");
        Assert.Equal(0, code);
        Assert.Contains(" eval beir <corpus> <queries> <qrels> [options]", stdout);
    }

    [Fact]
    public async Task A_misspelt_verb_gets_a_suggestion_and_exit_code_2()
    {
        var (code, stdout, stderr) = await Run("serch", "diffusion");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: unknown command 'serch'\nDid you mean 'search'?\nRun 'paperbot --help' for usage.\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task An_unknown_option_after_free_words_is_not_taken_as_a_word()
    {
        var db = _dir.File("never.db");
        var (code, _, stderr) = await Run("search", "diffusion", "models", "--tpo", "3", "--db", db);
        Assert.Equal(2, code);
        Assert.StartsWith("error: unknown option --tpo\n", stderr.ReplaceLineEndings("\n"));
        Assert.Contains("Did you mean", stderr);
        Assert.Contains("Run 'paperbot search --help' for usage.", stderr);

        (code, _, stderr) = await Run("ask", "what", "--jsn");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --jsn", stderr);
        Assert.Contains("'--json'", stderr);
        Assert.False(File.Exists(db), "a usage error must not open the database");
    }

    [Fact]
    public async Task Usage_errors_exit_2_before_the_host_or_database_is_touched()
    {
        var db = _dir.File("never.db");
        (string[] Args, string Message)[] cases =
        [
            (["search", "x", "--top", "0"], "--top must be a whole number between 1 and 1000 (got '0')"),
            (["search", "x", "--from", "2025-13-01"], "--from must be a date as YYYY-MM-DD (got '2025-13-01')"),
            (["trending", "--days", "many"], "--days must be a whole number between 1 and 3660 (got 'many')"),
            (["eval", "beir", "c", "q", "r", "--k1", "fast"], "--k1 must be a number between 0 and 100 (got 'fast')"),
            (["bench", "search", "--store", "sqlite"], "--store must be litedb or none (got 'sqlite')"),
            (["bench", "search", "--sizes", "10,x"], "--sizes must be comma-separated paper counts"),
            (["show"], "Required argument missing for command: 'show'"),
            (["show", "a", "b"], "unexpected argument 'b'"),
            (["eval"], "'paperbot eval' needs a command: beir"),
            (["completion", "fish"], "Argument 'fish' not recognized. Must be one of:"),
            (["search", "x", "--config", _dir.File("missing.json")], "config file not found: "),
        ];
        foreach (var (args, message) in cases)
        {
            var (code, stdout, stderr) = await Run([.. args, "--db", db]);
            Assert.True(code == 2, $"{string.Join(' ', args)} → {code}: {stderr}");
            Assert.Equal("", stdout);
            Assert.Contains(message, stderr);
        }

        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task Global_options_work_before_and_after_the_verb()
    {
        var before = _dir.File("before.db");
        var after = _dir.File("after.db");
        var (c1, o1, e1) = await Run("--db", before, "trending", "--json", "--date", "2025-01-01");
        var (c2, o2, e2) = await Run("trending", "--json", "--date", "2025-01-01", "--db", after);
        Assert.True(c1 == 0, e1);
        Assert.True(c2 == 0, e2);
        Assert.True(File.Exists(before));
        Assert.True(File.Exists(after));
        Assert.Equal(o1, o2);
    }

    [Fact]
    public async Task Version_and_help_need_no_configuration()
    {
        // An invalid settings file does not matter to verbs that never build the host.
        var bad = _dir.File("bad.json");
        await File.WriteAllTextAsync(bad, "{ not json");
        var (code, stdout, _) = await Run("--config", bad, "version");
        Assert.Equal(0, code);
        Assert.Matches(@"^paperbot \d+\.\d+\.\d+", stdout);
        (code, _, _) = await Run("--config", bad, "search", "--help");
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Completion_prints_a_hook_per_shell_and_the_suggest_directive_completes_verbs_and_choices()
    {
        foreach (var shell in new[] { "bash", "zsh", "pwsh" })
        {
            var (code, stdout, _) = await Run("completion", shell);
            Assert.Equal(0, code);
            Assert.Contains("[suggest:", stdout);
        }

        var (c1, verbs, _) = await Run("[suggest:12]", "paperbot sea");
        Assert.Equal(0, c1);
        Assert.Equal(["search"], Lines(verbs));

        var line = "paperbot search x --sort ";
        var (c2, sorts, _) = await Run($"[suggest:{line.Length}]", line);
        Assert.Equal(0, c2);
        Assert.Equal(["date", "relevance", "upvotes"], Lines(sorts));
    }

    private static string[] Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
