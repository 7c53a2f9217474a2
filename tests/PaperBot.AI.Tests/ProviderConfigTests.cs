using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.AI.Tests.Support;
using PaperBot.Testing.FakeOpenAi;

namespace PaperBot.AI.Tests;

/// <summary>Each provider's wiring: the requests that reach the (fake) server have the provider's paths and headers.</summary>
public sealed class ProviderConfigTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<RecordedRequest> AskOnceAsync(Dictionary<string, string?> config)
    {
        using var sp = AiTestHost.Build(config);
        _server.EnqueueChat(FakeReply.Text("Nothing to cite."));
        var a = await sp.GetRequiredService<IPaperAssistant>().AskAsync(new AskRequest { ConversationKey = "k", UserId = "u", Question = "hello there" });
        Assert.Equal("llm", a.Backend);
        Assert.Equal("Nothing to cite.", a.Markdown);
        return Assert.Single(_server.ChatRequests);
    }

    [Fact]
    public async Task Azure_openai_uses_the_deployment_path_api_version_and_api_key_header()
    {
        var r = await AskOnceAsync(new()
        {
            ["Llm:Provider"] = "azure-openai",
            ["Llm:Endpoint"] = _server.Root.ToString(),
            ["Llm:Deployment"] = "gpt4o-prod",
            ["Llm:ApiKey"] = "azure-secret",
        });
        Assert.Equal("/openai/deployments/gpt4o-prod/chat/completions", r.Path);
        Assert.Equal("?api-version=2024-10-21", r.Query);
        Assert.Equal("azure-secret", r.Headers["api-key"]);
        Assert.False(r.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Ollama_uses_its_openai_compatible_v1_endpoint()
    {
        var r = await AskOnceAsync(new()
        {
            ["Llm:Provider"] = "ollama",
            ["Llm:BaseUrl"] = _server.V1,
            ["Llm:Model"] = "llama3.1",
        });
        Assert.Equal("/v1/chat/completions", r.Path);
        Assert.Equal("llama3.1", r.Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Openai_and_openai_compatible_send_the_bearer_key_and_configured_settings()
    {
        var r = await AskOnceAsync(new()
        {
            ["Llm:Provider"] = "openai",
            ["Llm:BaseUrl"] = _server.V1,
            ["Llm:Model"] = "gpt-4o-mini",
            ["Llm:ApiKey"] = "sk-test-123",
            ["Llm:Temperature"] = "0.7",
            ["Llm:MaxTokens"] = "321",
        });
        Assert.Equal("/v1/chat/completions", r.Path);
        Assert.Equal("Bearer sk-test-123", r.Headers["Authorization"]);
        Assert.Equal("gpt-4o-mini", r.Json!["model"]!.GetValue<string>());
        Assert.Equal(0.7, r.Json!["temperature"]!.GetValue<double>(), 3);
        var max = r.Json!["max_completion_tokens"] ?? r.Json!["max_tokens"];
        Assert.Equal(321, max!.GetValue<int>());
    }

    [Fact]
    public async Task The_openai_default_endpoint_is_api_openai_com()
    {
        using var sp = AiTestHost.Build(new Dictionary<string, string?> { ["Llm:Provider"] = "openai", ["Llm:Model"] = "m", ["Llm:ApiKey"] = "k" });
        Assert.Equal(new Uri("https://api.openai.com/v1"), Llm.OpenAIClientFactory.EndpointFor("openai", null, null, null));
        Assert.Equal(new Uri("http://localhost:11434/v1"), Llm.OpenAIClientFactory.EndpointFor("ollama", null, null, null));
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("openai", null, "Llm:ApiKey is required for provider openai; set PAPERBOT_Llm__ApiKey")]
    [InlineData("openai-compatible", null, "Llm:BaseUrl must be an http(s) URL for provider openai-compatible")]
    [InlineData("azure-openai", null, "Llm:Deployment is required for provider azure-openai; set PAPERBOT_Llm__Deployment")]
    [InlineData("ollama", null, "Llm:Model is required for provider ollama; set PAPERBOT_Llm__Model")]
    [InlineData("gpt", null, "Llm:Provider 'gpt' is unknown")]
    [InlineData("offline", "3", "Llm:Temperature must be between 0 and 2")]
    public void Misconfiguration_fails_on_start_with_a_message_naming_the_setting(string provider, string? temperature, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AiTestHost.Build(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = provider,
            ["Llm:Temperature"] = temperature,
        }));
        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.Contains("sk-", StringComparison.Ordinal));
    }

    [Fact]
    public void Embeddings_misconfiguration_names_its_section()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AiTestHost.Build(new Dictionary<string, string?> { ["Embeddings:Provider"] = "openai", ["Embeddings:Model"] = "text-embedding-3-small" }));
        Assert.Contains(ex.Failures, f => f.Contains("Embeddings:ApiKey is required for provider openai; set PAPERBOT_Embeddings__ApiKey", StringComparison.Ordinal));
    }
    [Theory]
    [InlineData("Llm:Resilience:MaxRetries", "50", "Llm:Resilience:MaxRetries must be between 0 and 10 (got 50)")]
    [InlineData("Llm:Resilience:AttemptTimeout", "00:00:00", "Llm:Resilience:AttemptTimeout must be between")]
    [InlineData("Llm:Resilience:TotalTimeout", "00:00:01", "Llm:Resilience:TotalTimeout (00:00:01) must not be shorter than Llm:Resilience:AttemptTimeout")]
    [InlineData("Llm:Resilience:BreakerFailureRatio", "1.5", "Llm:Resilience:BreakerFailureRatio must be greater than 0 and at most 1")]
    [InlineData("Embeddings:Resilience:MaxRetries", "-1", "Embeddings:Resilience:MaxRetries must be between 0 and 10 (got -1)")]
    public void Nested_resilience_settings_are_validated_on_start(string key, string value, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AiTestHost.Build(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
