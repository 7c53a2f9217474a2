using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PaperBot.Ingestion.Fetching;

/// <summary>
/// The named Polly v8 pipeline every ingestion HTTP call goes through (outer to inner): total timeout → retry
/// (exponential backoff with jitter, honouring Retry-After as delta-seconds or HTTP-date) → circuit breaker →
/// per-attempt timeout. Delays and timeouts use the DI <see cref="TimeProvider"/>.
/// </summary>
public static class HttpResilience
{
    public const string PipelineName = "paperbot-ingestion-http";
    public const string HttpClientName = "paperbot-ingestion";

    /// <summary>The property a response carries when the server asked for a longer wait than allowed (so it was not retried).</summary>
    internal static readonly ResiliencePropertyKey<TimeSpan> RetryAfterTooLong = new("paperbot.retry-after-too-long");

    public static IServiceCollection AddIngestionHttpPipeline(this IServiceCollection services)
    {
        services.AddResiliencePipeline<string, HttpResponseMessage>(PipelineName, (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<IngestionOptions>>().Value;
            var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
            Configure(builder, options, time);
        });
        return services;
    }

    /// <summary>Builds the strategies (public so the pipeline can be exercised without DI).</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, IngestionOptions options, TimeProvider time)
    {
        builder.TimeProvider = time;
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.TotalTimeout, Name = "total-timeout" });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context, options, time)),
                // Retry-After (429/503) wins; otherwise null lets Polly use its jittered exponential backoff (capped at MaxDelay).
                // Polly disposes a handled response before the next attempt.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter(r, time) : null),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = "circuit-breaker",
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout, Name = "attempt-timeout" });
    }

    /// <summary>The wait a response asks for with Retry-After (delta-seconds or HTTP-date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var ra = response.Headers.RetryAfter;
        if (ra is null)
        {
            return null;
        }

        if (ra.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (ra.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or IOException or TimeoutRejectedException } => true,
        { Exception: OperationCanceledException } => false,
        { Result: { } r } => IsTransientStatus(r.StatusCode),
        _ => false,
    };

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, ResilienceContext context, IngestionOptions options, TimeProvider time)
    {
        if (outcome.Exception is BrokenCircuitException)
        {
            return false;
        }

        if (!IsFailure(outcome))
        {
            return false;
        }

        if (outcome.Result is { } r && RetryAfter(r, time) is { } wait && wait > options.MaxRetryAfter)
        {
            context.Properties.Set(RetryAfterTooLong, wait);
            return false;
        }

        return true;
    }

    private static bool IsTransientStatus(HttpStatusCode code) =>
        code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)code >= 500;

    internal static void ConfigureClient(HttpClient client, IngestionOptions options)
    {
        client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline owns timeouts
        client.DefaultRequestHeaders.UserAgent.Clear();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
    }
}
