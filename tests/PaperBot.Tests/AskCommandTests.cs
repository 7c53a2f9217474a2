using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Cli;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;
using PaperBot.Storage;
using PaperBot.Testing;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.Tests;

/// <summary>`paperbot ask` end to end: CLI → host → AI module → SK OpenAI connector → loopback fake LLM, on the sample corpus.</summary>
public sealed class AskCommandTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private FakeOpenAiServer _server = null!;

    private string Db => _dir.File("paperbot.db");

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("Storage:DatabasePath", Db)]).Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPaperBotStorage();
        using var sp = services.BuildServiceProvider();
        await new SampleCorpusLoader(sp.GetRequiredService<IPaperStore>(), TimeProvider.System).EnsureSampleLoadedAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ask_on_a_brand_new_database_loads_the_sample_and_answers_offline()
    {
        var fresh = _dir.File("fresh/new.db");
        var o = new StringWriter();
        var e = new StringWriter();

        var code = await CliApp.RunAsync(["--db", fresh, "ask", "encoder-decoder speech models", "--json"], o, e);

        Assert.True(code == 0, e.ToString());
        var json = JsonNode.Parse(o.ToString())!;
        Assert.Equal("offline", (string?)json["backend"]);
        Assert.False((bool)json["nothingFound"]!);
        Assert.NotEmpty(json["citations"]!.AsArray());
        using var ctx = new LiteDbContext(fresh);
        Assert.Equal(336, new LiteDbPaperStore(ctx).Count());
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string?> config, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        config["Search:IndexPath"] = ":memory:";
        var code = await CliApp.RunAsync(["--db", Db, .. args], o, e, b => b.Configuration.AddInMemoryCollection(config));
        return (code, o.ToString(), e.ToString());
    }

    private Dictionary<string, string?> FakeLlm() => new()
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:BaseUrl"] = _server.V1,
        ["Llm:Model"] = "fake-model",
    };

    [Fact]
    public async Task Ask_returns_a_cited_answer_through_the_real_connector()
    {
        _server.EnqueueChat(
            FakeReply.ToolCall("papers-search_papers", new { query = "encoder-decoder speech models" }),
            FakeReply.Dynamic(req =>
            {
                var hits = JsonNode.Parse(req.MessagesOf("tool").Last())!.AsArray();
                return FakeReply.Text($"Encoder-decoder models are the backbone of recent speech foundation models [{hits[0]!["ref"]}].");
            }));

        var (code, stdout, stderr) = await RunAsync(FakeLlm(), "ask", "What are encoder-decoder speech models?", "--json");

        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("llm", json["backend"]!.GetValue<string>());
        Assert.False(json["usedFallback"]!.GetValue<bool>());
        Assert.EndsWith("[1].", json["answer"]!.GetValue<string>());
        var citation = json["citations"]!.AsArray().Single()!;
        Assert.Equal(1, citation["number"]!.GetValue<int>());
        Assert.StartsWith("https://", citation["url"]!.GetValue<string>());
        Assert.Equal(2, _server.ChatRequests.Count);
        Assert.Contains("papers-search_papers", _server.ChatRequests[0].ToolNames);
        Assert.Equal(180, json["usage"]!["input"]!.GetValue<int>()); // 80 + 100 prompt tokens reported by the fake
    }

    [Fact]
    public async Task Offline_ask_prints_the_answer_and_references()
    {
        var (code, stdout, stderr) = await RunAsync([], "ask", "encoder-decoder speech models");
        Assert.True(code == 0, stderr);
        Assert.Contains("[1]", stdout);
        Assert.Contains("References:\n[1] ", stdout);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Llm_down_still_answers_with_a_notice_on_stderr()
    {
        var cfg = FakeLlm();
        cfg["Llm:BaseUrl"] = "http://127.0.0.1:1/v1";
        var (code, stdout, stderr) = await RunAsync(cfg, "ask", "encoder-decoder speech models");
        Assert.True(code == 0, stderr);
        Assert.Contains("note: The AI model is unavailable right now", stderr);
        Assert.Contains("References:", stdout);
    }

    [Fact]
    public async Task Ask_without_a_question_is_a_usage_error()
    {
        var (code, _, stderr) = await RunAsync([], "ask");
        Assert.Equal(2, code);
        Assert.Contains("ask needs a question", stderr);
    }
}
