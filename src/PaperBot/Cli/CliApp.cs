using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Hosting;

namespace PaperBot.Cli;

/// <summary>Entry point: builds the host, finds the verb, runs it. Errors go to stderr with a non-zero exit.</summary>
public static class CliApp
{
    /// <summary>Options that take no value, for every command.</summary>
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "json", "help", "verbose", "no-progress", "force", "read-only", "replace",
    };

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, Action<IHostApplicationBuilder>? configure = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        CliArgs parsed;
        try
        {
            parsed = CliArgs.Parse(args, Flags);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using var host = PaperBotHost.Build(parsed, stdout, stderr, configure);
            var commands = host.Services.GetServices<ICliCommand>().ToList();
            var (command, consumed) = Match(commands, parsed.Positionals);
            if (command is null || parsed.Has("help") && parsed.Positionals.Count == 0)
            {
                await PrintHelpAsync(commands, parsed.Positionals, stdout, stderr, command is null && parsed.Positionals.Count > 0);
                return parsed.Positionals.Count == 0 ? 0 : 2;
            }

            parsed.Positionals.RemoveRange(0, consumed);
            if (parsed.Has("help"))
            {
                await stdout.WriteLineAsync($"usage: paperbot {command.Usage}\n\n{command.Summary}");
                return 0;
            }

            return await command.ExecuteAsync(parsed, cts.Token);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"configuration error: {string.Join("; ", ex.Failures)}");
            return 3;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("cancelled");
            return 130;
        }
        catch (PaperBot.Core.Papers.PaperStoreException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (UserFacingException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static (ICliCommand? Command, int Consumed) Match(IReadOnlyList<ICliCommand> commands, IReadOnlyList<string> positionals)
    {
        // Longest verb first, so "eval beir" wins over a hypothetical "eval".
        foreach (var c in commands.OrderByDescending(c => c.Name.Count(ch => ch == ' ')))
        {
            var words = c.Name.Split(' ');
            if (positionals.Count >= words.Length &&
                words.Select((w, i) => string.Equals(w, positionals[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
            {
                return (c, words.Length);
            }
        }

        return (null, 0);
    }

    private static async Task PrintHelpAsync(IEnumerable<ICliCommand> commands, IReadOnlyList<string> positionals, TextWriter stdout, TextWriter stderr, bool unknown)
    {
        var w = unknown ? stderr : stdout;
        if (unknown)
        {
            await w.WriteLineAsync($"error: unknown command '{string.Join(' ', positionals)}'\n");
        }

        await w.WriteLineAsync("usage: paperbot [--db PATH] <command> [options]\n\ncommands:");
        foreach (var c in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            await w.WriteLineAsync($"  {c.Name,-16} {c.Summary}");
        }

        await w.WriteLineAsync("\nRun 'paperbot <command> --help' for a command's options.");
    }
}

/// <summary>An error whose message is meant for the user as is (no stack trace).</summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
