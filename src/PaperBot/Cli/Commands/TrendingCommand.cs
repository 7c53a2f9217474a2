using System.Globalization;
using System.Text.Json;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`trending`: the most upvoted papers featured (or published) in a window ending on a date; recency breaks ties.</summary>
public sealed class TrendingCommand(CliConsole console, IPaperStore store, TimeProvider time, SampleCorpusLoader sample) : ICliCommand<TrendingCommand.Input>
{
    /// <summary>The window is the <see cref="Days"/> days ending on <see cref="Date"/> (default: today UTC).</summary>
    public sealed record Input(DateOnly? Date, int Days, int Top, bool Json);

    public static CliVerb Define()
    {
        var date = CliOptions.Date("--date", "Last day of the window (default: today, UTC)");
        var days = CliOptions.Int("--days", 7, 1, 3660, "Days in the window");
        var top = CliOptions.Int("--top", 10, 1, 1000, "How many papers");
        var json = CliOptions.Json();
        return CliVerb.For<TrendingCommand, Input>("trending", "Most upvoted papers of the last N days (recency breaks ties).",
            [date, days, top, json], r => new Input(r.GetValue(date), r.GetValue(days), r.GetValue(top), r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var to = input.Date ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var days = input.Days;
        var from = to.AddDays(-(days - 1));

        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var result = TrendingWindow.Find(store, from, to, input.Top);
        var papers = result.Papers;
        var notice = result.Notice(from, to);
        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                from = Date(result.From),
                to = Date(result.To),
                fellBack = result.FellBack,
                notice,
                results = papers.Select((p, i) => new
                {
                    rank = i + 1,
                    id = p.Id,
                    title = p.Title,
                    upvotes = p.Upvotes,
                    featured = Date(p.FeaturedOn),
                    published = Date(p.Published),
                }).ToList(),
            }, SearchOutput.Json));
            return 0;
        }

        await console.Out.WriteLineAsync($"trending {Date(result.From)} … {Date(result.To)} ({days} day{(days == 1 ? "" : "s")})\n");
        if (notice is not null)
        {
            await console.Out.WriteLineAsync(notice + "\n");
        }
        if (papers.Count == 0)
        {
            await console.Out.WriteLineAsync("no papers in this window");
            return 0;
        }

        await console.WriteAsync(SearchOutput.PaperTable(papers));
        return 0;
    }

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
