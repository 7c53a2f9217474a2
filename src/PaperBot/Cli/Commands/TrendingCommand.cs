using System.Globalization;
using System.Text.Json;
using PaperBot.Core.Papers;
using PaperBot.Hosting;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`trending`: the most upvoted papers featured (or published) in a window ending on a date; recency breaks ties.</summary>
public sealed class TrendingCommand(CliConsole console, IPaperStore store, TimeProvider time, SampleCorpusLoader sample) : ICliCommand
{
    public string Name => "trending";

    public string Summary => "Most upvoted papers of the last N days (recency breaks ties).";

    public string Usage => "trending [--date YYYY-MM-DD] [--days N] [--top N] [--json]";

    public async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        args.EnsureOnly("json", "date", "days", "top");
        if (args.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'\nusage: paperbot {Usage}");
        }

        var to = args.GetDate("date") ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var days = args.GetInt("days", 7, 1, 3660);
        var top = args.GetInt("top", 10, 1, 1000);
        var from = to.AddDays(-(days - 1));

        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var result = TrendingWindow.Find(store, from, to, top);
        var papers = result.Papers;
        var notice = result.Notice(from, to);
        if (args.Has("json"))
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

        var table = new TextTable()
            .Column("#", rightAlign: true)
            .Column("upvotes", rightAlign: true)
            .Column("date")
            .Column("id")
            .Column("title", maxWidth: 80);
        for (var i = 0; i < papers.Count; i++)
        {
            var p = papers[i];
            table.Row(i + 1, p.Upvotes, p.FeaturedOn ?? p.Published, p.Id, p.Title);
        }

        await console.Out.WriteAsync(table.ToString());
        return 0;
    }

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
