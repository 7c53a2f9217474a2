using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Handlers;
using PaperBot.Hosting;
using PaperBot.Ingestion;
using Spectre.Console;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `paperbot run`: starts the generic host (gateway, slash commands, chat, daily digest, subscriptions) and runs until
/// Ctrl+C. Missing settings fail start-up through options validation ("configuration error: …", exit 3); a fatal gateway
/// close (e.g. 4014, Message Content intent not enabled) prints what to fix and exits 4.
/// </summary>
public sealed class RunCommand(IServiceProvider services, CliConsole console) : ICliCommand<RunCommand.Input>
{
    public const int FatalGatewayExitCode = 4;

    /// <summary>Thread-pool floor while the bot runs (default is the core count, which starves under blocking DB calls).</summary>
    public const int MinWorkerThreads = 32;

    public sealed record Input;

    public static CliVerb Define() => CliVerb.For<RunCommand, Input>("run",
        "Run the Discord bot until Ctrl+C (needs PAPERBOT_Discord__Token and Discord:ApplicationId).", [], _ => new Input());

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        var host = services.GetRequiredService<IHost>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var state = services.GetRequiredService<BotRunState>();

        // Storage and search calls are synchronous; extra pool threads keep interaction deferrals fast while LLM work runs.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), io);
        // Settings first (what to set is printed, exit 3), before anything touches the database.
        if (services.GetService<IAsyncStartupValidator>() is { } validator)
        {
            await validator.ValidateAsync(cancellationToken);
        }

        // First run on an empty database: start from the bundled sample corpus so questions have something to cite.
        await services.GetRequiredService<SampleCorpusLoader>().EnsureSampleLoadedAsync(cancellationToken);
        await host.StartAsync(cancellationToken);
        await console.Error.WriteLineAsync("PaperBot is running. Press Ctrl+C to stop.");
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStopping.Register(() => stop.TrySetResult()))
        using (cancellationToken.Register(() => stop.TrySetResult()))
        {
            if (console.IsInteractive)
            {
                await ShowStatusAsync(stop.Task);
            }
            else
            {
                await stop.Task;
            }
        }

        await host.StopAsync(CancellationToken.None);
        if (state.Fatal is { } fatal)
        {
            await console.Error.WriteLineAsync($"error: {fatal.Message}");
            return FatalGatewayExitCode;
        }

        await console.Error.WriteLineAsync("PaperBot stopped.");
        return 0;
    }

    /// <summary>A live status line on the terminal (gateway state, guilds, questions answered today) until stopped.</summary>
    private async Task ShowStatusAsync(Task stopped)
    {
        var status = services.GetRequiredService<RunStatus>();
        var time = services.GetRequiredService<TimeProvider>();
        await console.RichError.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status.Describe()), async ctx =>
        {
            while (!stopped.IsCompleted)
            {
                ctx.Status(Markup.Escape(status.Describe()));
                await Task.WhenAny(stopped, Task.Delay(StatusRefresh, time));
            }
        });
    }

    private static readonly TimeSpan StatusRefresh = TimeSpan.FromSeconds(1);
}
