using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Http;
using PaperBot.Core.Papers;
using PaperBot.Ingestion.Fetching;
using PaperBot.Storage;
using PaperBot.Testing;
using PaperBot.Testing.FakeHf;

namespace PaperBot.Ingestion.Tests;

public sealed class FetcherTests : IAsyncLifetime
{
    private FakeHfServer _server = null!;
    private readonly TempDir _dir = new();

    public async Task InitializeAsync() => _server = await FakeHfServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private ServiceProvider Services(Dictionary<string, string?>? overrides = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = _dir.File("f.db"),
            ["Ingestion:HfBaseUrl"] = _server.BaseUrl,
            ["Ingestion:ArxivBaseUrl"] = _server.BaseUrl,
            ["Ingestion:MaxRetries"] = "3",
            ["Ingestion:RetryBaseDelay"] = "00:00:00.010",
            ["Ingestion:RetryMaxDelay"] = "00:00:00.050",
            ["Ingestion:AttemptTimeout"] = "00:00:05",
            ["Ingestion:TotalTimeout"] = "00:01:00",
        };
        foreach (var (k, v) in overrides ?? [])
        {
            settings[k] = v;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services.AddPaperBotStorage().AddPaperBotIngestion().BuildServiceProvider();
    }

    [Fact]
    public async Task Hf_fetcher_gets_the_daily_list_for_a_date()
    {
        await using var sp = Services();
        var r = await sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(new DateOnly(2026, 8, 20));
        Assert.Empty(r.Issues);
        Assert.Equal(15, r.Papers.Count);
        var req = Assert.Single(_server.Requests);
        Assert.Equal("/api/daily_papers", req.Path);
        Assert.Equal("?date=2026-08-20", req.Query);
        Assert.StartsWith("PaperBot/", req.UserAgent);
        Assert.All(r.Papers, p => Assert.Equal(new DateOnly(2026, 8, 20), p.FeaturedOn));
    }

    [Fact]
    public async Task Arxiv_fetcher_searches_and_fetches_by_id()
    {
        await using var sp = Services();
        var arxiv = sp.GetRequiredService<ArxivFetcher>();
        var search = await arxiv.SearchAsync("all:testing", start: 0, maxResults: 100);
        Assert.Equal(100, search.Papers.Count);
        Assert.Equal("?search_query=all%3Atesting&start=0&max_results=100", _server.Requests[0].Query);

        var byId = await arxiv.GetByIdsAsync(["arXiv:2202.12139v1"]);
        Assert.Equal("2202.12139", Assert.Single(byId.Papers).ArxivId);
        Assert.Equal("?id_list=2202.12139&max_results=1", _server.Requests[1].Query);
    }

