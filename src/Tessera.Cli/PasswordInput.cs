using System.CommandLine;

namespace Tessera.Cli;

/// <summary>
/// Where a command's passwords come from: an option, <c>--password-stdin</c> (one line each, in the order asked),
/// an environment variable, or the terminal (asked without echo).
/// </summary>
internal sealed class PasswordInput(GlobalOptions globals, Option<bool> fromStdin)
{
    public static Option<bool> StdinOption(string what) => new("--password-stdin")
    {
        Description = $"Read {what} from standard input, one line each (for scripts; keeps passwords out of the process list)",
    };

    /// <summary>
    /// The password: <paramref name="given"/>, else a line of standard input with --password-stdin, else
    /// <paramref name="variable"/>'s value, else asked on the terminal with <paramref name="prompt"/>; null when
    /// none of those has one and <paramref name="required"/> is false.
    /// </summary>
    public string? Read(ParseResult parse, string? given, string prompt, string? variable = null, bool required = true)
    {
        if (given is { Length: > 0 })
        {
            return given;
        }

        if (parse.GetValue(fromStdin))
        {
            return globals.Input.ReadLine() is { Length: > 0 } line
                ? line
                : throw new CliException($"--password-stdin: standard input ended before the {prompt.TrimEnd(':', ' ')}");
        }

        if (variable is not null && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } env)
        {
            return env;
        }

        if (!required)
        {
            return null;
        }

        var where = variable is null ? "" : $", set {variable}";
        return globals.PromptPassword(prompt)
            ?? throw new CliException($"no {prompt.TrimEnd(':', ' ')}: give --password-stdin{where}, or run in a terminal to be asked");
    }
}
