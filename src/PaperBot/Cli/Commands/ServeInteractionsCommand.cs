using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PaperBot.Bot.Scaling;
using PaperBot.Interactions;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `paperbot serve-interactions --urls http://127.0.0.1:PORT`: an interactions-only process. It hosts Discord's
/// Interactions Endpoint on Kestrel (behind a TLS-terminating proxy) and answers slash commands and buttons with the same
/// handlers as `run`, on the shared store; it opens no gateway connection and runs no scheduled work. Runs until Ctrl+C.
/// </summary>
public sealed class ServeInteractionsCommand(IServiceProvider services, CliConsole console) : ICliCommand<ServeInteractionsCommand.Input>
{
    public sealed record Input(IReadOnlyList<string> Urls);

    public static CliVerb Define()
    {
        var urls = CliOptions.Text("--urls", "Where to listen, e.g. http://127.0.0.1:8080 (several separated by ';'); default http://127.0.0.1:8080", "URLS");
        return CliVerb.For<ServeInteractionsCommand, Input>("serve-interactions",
            "Serve Discord's Interactions Endpoint over HTTP until Ctrl+C (needs PAPERBOT_Discord__Token and Discord:PublicKey).",
            [urls], r => new Input(Parse(r.GetValue(urls))));
    }

    private static IReadOnlyList<string> Parse(string? value)
    {
        var list = (value ?? "http://127.0.0.1:8080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in list)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new CliUsageException($"--urls: '{url}' is not an http:// URL (TLS is the proxy's job), e.g. http://127.0.0.1:8080");
            }
        }

        return list;
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        services.GetRequiredService<BotProcessRole>().UseInteractionsOnly();
        var host = services.GetRequiredService<IHost>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, RunCommand.MinWorkerThreads), io);
        if (services.GetService<Microsoft.Extensions.Options.IAsyncStartupValidator>() is { } validator)
        {
            await validator.ValidateAsync(cancellationToken);
        }

        // resolves the endpoint (and checks Discord:PublicKey) before anything listens
        _ = services.GetRequiredService<InteractionsEndpoint>();
        await host.StartAsync(cancellationToken);
        InteractionsEndpointServer server;
        try
        {
            server = await InteractionsEndpointServer.StartAsync(services, input.Urls, cancellationToken);
        }
        catch (IOException ex)
        {
            await host.StopAsync(CancellationToken.None);
            throw new UserFacingException($"cannot listen on {string.Join(", ", input.Urls)}: {ex.Message}", ex);
        }

        await using (server)
        {
            await console.Error.WriteLineAsync($"PaperBot interactions endpoint on {string.Join(", ", server.Addresses)}. Press Ctrl+C to stop.");
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStopping.Register(() => stop.TrySetResult()))
            using (cancellationToken.Register(() => stop.TrySetResult()))
            {
                await stop.Task;
            }
        }

        await host.StopAsync(CancellationToken.None);
        await console.Error.WriteLineAsync("PaperBot interactions endpoint stopped.");
        return 0;
    }
}