    /// <summary>
    /// Retry-After as delta-seconds (beyond the 50 ms backoff cap) and as an HTTP-date: the retry waits on the injected
    /// TimeProvider for exactly that long, and nothing happens until fake time has passed it.
    /// </summary>
    [Theory]
    [InlineData(429, 1, false, "2025-07-01", 14)]
    [InlineData(503, 45, true, "2026-08-20", 15)]
    public async Task Honours_Retry_After_on_fake_time(int status, int seconds, bool httpDate, string date, int papers)
    {
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 8, 20, 12, 0, 0, TimeSpan.Zero));
        await using var server = await FakeHfServer.StartAsync(fake);
        var retryAfter = TimeSpan.FromSeconds(seconds);
        server.Enqueue(new FakeReply.Status(status, RetryAfter: httpDate
            ? fake.GetUtcNow().Add(retryAfter).ToString("r", CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture)));
        await using var sp = Services(new() { ["Ingestion:HfBaseUrl"] = server.BaseUrl, ["Ingestion:AttemptTimeout"] = "00:10:00", ["Ingestion:TotalTimeout"] = "00:30:00" }, fake);
        var task = sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(DateOnly.Parse(date, CultureInfo.InvariantCulture));
        while (server.Requests.Count == 0)
        {
            await Task.Delay(10);
        }

        var step = retryAfter / 10;
        for (var i = 0; i < 9; i++)
        {
            fake.Advance(step);
            await Task.WhenAny(task, Task.Delay(20));
        }

        Assert.False(task.IsCompleted); // 90 % of the Retry-After has passed: not retried yet
        Assert.Single(server.Requests);
        while (!task.IsCompleted)
        {
            fake.Advance(step);
            await Task.WhenAny(task, Task.Delay(20));
        }

        Assert.Equal(papers, (await task).Papers.Count);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(server.Requests[1].At - server.Requests[0].At >= retryAfter, "waited the Retry-After, not the 50 ms backoff cap");
    }

    [Fact]
    public async Task Gives_up_with_a_clear_error_after_repeated_503()
    {
        _server.Enqueue(Enumerable.Repeat<FakeReply>(new FakeReply.Status(503), 4).ToArray());
        await using var sp = Services(new() { ["Ingestion:BreakerMinimumThroughput"] = "100" });
        var ex = await Assert.ThrowsAsync<FetchException>(() => sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(new DateOnly(2026, 8, 20)));
        Assert.Contains("HTTP 503", ex.Message);
        Assert.Contains("after 4 attempt(s)", ex.Message);
        Assert.Contains("/api/daily_papers?date=2026-08-20", ex.Message);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public async Task Does_not_wait_for_an_excessive_Retry_After()
    {
        _server.Enqueue(new FakeReply.Status(429, RetryAfter: "3600"));
        await using var sp = Services(new() { ["Ingestion:MaxRetryAfter"] = "00:01:00" });
        var ex = await Assert.ThrowsAsync<FetchException>(() => sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(new DateOnly(2026, 8, 20)));
        Assert.Contains("HTTP 429", ex.Message);
        Assert.Contains("retry after 3600 s", ex.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Slow_attempt_times_out_and_is_retried()
    {
        _server.Enqueue(new FakeReply.Delay(TimeSpan.FromSeconds(20)));
        await using var sp = Services(new() { ["Ingestion:AttemptTimeout"] = "00:00:00.500" });
        var r = await sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(new DateOnly(2024, 6, 13));
        Assert.Equal(21, r.Papers.Count);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Total_timeout_ends_a_hopeless_fetch()
    {
        _server.Enqueue(Enumerable.Repeat<FakeReply>(new FakeReply.Delay(TimeSpan.FromSeconds(20)), 10).ToArray());
        await using var sp = Services(new()
        {
            ["Ingestion:AttemptTimeout"] = "00:00:00.300",
            ["Ingestion:TotalTimeout"] = "00:00:00.800",
            ["Ingestion:MaxRetries"] = "10",
            ["Ingestion:BreakerMinimumThroughput"] = "100",
        });
        var ex = await Assert.ThrowsAsync<FetchException>(() => sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(new DateOnly(2024, 6, 13)));
        Assert.Contains("timed out", ex.Message);
        Assert.InRange(_server.Requests.Count, 1, 4);
    }

    [Fact]
    public async Task Connection_dropped_mid_body_is_retried()
    {
        _server.Enqueue(new FakeReply.TruncatedConnection(0.4));
        await using var sp = Services();
        var r = await sp.GetRequiredService<HfDailyPapersFetcher>().FetchAsync(new DateOnly(2026, 8, 20));
        Assert.Empty(r.Issues);
        Assert.Equal(15, r.Papers.Count);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Truncated_body_is_reported_and_complete_entries_kept()
    {
        _server.Enqueue(new FakeReply.TruncatedBody(0.5));
        await using var sp = Services();
        var r = await sp.GetRequiredService<ArxivFetcher>().SearchAsync("all:testing", 0, 100);
        var issue = Assert.Single(r.Issues);
        Assert.Contains("truncated", issue.Message);
        Assert.Contains("/api/query?search_query=", issue.Source);
        Assert.InRange(r.Papers.Count, 30, 60);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Circuit_breaker_opens_and_fails_fast()
    {
        _server.Enqueue(Enumerable.Repeat<FakeReply>(new FakeReply.Status(503), 10).ToArray());
        await using var sp = Services(new()
        {
            ["Ingestion:MaxRetries"] = "1",
            ["Ingestion:BreakerMinimumThroughput"] = "2",
            ["Ingestion:BreakerFailureRatio"] = "0.5",
            ["Ingestion:BreakerBreakDuration"] = "00:05:00",
        });
        var hf = sp.GetRequiredService<HfDailyPapersFetcher>();
        await Assert.ThrowsAsync<FetchException>(() => hf.FetchAsync(new DateOnly(2026, 8, 20)));
        var seen = _server.Requests.Count;
        Assert.Equal(2, seen);

        var ex = await Assert.ThrowsAsync<FetchException>(() => hf.FetchAsync(new DateOnly(2026, 8, 20)));
        Assert.Contains("circuit breaker is open", ex.Message);
        Assert.Equal(seen, _server.Requests.Count); // failed fast, the server was not called
    }

    [Fact]
    public async Task Ingestor_reads_urls_through_the_pipeline_into_the_store()
    {
        _server.Enqueue(new FakeReply.Status(503, RetryAfter: "0"));
        await using var sp = Services();
        var report = await sp.GetRequiredService<PaperIngestor>().IngestAsync([_server.BaseUrl + "/api/daily_papers?date=2026-08-20"]);
        var file = Assert.Single(report.Files);
        Assert.Empty(file.Issues);
        Assert.Equal(15, file.Counts.Added);
        Assert.Equal(15, sp.GetRequiredService<IPaperStore>().Count());
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Bad_base_url_fails_options_validation_with_the_setting_name()
    {
        await using var sp = Services(new() { ["Ingestion:HfBaseUrl"] = "not a url" });
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => sp.GetRequiredService<HfDailyPapersFetcher>().UrlFor(new DateOnly(2026, 1, 1)));
        Assert.Contains("Ingestion:HfBaseUrl", ex.Message);
    }
}
