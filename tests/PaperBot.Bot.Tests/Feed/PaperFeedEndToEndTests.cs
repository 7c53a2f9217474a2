using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Tests.EndToEnd;
using PaperBot.Core.Papers;
using PaperBot.Testing.FakeHf;

namespace PaperBot.Bot.Tests.Feed;

/// <summary>The paper feed in the running bot: real host, real LiteDB, fake HF API on loopback, FakeTimeProvider.</summary>
public sealed class PaperFeedEndToEndTests
{
    [Fact]
    public async Task Fetches_on_start_and_every_interval_survives_a_failed_day_and_never_duplicates()
    {
        // 2026-08-21 06:00 UTC: today (no papers yet) and yesterday (the 2026-08-20 fixture, 15 papers) are fetched.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 21, 6, 0, 0, TimeSpan.Zero));
        await using var h = (await BotHarness.CreateAsync(time: time))
            .With("Feed:Enabled", "true")
            .With("Feed:Interval", "03:00:00")
            .With("Feed:LookBackDays", "1");
        h.Hf.Enqueue(new FakeReply.Status(503)); // the first request (2026-08-20) fails; Ingestion:MaxRetries is 0 here

        await using var bot = await h.StartBotAsync();
        var store = bot.Services.GetRequiredService<IPaperStore>();
        await Eventually.TrueAsync(() => DailyRequests(h) >= 2, "first feed pass");
        var afterFailure = store.Count();
        Assert.Null(store.Get("2608.16590")); // the failed day stored nothing, the bot keeps running

        // passes are scheduled from the previous pass's start, so one interval of fake time brings the next pass even
        // when the clock moves before the feed has gone to sleep (PaperFeedService)
        time.Advance(TimeSpan.FromHours(3));
        await Eventually.TrueAsync(() => store.Get("2608.16590") is not null, "second pass stores 2026-08-20");
        await Eventually.TrueAsync(() => DailyRequests(h) >= 4, "second pass done");
        Assert.Equal(afterFailure + 15, store.Count());
        Assert.Equal(92, store.Get("2608.16590")!.Upvotes);
        var revision = store.CurrentRevision;

        time.Advance(TimeSpan.FromHours(3));
        await Eventually.TrueAsync(() => DailyRequests(h) >= 6, "third pass");
        Assert.Equal(afterFailure + 15, store.Count()); // same papers again: merged, not duplicated
        Assert.Equal(revision, store.CurrentRevision);  // and nothing changed
        Assert.Contains(h.Hf.Requests, r => r.Query.Contains("date=2026-08-21", StringComparison.Ordinal));
    }

    private static int DailyRequests(BotHarness h) => h.Hf.Requests.Count(r => r.Path == "/api/daily_papers");
}
