using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>Runs a command's action inside a <see cref="CliSession"/>, turning failures into messages and exit codes.</summary>
internal static class CommandExtensions
{
    public static void SetSessionAction(this Command command, GlobalOptions globals, Func<CliSession, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var session = CliSession.Open(parse, globals);
                return await action(session, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (TesseraException e)
            {
                ErrorPrinter.Write(error, e);
                if (e is UnavailableException)
                {
                    await error.WriteLineAsync($"  (is the server running at {parse.GetValue(globals.Address)}?)").ConfigureAwait(false);
                }

                return ExitCodes.Failed;
            }
            catch (CliException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
        });
}
