using System.Diagnostics.Metrics;

namespace PaperBot.Bot.Telemetry;

/// <summary>
/// The bot's instruments on the "PaperBot" meter: commands run, the work queue (interactions and messages being
/// handled off the gateway loop), feed passes and the papers they stored, daily posts by outcome and subscription DMs.
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "PaperBot";

    private readonly Meter _meter;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _feedPasses;
    private readonly Counter<long> _feedPapers;
    private readonly Counter<long> _digests;
    private readonly Counter<long> _dms;

    public BotMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _commands = _meter.CreateCounter<long>("paperbot.bot.commands", "{command}", "Slash commands, buttons and chat questions handled, by name");
        _feedPasses = _meter.CreateCounter<long>("paperbot.feed.passes", "{pass}", "Feed passes, by outcome (ok, partial: a day failed)");
        _feedPapers = _meter.CreateCounter<long>("paperbot.feed.papers", "{paper}", "Papers the feed stored, by outcome (added, updated, unchanged)");
        _digests = _meter.CreateCounter<long>("paperbot.digest.posts", "{post}", "Daily posts, by outcome (posted, caught_up, failed)");
        _dms = _meter.CreateCounter<long>("paperbot.subscriptions.dms", "{message}", "Subscription DMs, by outcome (sent, failed)");
    }

    /// <summary>Reports the number of work items in flight (the work-queue depth).</summary>
    public void ObserveWorkQueue(Func<int> depth) =>
        _meter.CreateObservableGauge("paperbot.bot.work.queue_depth", depth, "{item}", "Interactions and messages being handled off the gateway loop");

    public void Command(string name) => _commands.Add(1, new KeyValuePair<string, object?>("command", name));

    public void FeedPass(bool complete, int added, int updated, int unchanged)
    {
        _feedPasses.Add(1, new KeyValuePair<string, object?>("outcome", complete ? "ok" : "partial"));
        _feedPapers.Add(added, new KeyValuePair<string, object?>("outcome", "added"));
        _feedPapers.Add(updated, new KeyValuePair<string, object?>("outcome", "updated"));
        _feedPapers.Add(unchanged, new KeyValuePair<string, object?>("outcome", "unchanged"));
    }

    public void Digest(string outcome) => _digests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void SubscriptionDm(bool sent) => _dms.Add(1, new KeyValuePair<string, object?>("outcome", sent ? "sent" : "failed"));
}
