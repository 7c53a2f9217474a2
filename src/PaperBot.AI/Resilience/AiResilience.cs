using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using PaperBot.AI.Configuration;

namespace PaperBot.AI.Resilience;

/// <summary>
/// The named Polly v8 pipelines for LLM and embedding HTTP calls: total timeout → retry (429/5xx/408/timeouts,
/// jittered exponential backoff honouring Retry-After) → circuit breaker → per-attempt timeout. They run inside the
/// HttpClient the OpenAI SDK uses (its own retries are disabled), so Polly is the only retry.
/// </summary>
public static class AiResilience
{
    public const string LlmPipeline = "paperbot-llm";
    public const string EmbeddingsPipeline = "paperbot-embeddings";

    public static IServiceCollection AddAiResiliencePipelines(this IServiceCollection services)
    {
        services.AddResiliencePipeline<string, HttpResponseMessage>(LlmPipeline, (builder, context) =>
        {
            var sp = context.ServiceProvider;
            Configure(builder, sp.GetRequiredService<IOptions<LlmOptions>>().Value.Resilience, sp, LlmPipeline);
        });
        services.AddResiliencePipeline<string, HttpResponseMessage>(EmbeddingsPipeline, (builder, context) =>
        {
            var sp = context.ServiceProvider;
            Configure(builder, sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Resilience, sp, EmbeddingsPipeline);
        });
        return services;
    }

    /// <summary>True for responses worth retrying: 408, 429 and 5xx.</summary>
    public static bool IsTransient(HttpResponseMessage r) =>
        r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500;

    /// <summary>The server's Retry-After (delta or date), if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage r, TimeProvider time)
    {
        // OpenAI sends the precise retry-after-ms next to the whole-second Retry-After; prefer it.
        if (r.Headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var msv))
        {
            return TimeSpan.FromMilliseconds(Math.Max(0, msv));
        }

        var ra = r.Headers.RetryAfter;
        if (ra?.Delta is { } d)
        {
            return d < TimeSpan.Zero ? TimeSpan.Zero : d;
        }

        if (ra?.Date is { } date)
        {
            var delta = date - time.GetUtcNow();
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return null;
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceSettings s, IServiceProvider sp, string name)
    {
        var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("PaperBot.AI.Resilience");
        builder.TimeProvider = time;

        bool Retryable(Outcome<HttpResponseMessage> o) => o switch
        {
            { Exception: TimeoutRejectedException } => true,
            // A refused connection means the server is down: no point waiting, the offline answer is used at once.
            { Exception: HttpRequestException hre } => hre.HttpRequestError is not HttpRequestError.ConnectionError and not HttpRequestError.NameResolutionError,
            { Result: { } r } => IsTransient(r) && !(RetryAfter(r, time) > s.MaxRetryAfter),
            _ => false,
        };

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = s.TotalTimeout, Name = name + "-total" });
        if (s.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = name + "-retry",
                MaxRetryAttempts = s.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = s.BaseDelay,
                MaxDelay = s.MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(Retryable(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter(r, time) : null),
                OnRetry = args =>
                {
                    logger?.LogWarning("{Pipeline}: attempt {Attempt} failed ({Reason}); retrying in {Delay} ms",
                        name, args.AttemptNumber + 1, Describe(args.Outcome), (int)args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = name + "-breaker",
            FailureRatio = s.BreakerFailureRatio,
            MinimumThroughput = Math.Max(2, s.BreakerMinimumThroughput),
            SamplingDuration = s.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : s.BreakerSamplingDuration,
            BreakDuration = s.BreakerBreakDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : s.BreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: TimeoutRejectedException or HttpRequestException } => true,
                { Result: { } r } => IsTransient(r),
                _ => false,
            }),
            OnOpened = args =>
            {
                logger?.LogWarning("{Pipeline}: circuit opened for {Duration} s", name, (int)args.BreakDuration.TotalSeconds);
                return default;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = s.AttemptTimeout, Name = name + "-attempt" });
    }

    private static string Describe(Outcome<HttpResponseMessage> o) =>
        o.Exception is { } ex ? ex.GetType().Name : $"HTTP {(int)o.Result!.StatusCode}";
}

/// <summary>Runs every request of an HttpClient through a named Polly pipeline.</summary>
public sealed class ResiliencePipelineHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    public static ResiliencePipelineHandler Create(IServiceProvider sp, string pipelineName) =>
        new(sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(pipelineName));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffer the body once so every attempt can send it again.
        if (request.Content is { } content && content is not ByteArrayContent)
        {
            var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var copy = new ByteArrayContent(bytes);
            foreach (var h in content.Headers)
            {
                copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }

            request.Content = copy;
        }

        return await pipeline.ExecuteAsync(
            static async (state, ct) => await state.Self.SendOnceAsync(state.Request, ct).ConfigureAwait(false),
            (Self: this, Request: request),
            cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken ct) => base.SendAsync(request, ct);
}

/// <summary>
/// Azure OpenAI wire format over the OpenAI SDK: the SDK posts to {endpoint}/openai/deployments/{d}/chat/completions;
/// this handler adds ?api-version=… and sends the key as the "api-key" header instead of a bearer token.
/// </summary>
public sealed class AzureOpenAIHandler(string? apiVersion) : DelegatingHandler
{
    /// <summary>Null api version = not Azure: requests pass through unchanged.</summary>
    public static AzureOpenAIHandler For(string provider, string apiVersion) =>
        new(string.Equals(provider, Configuration.LlmProviders.AzureOpenAI, StringComparison.OrdinalIgnoreCase) ? apiVersion : null);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (apiVersion is null)
        {
            return base.SendAsync(request, cancellationToken);
        }

        if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } key })
        {
            request.Headers.Authorization = null;
            request.Headers.Remove("api-key");
            request.Headers.TryAddWithoutValidation("api-key", key);
        }

        var uri = request.RequestUri!;
        if (!uri.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            var sep = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
            request.RequestUri = new Uri(uri + sep + "api-version=" + Uri.EscapeDataString(apiVersion));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
