using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Digest;
using PaperBot.Bot.Options;
using PaperBot.Bot.Scaling;
using PaperBot.Bot.Settings;
using PaperBot.Discord;
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

    [Fact]
    public async Task Each_shard_posts_only_the_guilds_it_owns()
    {
        var publisher = new CountingPublisher();
        var settingsStore = new LiteDbRecordStore<GuildSettings>(_db);
        var guilds = Enumerable.Range(1, 6).Select(i => ((ulong)i << 22) | 7).ToList(); // shards 1,0,1,0,1,0 of 2
        foreach (var g in guilds)
        {
            settingsStore.Put(g.ToString(System.Globalization.CultureInfo.InvariantCulture), new GuildSettings { GuildId = g, ChannelId = 10, Time = "09:00", TimeZone = "Europe/Berlin" });
        }

        var shard0 = Create(publisher, settingsStore, shardId: 0, shardCount: 2);
        _time.Advance(TimeSpan.FromMinutes(1));
        var posted0 = await shard0.RunDueAsync(CancellationToken.None);
        Assert.Equal(guilds.Where((_, i) => i % 2 == 1), posted0.Select(r => r.GuildId).Order());
        var shard1 = Create(publisher, settingsStore, shardId: 1, shardCount: 2);
        var posted1 = await shard1.RunDueAsync(CancellationToken.None);
        Assert.Equal(guilds.Where((_, i) => i % 2 == 0), posted1.Select(r => r.GuildId).Order());
        Assert.Equal(6, publisher.Posts.Count);
    }

    [Fact]
    public async Task A_crashed_claim_is_taken_over_only_after_its_lease_expires()
    {
        var publisher = new CountingPublisher();
        var settingsStore = new LiteDbRecordStore<GuildSettings>(_db);
        settingsStore.Put("1", new GuildSettings { GuildId = 1, ChannelId = 10, Time = "09:00", TimeZone = "Europe/Berlin" });
        _time.Advance(TimeSpan.FromMinutes(1));

        // a process claimed the slot and died before posting
        var dead = Claims();
        Assert.NotNull(dead.TryAcquire("digest:1:2026-11-23"));
        var scheduler = Create(publisher, settingsStore);
        Assert.Empty(await scheduler.RunDueAsync(CancellationToken.None));
        _time.Advance(new ScalingOptions().LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Empty(await scheduler.RunDueAsync(CancellationToken.None));
        Assert.Empty(publisher.Posts);

        _time.Advance(TimeSpan.FromSeconds(1));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Create(publisher, settingsStore)).Select(s => Task.Run(() => s.RunDueAsync(CancellationToken.None))));
        Assert.Equal(1, results.Sum(r => r.Count));
        Assert.Single(publisher.Posts);
        Assert.Equal(2, publisher.Claims.Single().Attempt);
        Assert.Equal(publisher.Claims.Single().Key, new LiteDbRecordStore<WorkClaim>(_db).Get("digest:1:2026-11-23")!.Key);
        Assert.True(new LiteDbRecordStore<WorkClaim>(_db).Get("digest:1:2026-11-23")!.Done);
    }

    [Fact]
    public async Task A_claim_that_recorded_its_message_before_dying_is_not_posted_again()
    {
        var publisher = new CountingPublisher();
        var settingsStore = new LiteDbRecordStore<GuildSettings>(_db);
        settingsStore.Put("1", new GuildSettings { GuildId = 1, ChannelId = 10, Time = "09:00", TimeZone = "Europe/Berlin" });
        _time.Advance(TimeSpan.FromMinutes(1));
        var dead = Claims();
        var claim = dead.TryAcquire("digest:1:2026-11-23")!;
        dead.RecordResult(claim, 777, 10); // posted, then crashed before marking the slot

        _time.Advance(new ScalingOptions().LeaseDuration);
        var scheduler = Create(publisher, settingsStore);
        var results = await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Empty(publisher.Posts);
        Assert.Equal(777UL, new LiteDbRecordStore<DigestRecord>(_db).Get("1:2026-11-23")!.MessageId);
        Assert.Equal(DigestStatus.Posted, new LiteDbRecordStore<DigestRecord>(_db).Get("1:2026-11-23")!.Status);
        Assert.Empty(results);
        Assert.Empty(await scheduler.RunDueAsync(CancellationToken.None));
    }

    private WorkClaims Claims() =>
        new(new LiteDbRecordStore<WorkClaim>(_db), new WorkerIdentity(), _time, Microsoft.Extensions.Options.Options.Create(new ScalingOptions()));

    private DigestScheduler Create(IDigestPublisher publisher, LiteDbRecordStore<GuildSettings> settingsStore, int? shardId = null, int? shardCount = null)
    {
        var digest = Microsoft.Extensions.Options.Options.Create(new DigestOptions());
        return new DigestScheduler(
            new GuildSettingsService(settingsStore, digest),
            new LiteDbRecordStore<DigestRecord>(_db),
            publisher,
            Claims(),
            new ShardOwnership(Microsoft.Extensions.Options.Options.Create(new DiscordOptions { ShardId = shardId, ShardCount = shardCount })),
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

        public List<WorkClaim> Claims { get; } = [];

        public async Task<DigestOutcome> PublishAsync(GuildSettings settings, DigestSlot slot, bool catchUp, WorkClaim claim, CancellationToken cancellationToken)
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
                Claims.Add(claim);
            }

            return new DigestOutcome(42, 5, false);
        }
    }
}
