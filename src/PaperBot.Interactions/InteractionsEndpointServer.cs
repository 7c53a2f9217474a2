using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PaperBot.Interactions;

/// <summary>
/// Kestrel (minimal API) serving <see cref="InteractionsEndpoint"/> on the given URLs, with its services taken from the
/// application's container. Plain HTTP on loopback: Discord requires HTTPS, so a TLS-terminating proxy sits in front.
/// </summary>
public sealed class InteractionsEndpointServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InteractionsEndpointServer(WebApplication app, IReadOnlyList<string> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The bound addresses (with the real port when port 0 was asked for).</summary>
    public IReadOnlyList<string> Addresses { get; }

    public static async Task<InteractionsEndpointServer> StartAsync(IServiceProvider services, IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        var endpoint = services.GetRequiredService<InteractionsEndpoint>();
        var options = services.GetRequiredService<IOptions<InteractionsEndpointOptions>>().Value;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        var app = builder.Build();
        app.MapPost(options.Path, endpoint.HandleAsync);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        services.GetService<ILoggerFactory>()?.CreateLogger<InteractionsEndpointServer>()
            .LogInformation("Interactions endpoint listening on {Addresses}{Path}", string.Join(", ", addresses), options.Path);
        return new InteractionsEndpointServer(app, addresses);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
