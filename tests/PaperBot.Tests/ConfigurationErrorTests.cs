using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>Bad settings never crash: exit 3 with one "configuration error: …" line that names the file and the key.</summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(string settingsJson, params string[] args)
    {
        var file = _dir.File("settings.json");
        await File.WriteAllTextAsync(file, settingsJson);
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["--config", file, "--db", _dir.File("p.db"), .. args], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private async Task<string> PapersFileAsync()
    {
        var file = _dir.File("papers.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"title":"Sparse attention for long documents","abstract":"We make attention sparse."}""",
            """{"title":"Speculative decoding at scale","abstract":"Draft models propose tokens."}""",
        ]);
        return file;
    }

    private static string OneLine(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.DoesNotContain("   at ", err); // no stack trace
        return lines[0];
    }

    [Fact]
    public async Task Truncated_json_names_the_file_the_line_and_the_key()
    {
        var (code, stdout, err) = await Run("{\n  \"Search\": {\n    \"K1\": 1.2,\n    \"B\": ", "search", "diffusion");
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        var line = OneLine(err);
        Assert.StartsWith("configuration error: ", line);
        Assert.Contains(_dir.File("settings.json"), line);
        Assert.Contains("is not valid JSON at line 4", line);
        Assert.Contains("'Search:B'", line);
        Assert.False(File.Exists(_dir.File("p.db")), "the database must not be created on a configuration error");
    }

    [Fact]
    public async Task Invalid_json_syntax_is_a_configuration_error()
    {
        var (code, _, err) = await Run("{ \"Search\": { \"K1\" 1.2 } }", "trending");
        Assert.Equal(3, code);
        var line = OneLine(err);
        Assert.Contains("settings.json is not valid JSON at line 1", line);
        Assert.Contains("in key 'Search'", line);
    }

    [Fact]
    public async Task Wrong_type_value_names_the_key_the_value_the_file_and_what_is_expected()
    {
        var (code, stdout, err) = await Run("""{ "Search": { "K1": "fast" } }""", "search", "diffusion");
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Equal($"configuration error: Search:K1 = 'fast' (in {_dir.File("settings.json")}) is not a number (e.g. 1.5)", OneLine(err));
    }

    [Fact]
    public async Task Wrong_enum_and_timespan_values_list_what_is_accepted()
    {
        var (code, _, err) = await Run("""{ "Bot": { "Mode": "Prod" } }""", "run");
        Assert.Equal(3, code);
        Assert.Contains("Bot:Mode = 'Prod'", OneLine(err));
        Assert.Contains("is not one of Development, Production", err);

        (code, _, err) = await Run("""{ "Ingestion": { "AttemptTimeout": "soon" } }""", "ingest", await PapersFileAsync());
        Assert.Equal(3, code);
        Assert.Contains("Ingestion:AttemptTimeout = 'soon'", OneLine(err));
        Assert.Contains("time span (hh:mm:ss", err);
    }

    [Fact]
    public async Task Embed_against_an_unreachable_server_exits_1_with_one_line()
    {
        // A database with papers, so embed has work to send.
        var ingest = await CliApp.RunAsync(["--db", _dir.File("p.db"), "ingest", await PapersFileAsync(), "--json"], new StringWriter(), new StringWriter());
        Assert.Equal(0, ingest);

        // Port 1 on loopback refuses connections.
        var (code, stdout, err) = await Run(
            """{ "Embeddings": { "Provider": "openai-compatible", "BaseUrl": "http://127.0.0.1:1/v1", "Model": "m", "Resilience": { "MaxRetries": 0 } } }""",
            "embed");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = OneLine(err);
        Assert.StartsWith("error: embedding server http://127.0.0.1:1/v1 failed: ", line);
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
    }
}
