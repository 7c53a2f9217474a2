using System.Globalization;

namespace PaperBot.Core.Papers;

/// <summary>A trending list and the days it covers; <see cref="FellBack"/> when the requested days were empty.</summary>
public sealed record TrendingResult(IReadOnlyList<Paper> Papers, DateOnly From, DateOnly To, bool FellBack)
{
    /// <summary>What to tell the user when <see cref="FellBack"/> (null otherwise).</summary>
    public string? Notice(DateOnly requestedFrom, DateOnly requestedTo) => FellBack
        ? $"No papers were featured {Span(requestedFrom, requestedTo)}; showing the newest featured days in the database instead ({Span(From, To)})."
        : null;

    private static string Span(DateOnly from, DateOnly to) => from == to
        ? "on " + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : $"from {from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Trending on any install: when the requested days hold no papers (a fresh install's sample is older than today, or
/// the feed has not run), the same number of days ending on the newest featured (or published) day in the database
/// is shown instead, and the result says so.
/// </summary>
public static class TrendingWindow
{
    public static TrendingResult Find(IPaperStore store, DateOnly from, DateOnly to, int top)
    {
        ArgumentNullException.ThrowIfNull(store);
        var papers = store.Trending(from, to, top);
        if (papers.Count > 0 || top <= 0)
        {
            return new TrendingResult(papers, from, to, false);
        }

        if (store.NewestTrendingDate() is not { } newest || (newest >= from && newest <= to))
        {
            return new TrendingResult(papers, from, to, false);
        }

        var newFrom = newest.AddDays(-(to.DayNumber - from.DayNumber));
        return new TrendingResult(store.Trending(newFrom, newest, top), newFrom, newest, true);
    }
}
