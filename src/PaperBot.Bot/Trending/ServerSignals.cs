using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Persistence;

namespace PaperBot.Bot.Trending;

/// <summary>
/// Stores server signals as counts per paper per UTC day per server (<see cref="ServerSignalDay"/>), and the bot messages
/// whose reactions count (<see cref="PaperMessageRecord"/>). Every change is one read-modify-write under a lock, written
/// through <see cref="IRecordStore{T}"/> before the call returns. A removed reaction cancels the newest counted one for that
/// paper (the day it was added is not stored, only counts are).
/// </summary>
public sealed class ServerSignals(
    IRecordStore<ServerSignalDay> days,
    IRecordStore<PaperMessageRecord> messages,
    IOptions<TrendingOptions> options,
    TimeProvider time,
    ILogger<ServerSignals> logger) : IPaperSignals
{
    /// <summary>The keycap emoji of the daily post's numbered papers, 1️⃣ … 🔟.</summary>
    public static readonly IReadOnlyList<string> NumberEmoji =
        ["1\uFE0F\u20E3", "2\uFE0F\u20E3", "3\uFE0F\u20E3", "4\uFE0F\u20E3", "5\uFE0F\u20E3", "6\uFE0F\u20E3", "7\uFE0F\u20E3", "8\uFE0F\u20E3", "9\uFE0F\u20E3", "\U0001F51F"];

    private readonly object _gate = new();

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public void Viewed(ulong? guildId, string paperId) => Add(guildId, [paperId], SignalKind.View, 1);

    public void Summarized(ulong? guildId, string paperId) => Add(guildId, [paperId], SignalKind.Summary, 1);

    public void Asked(ulong? guildId, IEnumerable<string> paperIds) => Add(guildId, paperIds.Distinct(StringComparer.Ordinal).ToList(), SignalKind.Ask, 1);

    public void RememberMessage(ulong? guildId, ulong channelId, ulong messageId, PaperMessageKind kind, IReadOnlyList<string> paperIds)
    {
        if (guildId is not { } guild || messageId == 0 || paperIds.Count == 0)
        {
            return;
        }

        messages.Put(PaperMessageRecord.KeyFor(messageId), new PaperMessageRecord
        {
            MessageId = messageId,
            ChannelId = channelId,
            GuildId = guild,
            Kind = kind,
            PaperIds = [.. paperIds],
            CreatedAt = time.GetUtcNow(),
        });
    }

    /// <summary>A member's reaction on a remembered message: counted for the paper it names. Returns that paper, or null.</summary>
    public string? ReactionAdded(ulong messageId, string emoji) => ChangeReaction(messageId, emoji, +1);

    /// <summary>A reaction was removed: cancels one counted reaction with that emoji, if any was counted.</summary>
    public string? ReactionRemoved(ulong messageId, string emoji) => ChangeReaction(messageId, emoji, -1);

    /// <summary>Every reaction of a message (or with one emoji) was removed: cancels all of them that were counted.</summary>
    public int ReactionsCleared(ulong messageId, string? emoji)
    {
        lock (_gate)
        {
            if (Message(messageId) is not { } rec)
            {
                return 0;
            }

            var removed = 0;
            foreach (var (key, count) in rec.Reactions.Where(kv => emoji is null || kv.Key == emoji).ToList())
            {
                if (PaperFor(rec, key) is { } paper)
                {
                    for (var i = 0; i < count; i++)
                    {
                        RemoveNewest(rec.GuildId, paper);
                    }

                    removed += count;
                }

                rec.Reactions.Remove(key);
            }

            messages.Put(PaperMessageRecord.KeyFor(messageId), rec);
            return removed;
        }
    }

    /// <summary>Counts per paper over the last <see cref="TrendingOptions.LookBackDays"/> days (raw) and their decayed points.</summary>
    public IReadOnlyDictionary<string, (SignalCounts Counts, double Points)> Window(ulong guildId)
    {
        var o = options.Value;
        var today = Today;
        var result = new Dictionary<string, (SignalCounts Counts, double Points)>(StringComparer.Ordinal);
        for (var age = 0; age < o.LookBackDays; age++)
        {
            if (days.Get(ServerSignalDay.KeyFor(guildId, today.AddDays(-age))) is not { } day)
            {
                continue;
            }

            var decay = Math.Pow(0.5, age / o.HalfLifeDays);
            foreach (var (paper, c) in day.Papers)
            {
                var points = decay * ((o.ReactionWeight * c.Reactions) + (o.ViewWeight * c.Views) + (o.SummarizeWeight * c.Summaries) + (o.AskWeight * c.Asks));
                var (counts, total) = result.TryGetValue(paper, out var existing) ? existing : (new SignalCounts(), 0.0);
                counts.AddAll(c);
                result[paper] = (counts, total + points);
            }
        }

        return result;
    }

    /// <summary>Deletes daily counts older than the retention and message entries older than theirs; returns how many.</summary>
    public int Sweep()
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var oldestDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-o.RetentionDays);
        var removed = 0;
        lock (_gate)
        {
            foreach (var (key, day) in days.All())
            {
                if (DateOnly.TryParseExact(day.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d < oldestDay && days.Delete(key))
                {
                    removed++;
                }
            }

            foreach (var (key, m) in messages.All())
            {
                if (now - m.CreatedAt > TimeSpan.FromDays(o.MessageRetentionDays) && messages.Delete(key))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    private string? ChangeReaction(ulong messageId, string emoji, int delta)
    {
        lock (_gate)
        {
            if (Message(messageId) is not { } rec || PaperFor(rec, emoji) is not { } paper)
            {
                return null;
            }

            var counted = rec.Reactions.GetValueOrDefault(emoji);
            if (delta < 0 && counted == 0)
            {
                return null; // nothing of ours to cancel (e.g. the bot's own seed, or a reaction from before the bot knew the message)
            }

            rec.Reactions[emoji] = counted + delta;
            if (rec.Reactions[emoji] == 0)
            {
                rec.Reactions.Remove(emoji);
            }

            messages.Put(PaperMessageRecord.KeyFor(messageId), rec);
            if (delta > 0)
            {
                AddLocked(rec.GuildId, [paper], SignalKind.Reaction, 1);
            }
            else
            {
                RemoveNewest(rec.GuildId, paper);
            }

            return paper;
        }
    }

    /// <summary>The remembered message, unless it is past <see cref="TrendingOptions.MessageRetentionDays"/>.</summary>
    private PaperMessageRecord? Message(ulong messageId)
    {
        var rec = messages.Get(PaperMessageRecord.KeyFor(messageId));
        return rec is not null && time.GetUtcNow() - rec.CreatedAt <= TimeSpan.FromDays(options.Value.MessageRetentionDays) ? rec : null;
    }

    /// <summary>A /paper message: any emoji. The daily post: the keycap with the paper's number.</summary>
    private static string? PaperFor(PaperMessageRecord rec, string emoji)
    {
        if (rec.Kind == PaperMessageKind.Paper)
        {
            return rec.PaperIds.FirstOrDefault();
        }

        var n = KeycapNumber(emoji);
        return n is { } i && i <= rec.PaperIds.Count ? rec.PaperIds[i - 1] : null;
    }

    /// <summary>1 for 1️⃣ (with or without the U+FE0F variation selector) … 10 for 🔟; null for any other emoji.</summary>
    public static int? KeycapNumber(string emoji)
    {
        if (emoji == "\U0001F51F")
        {
            return 10;
        }

        var plain = emoji.Replace("\uFE0F", "", StringComparison.Ordinal);
        return plain.Length == 2 && plain[1] == '\u20E3' && plain[0] is >= '1' and <= '9' ? plain[0] - '0' : null;
    }

    private void Add(ulong? guildId, IReadOnlyCollection<string> paperIds, SignalKind kind, int delta)
    {
        if (guildId is not { } guild || paperIds.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            AddLocked(guild, paperIds, kind, delta);
        }
    }

    private void AddLocked(ulong guildId, IEnumerable<string> paperIds, SignalKind kind, int delta)
    {
        var today = Today;
        var key = ServerSignalDay.KeyFor(guildId, today);
        var day = days.Get(key) ?? new ServerSignalDay { GuildId = guildId, Day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        foreach (var id in paperIds.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (!day.Papers.TryGetValue(id, out var counts))
            {
                counts = new SignalCounts();
                day.Papers[id] = counts;
            }

            counts.Add(kind, delta);
        }

        days.Put(key, day);
    }

    /// <summary>Cancels one reaction of <paramref name="paperId"/> on the newest day (in the look-back window) that has one.</summary>
    private void RemoveNewest(ulong guildId, string paperId)
    {
        var today = Today;
        for (var age = 0; age < options.Value.RetentionDays; age++)
        {
            var key = ServerSignalDay.KeyFor(guildId, today.AddDays(-age));
            if (days.Get(key) is { } day && day.Papers.TryGetValue(paperId, out var counts) && counts.Reactions > 0)
            {
                counts.Reactions--;
                if (counts.IsEmpty)
                {
                    day.Papers.Remove(paperId);
                }

                days.Put(key, day);
                return;
            }
        }

        logger.LogDebug("No counted reaction of {Paper} left to cancel in guild {Guild}", paperId, guildId);
    }
}
