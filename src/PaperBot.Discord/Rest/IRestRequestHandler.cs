namespace PaperBot.Discord.Rest;

/// <summary>The transport seam under the REST client: sends one HTTP request (no retries, no rate limiting).</summary>
public interface IRestRequestHandler
{
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

/// <summary>Default handler: the named <see cref="HttpClient"/> <see cref="HttpClientName"/> from IHttpClientFactory.</summary>
public sealed class HttpClientRestRequestHandler(IHttpClientFactory factory) : IRestRequestHandler
{
    public const string HttpClientName = "PaperBot.Discord";

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => factory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
}
