using System.Globalization;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PaperBot.Core.Http;

namespace PaperBot.Ingestion.Fetching;

/// <summary>A fetch that failed for good (after the pipeline's retries). The message is meant for the user.</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// GETs text through the resilient HttpClient of the source (<see cref="IngestionHttp.ArxivClient"/> for the arXiv
/// host, <see cref="IngestionHttp.HfClient"/> otherwise) and turns the pipeline's outcomes into user messages.
/// </summary>
public sealed class ResilientHttpFetcher(IHttpClientFactory clients, IOptions<IngestionOptions> options)
{
    private readonly IngestionOptions _options = options.Value;

    public async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientFor(url));
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.SetResilienceContext(context);
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = context.Properties.TryGetValue(HttpResilience.RetryAfterTooLong, out var wait)
                    ? $"; the server asked to retry after {Seconds(wait)} s, longer than Ingestion:MaxRetryAfter ({Seconds(_options.MaxRetryAfter)} s), try again later"
                    : "";
                throw new FetchException($"GET {url} failed: HTTP {(int)response.StatusCode} {response.StatusCode} after {Attempts(context)} attempt(s){detail}");
            }

            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            throw new FetchException($"GET {url} not attempted: too many recent failures, the circuit breaker is open (retry after {_options.BreakerBreakDuration.TotalSeconds:F0} s)", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new FetchException($"GET {url} timed out after {Attempts(context)} attempt(s) (Ingestion:AttemptTimeout {_options.AttemptTimeout}, Ingestion:TotalTimeout {_options.TotalTimeout})", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new FetchException($"GET {url} failed after {Attempts(context)} attempt(s): {ex.Message}", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private string ClientFor(Uri url) =>
        Uri.TryCreate(_options.ArxivBaseUrl, UriKind.Absolute, out var arxiv) && string.Equals(arxiv.Authority, url.Authority, StringComparison.OrdinalIgnoreCase)
            ? IngestionHttp.ArxivClient
            : IngestionHttp.HfClient;

    private static int Attempts(ResilienceContext context) => context.Properties.GetValue(HttpResilience.Attempts, 1);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
}
