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

                if (TlsHint(e, parse, globals) is { } hint)
                {
                    await error.WriteLineAsync($"  ({hint})").ConfigureAwait(false);
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

    /// <summary>What to check when a call failed in the TLS handshake: the server's certificate, or a missing client certificate.</summary>
    private static string? TlsHint(TesseraException e, ParseResult parse, GlobalOptions globals)
    {
        // grpc-dotnet keeps the transport's exception in the status (DebugException), not as an inner exception.
        for (Exception? inner = e; inner is not null; inner = inner is Grpc.Core.RpcException rpc ? rpc.Status.DebugException : inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return "the server's certificate was not accepted: --ca must name the CA that signed it, and --address a name it is for";
            }
        }

        return e is UnavailableException && parse.GetValue(globals.Address) is { } address
            && address.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && parse.GetValue(globals.Certificate) is null
            ? "if the server requires client certificates (mTLS), give --cert and --key"
            : null;
    }
}
