using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;

namespace PaperBot.Bot.Trending;

/// <summary>global: Hugging Face upvotes only. server: the blend of upvotes with the server's own signals.</summary>
public enum TrendingScope
{
    Global,
    Server,
}

/// <summary>A ranked paper with its score, the server's raw counts over the look-back window and their decayed points.</summary>
public sealed record RankedPaper(Paper Paper, double Score, SignalCounts Server, double ServerPoints);

/// <summary>
/// Orders candidate papers for /trending and the daily post. Global scope keeps the store's order (upvotes, then date,
/// then id). Server scope scores each paper as described on <see cref="TrendingOptions"/>; ties fall back to the global order.
/// </summary>
public sealed class TrendingRanker(ServerSignals signals, IPaperStore store, IOptions<TrendingOptions> options)
{
    public static TrendingScope ParseScope(string? text, bool inServer) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => inServer ? TrendingScope.Server : TrendingScope.Global,
        "server" => TrendingScope.Server,
        "global" => TrendingScope.Global,
        var other => throw new ArgumentException($"unknown scope '{other}': use server or global"),
    };

    /// <summary>
    /// Ranks <paramref name="candidates"/>. With <paramref name="includeServerPapers"/>, papers the server engaged with in the
    /// look-back window join the candidates even if they are older (the server's own reading shows in its trending).
    /// </summary>
    public IReadOnlyList<RankedPaper> Rank(IReadOnlyList<Paper> candidates, ulong? guildId, TrendingScope scope, int top, bool includeServerPapers)
    {
        IReadOnlyDictionary<string, (SignalCounts Counts, double Points)> window = scope == TrendingScope.Server && guildId is { } g
            ? signals.Window(g)
            : new Dictionary<string, (SignalCounts Counts, double Points)>();
        var pool = candidates.DistinctBy(p => p.Id).ToList();
        if (includeServerPapers && window.Count > 0)
        {
            var known = pool.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            pool.AddRange(store.GetMany(window.Where(kv => kv.Value.Points > 0 && !known.Contains(kv.Key)).Select(kv => kv.Key)));
        }

        if (scope == TrendingScope.Global || window.Count == 0)
        {
            return GlobalOrder(pool).Take(top).Select(p => new RankedPaper(p, p.Upvotes ?? 0, Counts(window, p.Id), Points(window, p.Id))).ToList();
        }

        var o = options.Value;
        var maxUpvotes = pool.Count == 0 ? 0 : pool.Max(p => Math.Max(0, p.Upvotes ?? 0));
        var globalRank = GlobalOrder(pool).Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return pool
            .Select(p =>
            {
                var points = Points(window, p.Id);
                var global = maxUpvotes == 0 ? 0 : Math.Log(1 + Math.Max(0, p.Upvotes ?? 0)) / Math.Log(1 + maxUpvotes);
                var server = points / (points + o.Saturation);
                return new RankedPaper(p, (o.GlobalWeight * global) + (o.ServerWeight * server), Counts(window, p.Id), points);
            })
            .OrderByDescending(r => r.Score)
            .ThenBy(r => globalRank[r.Paper.Id])
            .Take(top)
            .ToList();
    }

    /// <summary>Upvotes, then the newer day, then id: the order of <see cref="IPaperStore.Trending"/>.</summary>
    public static IEnumerable<Paper> GlobalOrder(IEnumerable<Paper> papers) => papers
        .OrderByDescending(p => p.Upvotes ?? 0)
        .ThenByDescending(p => p.FeaturedOn ?? p.Published)
        .ThenBy(p => p.Id, StringComparer.Ordinal);

    private static SignalCounts Counts(IReadOnlyDictionary<string, (SignalCounts Counts, double Points)> w, string id) =>
        w.TryGetValue(id, out var v) ? v.Counts : new SignalCounts();

    private static double Points(IReadOnlyDictionary<string, (SignalCounts Counts, double Points)> w, string id) =>
        w.TryGetValue(id, out var v) ? v.Points : 0;
}
