using System.CommandLine;

namespace PaperBot.Cli.Commands;

/// <summary>
/// `completion bash|zsh|pwsh`: prints a shell hook for tab completion. The hook asks PaperBot itself through
/// System.CommandLine's [suggest] directive, so verbs, options and choice values (e.g. --sort) complete from the
/// same declarations the parser uses.
/// </summary>
public sealed class CompletionCommand(CliConsole console) : ICliCommand<CompletionCommand.Input>
{
    public sealed record Input(string Shell);

    private static readonly Dictionary<string, string> Scripts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bash"] = """
            # paperbot bash completion: eval "$(paperbot completion bash)" (e.g. in ~/.bashrc)
            _paperbot_complete() {
                local IFS=$'\n'
                COMPREPLY=($(command paperbot "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
            }
            complete -o default -F _paperbot_complete paperbot
            """,
        ["zsh"] = """
            # paperbot zsh completion: eval "$(paperbot completion zsh)" (e.g. in ~/.zshrc, after compinit)
            _paperbot_complete() {
                local -a items
                items=("${(@f)$(command paperbot "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
                compadd -- ${items:#}
            }
            compdef _paperbot_complete paperbot
            """,
        ["pwsh"] = """
            # paperbot PowerShell completion: paperbot completion pwsh | Out-String | Invoke-Expression (e.g. in $PROFILE)
            Register-ArgumentCompleter -Native -CommandName paperbot -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                paperbot "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
    };

    public static CliVerb Define()
    {
        var shell = CliOptions.One("shell", "bash, zsh or pwsh");
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        return CliVerb.For<CompletionCommand, Input>("completion", "Print the tab-completion hook for bash, zsh or pwsh.",
            [shell], r => new Input(r.GetValue(shell)!), usesHost: false);
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        await console.Out.WriteLineAsync(Scripts[input.Shell]);
        return 0;
    }
}
