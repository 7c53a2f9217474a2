using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Bot.Trending;
using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Bot.Tests.Unit;

/// <summary>Signal counting, decay, reaction cancellation and retention on a real LiteDB file with a FakeTimeProvider.</summary>
public sealed class ServerSignalsTests : IDisposable
{
    private const ulong Guild = 42;
    private readonly TempDir _dir = new();
    private readonly LiteDbContext _db;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly TrendingOptions _options = new();
    private readonly ServerSignals _signals;
    private readonly LiteDbPaperStore _store;
    private readonly TrendingRanker _ranker;

    public ServerSignalsTests()
    {
        _db = new LiteDbContext(_dir.File("signals.db"));
        _signals = new ServerSignals(new LiteDbRecordStore<ServerSignalDay>(_db), new LiteDbRecordStore<PaperMessageRecord>(_db),
            Microsoft.Extensions.Options.Options.Create(_options), _time, NullLogger<ServerSignals>.Instance);
        _store = new LiteDbPaperStore(_db);
        _ranker = new TrendingRanker(_signals, _store, Microsoft.Extensions.Options.Options.Create(_options));
    }

    private static Paper P(string id, int upvotes) => new() { Id = id, ArxivId = id, Title = "Paper " + id, Upvotes = upvotes, FeaturedOn = new DateOnly(2026, 11, 23) };

    [Fact]
    public void Five_reactions_on_B_outrank_the_upvotes_of_A_in_server_scope_and_global_scope_keeps_A_first()
    {
        var a = P("2611.00001", 500);
        var b = P("2611.00002", 20);
        _signals.RememberMessage(Guild, 1, 100, PaperMessageKind.Digest, [a.Id, b.Id]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(b.Id, _signals.ReactionAdded(100, "2\uFE0F\u20E3"));
        }

        var server = _ranker.Rank([a, b], Guild, TrendingScope.Server, 5, includeServerPapers: false);
        Assert.Equal([b.Id, a.Id], server.Select(r => r.Paper.Id));
        Assert.Equal(5, server[0].Server.Reactions);
        Assert.Equal([a.Id, b.Id], _ranker.Rank([a, b], Guild, TrendingScope.Global, 5, includeServerPapers: false).Select(r => r.Paper.Id));

        // another server knows nothing of it
        Assert.Equal([a.Id, b.Id], _ranker.Rank([a, b], 43, TrendingScope.Server, 5, includeServerPapers: false).Select(r => r.Paper.Id));
    }

    [Fact]
    public void Signals_decay_with_the_half_life_and_leave_the_window_after_the_look_back()
    {
        _signals.Viewed(Guild, "x");
        _signals.Summarized(Guild, "x");
        _signals.Asked(Guild, ["x", "x", "y"]); // a paper cited twice in one answer counts once
        var today = _signals.Window(Guild);
        Assert.Equal(1, today["x"].Counts.Asks);
        Assert.Equal(_options.ViewWeight + _options.SummarizeWeight + _options.AskWeight, today["x"].Points, 9);

        _time.Advance(TimeSpan.FromDays(3)); // one half-life
        Assert.Equal((_options.ViewWeight + _options.SummarizeWeight + _options.AskWeight) / 2, _signals.Window(Guild)["x"].Points, 9);

        _time.Advance(TimeSpan.FromDays(_options.LookBackDays - 3));
        Assert.Empty(_signals.Window(Guild));
    }

    [Fact]
    public void A_removed_reaction_cancels_the_newest_counted_one_and_never_goes_below_zero()
    {
        _signals.RememberMessage(Guild, 1, 200, PaperMessageKind.Paper, ["p"]);
        _signals.ReactionAdded(200, "👍");
        _time.Advance(TimeSpan.FromDays(1));
        _signals.ReactionAdded(200, "🔥");
        Assert.Equal(2, _signals.Window(Guild)["p"].Counts.Reactions);

        Assert.Equal("p", _signals.ReactionRemoved(200, "🔥"));
        Assert.Null(_signals.ReactionRemoved(200, "🔥")); // nothing counted with 🔥 any more
        Assert.Null(_signals.ReactionRemoved(200, "❤️")); // never counted (e.g. added before the bot knew the message)
        var w = _signals.Window(Guild)["p"];
        Assert.Equal(1, w.Counts.Reactions);
        Assert.Equal(_options.ReactionWeight * Math.Pow(0.5, 1 / _options.HalfLifeDays), w.Points, 9); // the day-old 👍 is left, decayed one day

        _signals.ReactionAdded(200, "👍");
        Assert.Equal(2, _signals.ReactionsCleared(200, null));
        Assert.False(_signals.Window(Guild).ContainsKey("p"));
    }

