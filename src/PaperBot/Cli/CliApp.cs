using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Hosting;

namespace PaperBot.Cli;

/// <summary>
/// Entry point. Declares the verbs (<see cref="CliVerbs"/>) on a System.CommandLine root, parses, and runs the chosen
/// verb; only a verb that runs builds the host. Exit codes: 0 success, 1 error, 2 usage, 3 configuration, 4 fatal
/// gateway close (run), 130 Ctrl+C, 143 SIGTERM. Errors are one line on stderr ("error: …" / "configuration error: …").
/// </summary>
public static class CliApp
{
    public const int Usage = 2;
    public const int ConfigurationError = 3;
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM (`kill`, `systemctl stop`, `timeout`): 128 + 15, as a shell reports it.</summary>
    public const int Terminated = 143;

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, Action<IHostApplicationBuilder>? configure = null)
    {
        var console = new CliConsole(stdout ?? Console.Out, stderr ?? Console.Error);
        var db = CliOptions.Db();
        var config = CliOptions.Config();
        var readOnly = CliOptions.ReadOnly();
        var root = new RootCommand("PaperBot: a research-paper assistant for Discord (search, answers with citations, daily trending posts).")
        {
            db,
            config,
            readOnly,
        };
        root.SetAction(ShowHelp);
        var runtime = new Runtime(console, db, config, readOnly, configure);
        foreach (var verb in CliVerbs.All())
        {
            root.Add(ToCommand(verb, runtime));
        }

        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            return await ReportUsageErrorAsync(parsed, console.Error);
        }

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM stops a verb the way Ctrl+C does (an ingest finishes its batch and prints what it stored), instead of
        // ending the process mid-write; `run` also stops through its host's lifetime. Exit 143 rather than 130.
        var terminated = 0;
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            Interlocked.Exchange(ref terminated, 1);
            cts.Cancel();
        });
        try
        {
            var code = await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                // Ctrl+C and SIGTERM are handled here (exit 130 / 143, and `run` waits for work in flight), not by a fixed timeout.
                ProcessTerminationTimeout = null,
            }, cts.Token);
            return code == Cancelled && Volatile.Read(ref terminated) == 1 ? Terminated : code;
        }
        catch (CliUsageException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}");
            return Usage;
        }
        catch (ConfigurationErrorException ex)
        {
            await console.Error.WriteLineAsync($"configuration error: {ex.Message}");
            return ConfigurationError;
        }
        catch (OptionsValidationException ex)
        {
            await console.Error.WriteLineAsync($"configuration error: {string.Join("; ", ex.Failures)}");
            return ConfigurationError;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            var byTerm = Volatile.Read(ref terminated) == 1;
            await console.Error.WriteLineAsync(byTerm ? "terminated (SIGTERM)" : "cancelled");
            return byTerm ? Terminated : Cancelled;
        }
        catch (PaperBot.Core.Papers.PaperStoreException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (UserFacingException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private sealed record Runtime(CliConsole Console, Option<string?> Db, Option<string?> Config, Option<bool> ReadOnly, Action<IHostApplicationBuilder>? Configure);

    private static Command ToCommand(CliVerb verb, Runtime rt)
    {
        var command = new Command(verb.Name, verb.Description);
        foreach (var s in verb.Symbols)
        {
            switch (s)
            {
                case Argument a:
                    command.Add(a);
                    break;
                case Option o:
                    command.Add(o);
                    break;
            }
        }

        foreach (var child in verb.Children)
        {
            command.Add(ToCommand(child, rt));
        }

        if (verb.IsGroup)
        {
            command.SetAction(async (r, _) =>
            {
                await rt.Console.Error.WriteLineAsync(
                    $"error: 'paperbot {verb.Name}' needs a command: {string.Join(", ", verb.Children.Select(c => c.Name))}\nRun 'paperbot {verb.Name} --help' for usage.");
                return Usage;
            });
            return command;
        }

        command.SetAction((r, ct) => RunVerbAsync(verb, r, rt, ct));
        return command;
    }

    private static async Task<int> RunVerbAsync(CliVerb verb, ParseResult parsed, Runtime rt, CancellationToken ct)
    {
        // Arguments first: a usage error never builds the host or touches the database.
        var input = verb.Bind(parsed);
        if (!verb.UsesHost)
        {
            await using var light = new ServiceCollection().AddSingleton(rt.Console).AddSingleton(TimeProvider.System).BuildServiceProvider();
            return await verb.RunAsync(light, input, ct);
        }

        // Before the host (and its console logger) exists: on a terminal, stderr is drawn through Spectre.
        using var live = LiveStderr.Install(rt.Console);
        using var host = PaperBotHost.Build(new PaperBotHostArgs(parsed.GetValue(rt.Db), parsed.GetValue(rt.Config), parsed.GetValue(rt.ReadOnly)), rt.Console, rt.Configure);
        try
        {
            return await verb.RunAsync(host.Services, input, ct);
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex, host.Services.GetRequiredService<IConfiguration>()) is { } message)
        {
            throw new ConfigurationErrorException(message, ex);
        }
    }

    private static int ShowHelp(ParseResult parsed)
    {
        new HelpAction().Invoke(parsed);
        return 0;
    }

    /// <summary>
    /// A usage error, one line ("unknown command 'x'", "unknown option --y", "--top must be …"), then the parser's typo
    /// suggestions and where to find the usage. The first unknown word is reported: what follows it is usually its value.
    /// </summary>
    private static async Task<int> ReportUsageErrorAsync(ParseResult parsed, TextWriter error)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed.CommandResult);
        if (parsed.UnmatchedTokens.Count > 0)
        {
            var token = parsed.UnmatchedTokens[0];
            var what = token.StartsWith('-') ? $"unknown option {token}"
                : command is RootCommand || command.Subcommands.Count > 0 ? $"unknown command '{token}'"
                : $"unexpected argument '{token}'";
            await error.WriteLineAsync($"error: {what}");
            if (TypoSuggestions(parsed, token) is { Count: > 0 } suggestions)
            {
                await error.WriteLineAsync(suggestions.Count == 1
                    ? $"Did you mean '{suggestions[0]}'?"
                    : $"Did you mean one of: {string.Join(", ", suggestions)}?");
            }
        }
        else
        {
            foreach (var e in parsed.Errors.Select(e => e.Message).Distinct())
            {
                await error.WriteLineAsync($"error: {e}");
            }
        }

        await error.WriteLineAsync($"Run '{path} --help' for usage.");
        return Usage;
    }

    /// <summary>The parser's own typo corrections (System.CommandLine's ParseErrorAction) for one unknown token.</summary>
    private static List<string> TypoSuggestions(ParseResult parsed, string token)
    {
        if (parsed.Action is not ParseErrorAction action)
        {
            return [];
        }

        action.ShowHelp = false;
        action.ShowTypoCorrections = true;
        var captured = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = captured, Error = TextWriter.Null, EnableDefaultExceptionHandler = false });
        // Output: "'<token>' was not matched. Did you mean one of the following?" then one suggestion per line.
        var lines = captured.ToString().ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith($"'{token}'", StringComparison.Ordinal));
        return start < 0 ? [] : lines.Skip(start + 1).TakeWhile(l => l.Length > 0 && !l.StartsWith('\'')).Select(l => l.Trim()).ToList();
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c && c.Command is not RootCommand)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return string.Join(' ', ["paperbot", .. names]);
    }
}

/// <summary>A bad setting or settings file, already phrased for the user (file and key): exit code 3.</summary>
public sealed class ConfigurationErrorException(string message, Exception? inner = null) : Exception(message, inner);
