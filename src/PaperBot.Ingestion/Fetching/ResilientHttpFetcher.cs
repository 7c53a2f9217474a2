using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace PaperBot.Ingestion.Fetching;

/// <summary>A fetch that failed for good (after the pipeline's retries). The message is meant for the user.</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>GETs text through the named resilience pipeline (<see cref="HttpResilience.PipelineName"/>).</summary>
public sealed class ResilientHttpFetcher
{
    private readonly IHttpClientFactory _clients;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly IngestionOptions _options;

    public ResilientHttpFetcher(IHttpClientFactory clients, ResiliencePipelineProvider<string> pipelines, IOptions<IngestionOptions> options)
    {
        _clients = clients;
        _pipeline = pipelines.GetPipeline<HttpResponseMessage>(HttpResilience.PipelineName);
        _options = options.Value;
    }

    public async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = _clients.CreateClient(HttpResilience.HttpClientName);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var attempts = 0;
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async ctx =>
                {
                    Interlocked.Increment(ref attempts);
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);

                    // ResponseContentRead: the body is read inside the attempt, so a truncated body is retried too.
                    return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken).ConfigureAwait(false);
                },
                context).ConfigureAwait(false);

            if (!response.IsSuccessStatusCode)
            {
                var detail = context.Properties.TryGetValue(HttpResilience.RetryAfterTooLong, out var wait)
                    ? $"; the server asked to retry after {wait.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s, longer than Ingestion:MaxRetryAfter ({_options.MaxRetryAfter.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s), try again later"
                    : "";
                throw new FetchException($"GET {url} failed: HTTP {(int)response.StatusCode} {ReasonOf(response.StatusCode)} after {attempts} attempt(s){detail}");
            }

            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            throw new FetchException($"GET {url} not attempted: too many recent failures, the circuit breaker is open (retry after {_options.BreakerBreakDuration.TotalSeconds:F0} s)", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new FetchException($"GET {url} timed out after {attempts} attempt(s) (Ingestion:AttemptTimeout {_options.AttemptTimeout}, Ingestion:TotalTimeout {_options.TotalTimeout})", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new FetchException($"GET {url} failed after {attempts} attempt(s): {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new FetchException($"GET {url} failed after {attempts} attempt(s): {ex.Message}", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static string ReasonOf(HttpStatusCode code) => code.ToString();
}
