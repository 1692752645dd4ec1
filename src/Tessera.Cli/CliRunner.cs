using System.CommandLine;

namespace Tessera.Cli;

/// <summary>Parses and invokes the command line; a usage error exits with <see cref="ExitCodes.Usage"/>.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration? configuration = null)
    {
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync(configuration).ConfigureAwait(false);
        return parse.Errors.Count > 0 ? ExitCodes.Usage : code;
    }
}
