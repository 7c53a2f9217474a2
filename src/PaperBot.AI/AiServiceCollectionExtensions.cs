using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using PaperBot.AI.Budget;
using PaperBot.AI.Configuration;
using PaperBot.AI.Embeddings;
using PaperBot.AI.Embeddings.Local;
using PaperBot.AI.Embeddings.Sample;
using PaperBot.AI.Llm;
using PaperBot.AI.Memory;
using PaperBot.AI.Offline;
using PaperBot.AI.Orchestration;
using PaperBot.AI.Plugins;
using PaperBot.AI.Prompts;
using PaperBot.AI.Resilience;
using PaperBot.Core.Http;
using PaperBot.Core.Search.Dense;
using PaperBot.AI.Telemetry;

namespace PaperBot.AI;

public static class AiServiceCollectionExtensions
{
    public const string EmbeddingsHttpClientName = "paperbot-embeddings";

    public const string EmbeddingsTelemetrySource = "PaperBot.Embeddings";

    /// <summary>
    /// Registers <see cref="IPaperAssistant"/> and its parts: Llm/Embeddings/Budget options (validated on start), the
    /// named resilience pipelines, the LLM HttpClient, prompts, memory, budgets and retrieval. Needs IPaperStore,
    /// ISearchService and IRecordStore&lt;T&gt; from the Storage/Core modules.
    /// </summary>
    public static IServiceCollection AddPaperBotAI(this IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmbeddingsOptions>().BindConfiguration(EmbeddingsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AnswersOptions>().BindConfiguration(AnswersOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BudgetOptions>().BindConfiguration(BudgetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // SK's connectors (OpenAI and Azure OpenAI) own the wire format; the resilience handler owns retries and timeouts.
        services.AddHttpClient(ChatBackend.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddPaperBotResilience(AiResilience.LlmPipeline, sp =>
                AiResilience.Settings(sp.GetRequiredService<IOptions<LlmOptions>>().Value.Resilience, LlmOptions.SectionName));

        services.AddMetrics();
        services.TryAddSingleton<AiMetrics>();
        services.TryAddSingleton<PromptLibrary>();
        services.TryAddSingleton<TokenCounter>();
        services.TryAddSingleton<ConversationMemory>();
        services.TryAddSingleton<TokenBudget>();
        services.TryAddSingleton<ExtractiveEngine>();
        services.TryAddSingleton<CorpusStats>();
        services.TryAddSingleton<RelevanceGate>();
        services.TryAddSingleton<OfflinePlanner>();
        services.TryAddSingleton<ChatBackend>();
        services.TryAddSingleton<UsageEstimator>();
        services.AddPaperBotKernel();
        services.AddHttpClient(EmbeddingsHttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddPaperBotResilience(AiResilience.EmbeddingsPipeline, sp =>
                AiResilience.Settings(sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Resilience, EmbeddingsOptions.SectionName))
            .AddHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
                return AzureOpenAIHandler.For(o.Provider, o.AzureApiVersion);
            });
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
            if (!o.Enabled)
            {
                throw new InvalidOperationException("Embeddings:Provider is 'none'; set it to local (or a remote provider) to enable hybrid search");
            }

            IEmbeddingGenerator<string, Embedding<float>> inner;
            if (o.IsLocal)
            {
                inner = new LocalEmbeddingGenerator(new LocalEmbeddingSettings { MaxTokens = o.MaxTokens, Threads = o.Threads });
            }
            else
            {
                var client = OpenAIClientFactory.Create(o.Provider, o.ApiKey, o.BaseUrl, o.Endpoint, o.Deployment,
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(EmbeddingsHttpClientName), o.Resilience.TotalTimeout + TimeSpan.FromSeconds(5));
                inner = client.GetEmbeddingClient(o.EffectiveModel).AsIEmbeddingGenerator(o.Dimensions);
            }

            // The same pipeline for every provider: OpenTelemetry spans/metrics (source "PaperBot.Embeddings").
            return new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
                .UseOpenTelemetry(sourceName: EmbeddingsTelemetrySource)
                .Build(sp);
        });
        services.TryAddSingleton(_ => SampleVectors.LoadEmbedded());
        services.TryAddSingleton<PaperEmbeddings>();
        services.AddHostedService<EmbeddingBackfillService>();
        // Hybrid search in Core uses the stored vectors when embeddings are on (replaces Core's "no embeddings").
        services.RemoveAll<IDenseRetriever>();
        services.AddSingleton<IDenseRetriever>(sp => sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<EmbeddingDenseRetriever>(sp)
            : new NoDenseRetriever());
        services.TryAddSingleton<IPaperRetriever, SearchServiceRetriever>();
        services.TryAddSingleton<IPaperAssistant, PaperAssistant>();
        return services;
    }

    /// <summary>
    /// The one Kernel, the SK way: <c>AddKernel()</c> (a Kernel per resolution over the resolving scope's services),
    /// the "papers" plugin registered once as a singleton <see cref="Microsoft.SemanticKernel.KernelPlugin"/>, the
    /// filters as DI services (argument normalisation, retrieval recording, the tool-round cap), the per-turn
    /// <see cref="AnswerTurn"/> as a scoped service, and model selection for prompt functions through an
    /// <see cref="Microsoft.SemanticKernel.IAIServiceSelector"/>.
    /// </summary>
    public static IServiceCollection AddPaperBotKernel(this IServiceCollection services)
    {
        services.AddKernel();
        services.TryAddSingleton<PaperPlugins>();
        services.AddSingleton(sp => Microsoft.SemanticKernel.KernelPluginFactory.CreateFromObject(sp.GetRequiredService<PaperPlugins>(), PaperPlugins.PluginName));
        services.AddScoped<AnswerTurn>();
        services.AddSingleton<Microsoft.SemanticKernel.IFunctionInvocationFilter, ToolArgumentFilter>();
        services.AddSingleton<Microsoft.SemanticKernel.IFunctionInvocationFilter, RetrievalRecordingFilter>();
        services.AddSingleton<Microsoft.SemanticKernel.IAutoFunctionInvocationFilter, ToolRoundFilter>();
        services.TryAddSingleton<Microsoft.SemanticKernel.IAIServiceSelector, ChatBackendServiceSelector>();
        return services;
    }
}
