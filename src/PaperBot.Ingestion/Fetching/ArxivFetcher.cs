using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Ingestion.Parsing;

namespace PaperBot.Ingestion.Fetching;

/// <summary>Live arXiv API: GET {ArxivBaseUrl}/api/query?search_query=…&amp;start=&amp;max_results= (or id_list=…).</summary>
public sealed class ArxivFetcher(ResilientHttpFetcher http, IOptions<IngestionOptions> options)
{
    public const int MaxResultsLimit = 2000;

    public Uri SearchUrl(string searchQuery, int start = 0, int maxResults = 50, string? sortBy = null, string? sortOrder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(searchQuery);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxResultsLimit);
        var q = $"api/query?search_query={Uri.EscapeDataString(searchQuery)}&start={start.ToString(CultureInfo.InvariantCulture)}&max_results={maxResults.ToString(CultureInfo.InvariantCulture)}";
        if (sortBy is not null)
        {
            q += "&sortBy=" + Uri.EscapeDataString(sortBy);
        }

        if (sortOrder is not null)
        {
            q += "&sortOrder=" + Uri.EscapeDataString(sortOrder);
        }

        return new Uri(new Uri(HfDailyPapersFetcher.EnsureSlash(options.Value.ArxivBaseUrl)), q);
    }

    public Uri IdListUrl(IEnumerable<string> ids)
    {
        var list = ids.Select(i => PaperId.NormalizeArxivId(i) ?? throw new ArgumentException($"'{i}' is not an arXiv id", nameof(ids))).Distinct().ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("no arXiv ids given", nameof(ids));
        }

        var q = $"api/query?id_list={Uri.EscapeDataString(string.Join(',', list))}&max_results={list.Count.ToString(CultureInfo.InvariantCulture)}";
        return new Uri(new Uri(HfDailyPapersFetcher.EnsureSlash(options.Value.ArxivBaseUrl)), q);
    }

    public async Task<ParseResult> SearchAsync(string searchQuery, int start = 0, int maxResults = 50, CancellationToken cancellationToken = default)
    {
        var url = SearchUrl(searchQuery, start, maxResults);
        return ArxivAtomParser.Parse(await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false), url.ToString());
    }

    public async Task<ParseResult> GetByIdsAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var url = IdListUrl(ids);
        return ArxivAtomParser.Parse(await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false), url.ToString());
    }
}
