using System.CommandLine;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata completion bash|zsh|fish|pwsh</c>: a shell completion script. Each script asks
/// strata itself through System.CommandLine's suggest directive (<c>strata "[suggest:N]" "LINE"</c>),
/// so completions always match the installed version's commands and options.
/// </summary>
public static class CompletionCommand
{
    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh, fish or pwsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish", "pwsh");
        var command = new Command("completion", "Print a shell completion script (e.g. source <(strata completion bash) in ~/.bashrc)") { shell };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await context.Output.WriteAsync(Script(parse.GetValue(shell)!));
            return ExitCodes.Done;
        });
        Rendering.CommandHelp.Register(command,
            ["source <(strata completion bash)          # in ~/.bashrc", "strata completion zsh > \"${fpath[1]}/_strata\"", "strata completion fish > ~/.config/fish/completions/strata.fish",
             "strata completion pwsh >> $PROFILE"], null);
        return command;
    }

    // The directive takes the line without the program name and the cursor position in it.
    private static string Script(string shell) => shell switch
    {
        "bash" => """
            # strata completion for bash: source <(strata completion bash)
            _strata_complete()
            {
                local line="" point=0
                if [[ "$COMP_LINE" == *" "* ]]; then
                    line="${COMP_LINE#* }"
                    point=$(( COMP_POINT - ${#COMP_LINE} + ${#line} ))
                fi
                local IFS=$'\n'
                COMPREPLY=( $(compgen -W "$(strata "[suggest:${point}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
            }
            complete -o default -F _strata_complete strata

            """,
        "zsh" => """
            #compdef strata
            # strata completion for zsh: strata completion zsh > "${fpath[1]}/_strata"
            _strata() {
                local line="" point=0
                if [[ "$BUFFER" == *" "* ]]; then
                    line="${BUFFER#* }"
                    point=$(( CURSOR - ${#BUFFER} + ${#line} ))
                fi
                local -a suggestions
                suggestions=("${(@f)$(strata "[suggest:${point}]" "${line}" 2>/dev/null)}")
                compadd -a suggestions
            }
            compdef _strata strata

            """,
        "fish" => """
            # strata completion for fish: strata completion fish > ~/.config/fish/completions/strata.fish
            function __strata_complete
                set -l rest (string replace -r '^\S+\s*' '' -- (commandline -cp))
                strata "[suggest:"(string length -- "$rest")"]" "$rest" 2>/dev/null
            end
            complete -c strata -f -a '(__strata_complete)'

            """,
        _ => """
            # strata completion for PowerShell: strata completion pwsh >> $PROFILE
            Register-ArgumentCompleter -Native -CommandName strata -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $line = $commandAst.ToString()
                $name = $commandAst.CommandElements[0].Extent.Text
                $rest = $line.Substring([Math]::Min($line.Length, $name.Length)).TrimStart()
                $point = $cursorPosition - $commandAst.Extent.StartOffset - ($line.Length - $rest.Length)
                strata "[suggest:$point]" "$rest" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
    };
}