    [Fact]
    public void Digest_reactions_count_only_for_the_numbered_paper_and_old_messages_stop_counting()
    {
        _signals.RememberMessage(Guild, 1, 300, PaperMessageKind.Digest, ["d1", "d2", "d3"]);
        Assert.Equal("d1", _signals.ReactionAdded(300, "1\uFE0F\u20E3"));
        Assert.Equal("d3", _signals.ReactionAdded(300, "3\u20E3")); // without the variation selector
        Assert.Null(_signals.ReactionAdded(300, "4\uFE0F\u20E3")); // there is no paper 4
        Assert.Null(_signals.ReactionAdded(300, "👍")); // which paper would that be?
        Assert.Null(_signals.ReactionAdded(999, "1\uFE0F\u20E3")); // not a message the bot remembered
        Assert.Equal(10, ServerSignals.KeycapNumber("\U0001F51F"));

        _time.Advance(TimeSpan.FromDays(_options.MessageRetentionDays + 1));
        Assert.Null(_signals.ReactionAdded(300, "2\uFE0F\u20E3"));
    }

    [Fact]
    public void Only_counts_are_stored_no_user_ids_and_the_sweep_removes_expired_records()
    {
        _signals.RememberMessage(Guild, 1, 400, PaperMessageKind.Paper, ["p"]);
        _signals.ReactionAdded(400, "👍");
        _signals.Viewed(Guild, "p");
        _signals.Viewed(null, "p"); // a DM: nothing is recorded
        var days = new LiteDbRecordStore<ServerSignalDay>(_db).All();
        var day = Assert.Single(days).Value;
        Assert.Equal(Guild, day.GuildId);
        var counts = Assert.Single(day.Papers);
        Assert.Equal(("p", 1, 1), (counts.Key, counts.Value.Reactions, counts.Value.Views));
        Assert.Equal(typeof(ServerSignalDay).GetProperties().Select(p => p.Name).Order(), ["Day", "GuildId", "Papers"]);
        Assert.Equal(typeof(SignalCounts).GetProperties().Select(p => p.Name).Order(), ["Asks", "IsEmpty", "Reactions", "Summaries", "Views"]);

        _time.Advance(TimeSpan.FromDays(_options.MessageRetentionDays + 1));
        Assert.Equal(1, _signals.Sweep()); // the message entry
        _time.Advance(TimeSpan.FromDays(_options.RetentionDays));
        Assert.Equal(1, _signals.Sweep()); // the day
        Assert.Empty(new LiteDbRecordStore<ServerSignalDay>(_db).All());
        Assert.Empty(new LiteDbRecordStore<PaperMessageRecord>(_db).All());
    }

    [Fact]
    public void Papers_the_server_engaged_with_join_the_candidates_when_asked()
    {
        var old = P("1706.03762", 3);
        old.FeaturedOn = new DateOnly(2017, 6, 12);
        _store.Upsert([old]);
        _signals.Viewed(Guild, old.Id);
        var fresh = P("2611.00003", 100);

        Assert.Equal([fresh.Id], _ranker.Rank([fresh], Guild, TrendingScope.Server, 5, includeServerPapers: false).Select(r => r.Paper.Id));
        var joined = _ranker.Rank([fresh], Guild, TrendingScope.Server, 5, includeServerPapers: true);
        Assert.Equal(2, joined.Count);
        Assert.Contains(joined, r => r.Paper.Id == old.Id && r.Server.Views == 1);
        Assert.Equal(TrendingScope.Server, TrendingRanker.ParseScope(null, inServer: true));
        Assert.Equal(TrendingScope.Global, TrendingRanker.ParseScope(null, inServer: false));
        Assert.Throws<ArgumentException>(() => TrendingRanker.ParseScope("galaxy", true));
    }

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }
}
