using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Digest;
using PaperBot.Bot.Options;
using PaperBot.Bot.Settings;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Bot.Tests.Unit;

/// <summary>The claim logic on a real LiteDB file: many concurrent checks, one post per (guild, local date).</summary>
public sealed class DigestSchedulerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LiteDbContext _db;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 7, 59, 0, TimeSpan.Zero)); // 08:59 Berlin

    public DigestSchedulerTests() => _db = new LiteDbContext(_dir.File("sched.db"));

    [Fact]
    public async Task Concurrent_schedulers_on_one_database_post_each_guild_once_per_local_day()
    {
        var publisher = new CountingPublisher();
        var settingsStore = new LiteDbRecordStore<GuildSettings>(_db);
        settingsStore.Put("1", new GuildSettings { GuildId = 1, ChannelId = 10, Time = "09:00", TimeZone = "Europe/Berlin" });
        settingsStore.Put("2", new GuildSettings { GuildId = 2, ChannelId = 20, Time = "09:00", TimeZone = "America/New_York" });
        var schedulers = Enumerable.Range(0, 8).Select(_ => Create(publisher, settingsStore)).ToList();

        Assert.Empty(await schedulers[0].RunDueAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromMinutes(1), schedulers[0].DelayUntilNextCheck());

        _time.Advance(TimeSpan.FromMinutes(1)); // 09:00 Berlin, 03:00 New York
        var results = await Task.WhenAll(schedulers.Select(s => Task.Run(() => s.RunDueAsync(CancellationToken.None))));
        Assert.Equal(1, results.Sum(r => r.Count));
        Assert.Equal([1UL], publisher.Posts.Select(p => p.GuildId));

        _time.Advance(TimeSpan.FromHours(6)); // 09:00 New York
        await Task.WhenAll(schedulers.Select(s => Task.Run(() => s.RunDueAsync(CancellationToken.None))));
        Assert.Equal([1UL, 2UL], publisher.Posts.Select(p => p.GuildId).Order());
        var records = new LiteDbRecordStore<DigestRecord>(_db);
        Assert.Equal(DigestStatus.Posted, records.Get("1:2026-11-23")!.Status);
        Assert.False(records.Get("1:2026-11-23")!.CatchUp);
    }

    [Fact]
    public async Task A_failed_post_is_recorded_and_not_repeated_the_same_day()
    {
        var publisher = new CountingPublisher { Fail = true };
        var settingsStore = new LiteDbRecordStore<GuildSettings>(_db);
        settingsStore.Put("1", new GuildSettings { GuildId = 1, ChannelId = 10, Time = "09:00", TimeZone = "Europe/Berlin" });
        var scheduler = Create(publisher, settingsStore);
        _time.Advance(TimeSpan.FromHours(3)); // noon: a catch-up
        var first = await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(DigestStatus.Failed, Assert.Single(first).Status);
        Assert.True(first[0].CatchUp);
        Assert.Contains("channel gone", first[0].Error);
        Assert.Empty(await scheduler.RunDueAsync(CancellationToken.None));
        Assert.Equal(1, publisher.Attempts);
    }

    private DigestScheduler Create(IDigestPublisher publisher, LiteDbRecordStore<GuildSettings> settingsStore)
    {
        var digest = Microsoft.Extensions.Options.Options.Create(new DigestOptions());
        return new DigestScheduler(
            new GuildSettingsService(settingsStore, digest),
            new LiteDbRecordStore<DigestRecord>(_db),
            publisher,
            _time,
            digest,
            NullLogger<DigestScheduler>.Instance);
    }

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    /// <summary>Records posts (the real publisher is covered end to end in DigestEndToEndTests).</summary>
    private sealed class CountingPublisher : IDigestPublisher
    {
        private int _attempts;

        public bool Fail { get; init; }

        public int Attempts => _attempts;

        public List<DigestSlot> Posts { get; } = [];

        public async Task<DigestOutcome> PublishAsync(GuildSettings settings, DigestSlot slot, bool catchUp, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            await Task.Yield();
            if (Fail)
            {
                throw new InvalidOperationException("channel gone");
            }

            lock (Posts)
            {
                Posts.Add(slot);
            }

            return new DigestOutcome(42, 5, false);
        }
    }
}
