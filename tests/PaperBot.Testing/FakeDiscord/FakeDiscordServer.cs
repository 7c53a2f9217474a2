using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>
/// A loopback fake of Discord (REST v10 + Gateway v10, JSON) on Kestrel at 127.0.0.1:0. Point the client's
/// <c>Discord:ApiBaseUrl</c> at <see cref="ApiBaseUrl"/> and its token at <see cref="FakeDiscordOptions.Token"/>.
/// <see cref="Gateway"/> scripts the gateway (dispatch, faults), <see cref="Rest"/> records REST calls and simulates rate
/// limits, <see cref="Interactions"/> injects what a user would do. See README.md, "Developer notes".
/// </summary>
public sealed class FakeDiscordServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeDiscordServer(WebApplication app, FakeDiscordOptions options, Uri baseUri)
    {
        _app = app;
        Options = options;
        BaseUri = baseUri;
        Snowflakes = new SnowflakeGenerator(options.TimeProvider);
        Gateway = new FakeGateway(this);
        Rest = new FakeRest(this);
        Interactions = new FakeInteractions(this);
    }

    public FakeDiscordOptions Options { get; }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; }

    /// <summary>Use as Discord:ApiBaseUrl.</summary>
    public string ApiBaseUrl => new Uri(BaseUri, "api/v10").ToString();

    /// <summary>What GET /gateway/bot returns.</summary>
    public string GatewayUrl => $"ws://{BaseUri.Authority}/gateway";

    /// <summary>What READY returns as resume_gateway_url (a different path, to prove the client uses it).</summary>
    public string ResumeGatewayUrl => $"ws://{BaseUri.Authority}/resume-gateway";

    public FakeGateway Gateway { get; }

    public FakeRest Rest { get; }

    public FakeInteractions Interactions { get; }

    public SnowflakeGenerator Snowflakes { get; }

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions? options = null)
    {
        options ??= new FakeDiscordOptions();
        DiscordSpec.Preload();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeDiscordServer? server = null;
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(ctx => ctx.Request.Path == "/gateway" || ctx.Request.Path == "/resume-gateway"
            ? server!.Gateway.HandleAsync(ctx)
            : server!.Rest.HandleAsync(ctx));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeDiscordServer(app, options, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    /// <summary>Stops the server. Throws <see cref="DiscordProtocolViolationException"/> when the client sent anything Discord
    /// would reject (see <see cref="FakeRest.Violations"/> and <see cref="FakeGateway.Violations"/>), so the test that caused it fails.</summary>
    public async ValueTask DisposeAsync()
    {
        Gateway.CloseAll();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        var violations = Rest.DrainViolations().Concat(Gateway.DrainViolations()).ToList();
        if (violations.Count > 0)
        {
            throw new DiscordProtocolViolationException(violations);
        }
    }
}

/// <summary>The client under test sent requests Discord would reject.</summary>
public sealed class DiscordProtocolViolationException(IReadOnlyList<string> violations)
    : Exception($"The client sent {violations.Count} request(s) Discord would reject: " + string.Join(" | ", violations.Take(10)))
{
    public IReadOnlyList<string> Violations { get; } = violations;
}
