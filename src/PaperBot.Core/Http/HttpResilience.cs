using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace PaperBot.Core.Http;

/// <summary>
/// PaperBot's named HTTP pipelines on Microsoft.Extensions.Http.Resilience (outer to inner): total timeout → retry
/// (jittered exponential backoff; Retry-After honoured as delta-seconds, HTTP-date or OpenAI's retry-after-ms) →
/// circuit breaker → attempt timeout. Transient outcomes are the library's
/// (<see cref="HttpClientResiliencePredicates.IsTransient"/>: 408, 429, 5xx, HttpRequestException, attempt timeouts);
/// PaperBot adds two rules of its own: a Retry-After above <see cref="HttpPipelineSettings.MaxRetryAfter"/> is not
/// waited for, and a client can opt out of retrying refused connections. Delays and timeouts use the DI
/// <see cref="TimeProvider"/>.
/// </summary>
public static class HttpResilience
{
    /// <summary>Set on the request's resilience context when a Retry-After was longer than allowed (so it was not retried).</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> RetryAfterTooLong = new("paperbot.retry-after-too-long");

    /// <summary>The number of attempts made so far, on the request's resilience context.</summary>
    public static readonly ResiliencePropertyKey<int> Attempts = new("paperbot.attempts");

    /// <summary>
    /// Adds the named pipeline (<c>AddResilienceHandler</c>) and, inside it, <see cref="BufferingHandler"/>, so each
    /// attempt reads the whole response body (a connection dropped mid-body is retried) and a request body can be sent
    /// again.
    /// </summary>
    public static IHttpClientBuilder AddPaperBotResilience(this IHttpClientBuilder client, string pipelineName, Func<IServiceProvider, HttpPipelineSettings> settings)
    {
        client.AddResilienceHandler(pipelineName, (builder, context) =>
        {
            var sp = context.ServiceProvider;
            Configure(builder, settings(sp), sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<ILoggerFactory>()?.CreateLogger("PaperBot.Http.Resilience"), pipelineName);
        });
        client.AddHttpMessageHandler(() => new BufferingHandler());
        return client;
    }

    /// <summary>Builds the strategies in order (public so the order and the rules can be tested without a client).</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpPipelineSettings s, TimeProvider time, ILogger? logger = null, string name = "http")
    {
        builder.TimeProvider = time;
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total-timeout", Timeout = s.TotalTimeout });
        if (s.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = s.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = s.BaseDelay,
                MaxDelay = s.MaxDelay,
                ShouldRetryAfterHeader = false, // the DelayGenerator below reads Retry-After on the injected clock
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, s, time)),
                // Retry-After wins; null lets Polly use its jittered exponential backoff (capped at MaxDelay).
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter(r, time) : null),
                OnRetry = args =>
                {
                    args.Context.Properties.Set(Attempts, args.AttemptNumber + 2);
                    logger?.LogWarning("{Pipeline}: attempt {Attempt} failed ({Reason}); retrying in {Delay} ms",
                        name, args.AttemptNumber + 1, Describe(args.Outcome), (int)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "circuit-breaker",
            FailureRatio = s.BreakerFailureRatio,
            MinimumThroughput = s.BreakerMinimumThroughput,
            SamplingDuration = s.BreakerSamplingDuration,
            BreakDuration = s.BreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            OnOpened = args =>
            {
                logger?.LogWarning("{Pipeline}: circuit opened for {Duration} s", name, (int)args.BreakDuration.TotalSeconds);
                return default;
            },
        });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = s.AttemptTimeout });
    }

    /// <summary>The wait a response asks for: OpenAI's precise retry-after-ms, else Retry-After (delta-seconds or HTTP-date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var msv))
        {
            return TimeSpan.FromMilliseconds(Math.Max(0, msv));
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
            { Date: { } date } when date - time.GetUtcNow() is var wait => wait < TimeSpan.Zero ? TimeSpan.Zero : wait,
            _ => null,
        };
    }

    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is IOException || HttpClientResiliencePredicates.IsTransient(outcome);

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, HttpPipelineSettings s, TimeProvider time)
    {
        if (!IsFailure(outcome))
        {
            return false;
        }

        if (!s.RetryRefusedConnections && outcome.Exception is HttpRequestException
            {
                HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
            })
        {
            return false;
        }

        if (outcome.Result is { } r && RetryAfter(r, time) is { } wait && wait > s.MaxRetryAfter)
        {
            context.Properties.Set(RetryAfterTooLong, wait);
            return false;
        }

        return true;
    }

    private static string Describe(Outcome<HttpResponseMessage> o) =>
        o.Exception is { } ex ? ex.GetType().Name : $"HTTP {(int)o.Result!.StatusCode}";

    /// <summary>
    /// Innermost handler: buffers the request body once (so a retry can send it again) and reads the whole response
    /// body inside the attempt (so a body cut off mid-way fails this attempt and is retried, and attempt timeouts
    /// cover the body too). The library's handler resends the same request message and leaves bodies alone.
    /// </summary>
    public sealed class BufferingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    /// <summary>Sets a client's User-Agent and Accept, and leaves timeouts to the pipeline.</summary>
    public static void ConfigureClient(HttpClient client, string userAgent)
    {
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.Clear();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
    }
}
