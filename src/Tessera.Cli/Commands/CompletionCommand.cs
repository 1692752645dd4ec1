using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera completion bash|zsh|fish</c>: prints a script that completes commands, options and their values by
/// asking <c>tessera</c> itself through System.CommandLine's <c>[suggest:POSITION]</c> directive, so the
/// completions always match the installed version.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script, e.g. 'source <(tessera completion bash)' in ~/.bashrc") { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(Script(parse.GetRequiredValue(shell)));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Script(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh or fish"),
    };

    // The directive takes the cursor's position in the line after "tessera ".
    private const string Bash = """
        # tessera completion for bash: source <(tessera completion bash)
        _tessera_complete() {
            local line="${COMP_LINE#* }" position=$(( COMP_POINT - ${#COMP_LINE} + ${#COMP_LINE#* } ))
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$(tessera "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _tessera_complete tessera

        """;

    private const string Zsh = """
        #compdef tessera
        # tessera completion for zsh: source <(tessera completion zsh)
        _tessera() {
            local line="${BUFFER#* }" position=$(( CURSOR - ${#BUFFER} + ${#${BUFFER#* }} ))
            local -a suggestions
            suggestions=( ${(f)"$(tessera "[suggest:${position}]" "${line}" 2>/dev/null)"} )
            compadd -a suggestions
        }
        compdef _tessera tessera

        """;

    private const string Fish = """
        # tessera completion for fish: tessera completion fish | source
        function __tessera_complete
            set -l line (string replace -r '^\S+\s+' '' -- (commandline -cp))
            tessera "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c tessera -f -a '(__tessera_complete)'

        """;
}
