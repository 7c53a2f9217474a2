using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.Ingestion.Parsing;

namespace PaperBot.Ingestion.Fetching;

/// <summary>Live Hugging Face Daily Papers: GET {HfBaseUrl}/api/daily_papers?date=YYYY-MM-DD.</summary>
public sealed class HfDailyPapersFetcher(ResilientHttpFetcher http, IOptions<IngestionOptions> options)
{
    public Uri UrlFor(DateOnly date) =>
        new(new Uri(EnsureSlash(options.Value.HfBaseUrl)), "api/daily_papers?date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>The papers featured on <paramref name="date"/>; throws <see cref="FetchException"/> when the API cannot be reached.</summary>
    public async Task<ParseResult> FetchAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var url = UrlFor(date);
        var json = await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
        return HfDailyPapersJsonParser.Parse(json, url.ToString(), date);
    }

    internal static string EnsureSlash(string baseUrl) => baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
}
