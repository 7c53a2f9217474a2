using System.Net;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;

namespace PaperBot.Core.Tests.Http;

public sealed class HttpResilienceTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 20, 12, 0, 0, TimeSpan.Zero);

    private static HttpPipelineSettings Settings(bool retryRefused = true, int retries = 3) => new()
    {
        ConfigPrefix = "Test",
        MaxRetries = retries,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(30),
        MaxRetryAfter = TimeSpan.FromMinutes(2),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromMinutes(1),
        BreakerFailureRatio = 0.5,
        BreakerMinimumThroughput = 100,
        BreakerSamplingDuration = TimeSpan.FromMinutes(1),
        BreakerBreakDuration = TimeSpan.FromSeconds(30),
        RetryRefusedConnections = retryRefused,
    };

    private static ResiliencePipeline<HttpResponseMessage> Build(HttpPipelineSettings s, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        HttpResilience.Configure(builder, s, time);
        return builder.Build();
    }

    [Fact]
    public void Strategies_run_total_timeout_then_retry_then_breaker_then_attempt_timeout()
    {
        var d = Build(Settings(), TimeProvider.System).GetPipelineDescriptor();
        Assert.Collection(d.Strategies,
            s => Assert.Equal(TimeSpan.FromMinutes(1), Assert.IsAssignableFrom<TimeoutStrategyOptions>(s.Options).Timeout),
            s => Assert.Equal(3, Assert.IsAssignableFrom<RetryStrategyOptions<HttpResponseMessage>>(s.Options).MaxRetryAttempts),
            s => Assert.IsAssignableFrom<CircuitBreakerStrategyOptions<HttpResponseMessage>>(s.Options),
            s => Assert.Equal(TimeSpan.FromSeconds(10), Assert.IsAssignableFrom<TimeoutStrategyOptions>(s.Options).Timeout));
    }

    [Fact]
    public void No_retry_strategy_when_retries_are_off()
    {
        var d = Build(Settings(retries: 0), TimeProvider.System).GetPipelineDescriptor();
        Assert.DoesNotContain(d.Strategies, s => s.Options is RetryStrategyOptions<HttpResponseMessage>);
        Assert.Equal(3, d.Strategies.Count);
    }

    [Fact]
    public void Retry_After_reads_delta_date_past_dates_and_retry_after_ms()
    {
        var fake = new FakeTimeProvider(Now);
        Assert.Equal(TimeSpan.FromSeconds(7), HttpResilience.RetryAfter(Reply(429, "7"), fake));
        Assert.Equal(TimeSpan.FromSeconds(90), HttpResilience.RetryAfter(Reply(503, "Thu, 20 Aug 2026 12:01:30 GMT"), fake));
        Assert.Equal(TimeSpan.Zero, HttpResilience.RetryAfter(Reply(503, "Thu, 20 Aug 2026 11:00:00 GMT"), fake));
        Assert.Null(HttpResilience.RetryAfter(Reply(503, null), fake));
        var ms = Reply(429, "2");
        ms.Headers.TryAddWithoutValidation("retry-after-ms", "1500");
        Assert.Equal(TimeSpan.FromMilliseconds(1500), HttpResilience.RetryAfter(ms, fake));
    }

    [Fact]
    public async Task An_http_date_Retry_After_is_waited_on_the_injected_clock()
    {
        var fake = new FakeTimeProvider(Now);
        var pipeline = Build(Settings() with { TotalTimeout = TimeSpan.FromMinutes(5) }, fake);
        var calls = 0;
        var run = pipeline.ExecuteAsync(_ => ValueTask.FromResult(++calls == 1 ? Reply(503, "Thu, 20 Aug 2026 12:01:00 GMT") : Reply(200, null))).AsTask();
        await WaitUntil(() => calls == 1);
        fake.Advance(TimeSpan.FromSeconds(59));
        await Task.Yield();
        Assert.Equal(1, calls); // still waiting: the date is 60 s away on the fake clock
        fake.Advance(TimeSpan.FromSeconds(1));
        var response = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_Retry_After_over_MaxRetryAfter_is_not_retried_and_is_marked_on_the_context()
    {
        var pipeline = Build(Settings(), new FakeTimeProvider(Now));
        var context = ResilienceContextPool.Shared.Get();
        var calls = 0;
        var response = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(Reply(429, "3600")); }, context);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, calls);
        Assert.True(context.Properties.TryGetValue(HttpResilience.RetryAfterTooLong, out var wait));
        Assert.Equal(TimeSpan.FromHours(1), wait);
        ResilienceContextPool.Shared.Return(context);
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 1)]
    public async Task Refused_connections_are_retried_only_when_the_client_allows_it(bool retryRefused, int expectedCalls)
    {
        var s = Settings(retryRefused) with { BaseDelay = TimeSpan.Zero };
        var pipeline = Build(s, TimeProvider.System);
        var calls = 0;
        await Assert.ThrowsAsync<HttpRequestException>(async () => await pipeline.ExecuteAsync<HttpResponseMessage>(_ =>
        {
            calls++;
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");
        }));
        Assert.Equal(expectedCalls, calls);
    }

    private static HttpResponseMessage Reply(int status, string? retryAfter)
    {
        var r = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter is not null)
        {
            r.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return r;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
