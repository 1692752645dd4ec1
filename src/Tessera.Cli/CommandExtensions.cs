using System.CommandLine;
using Tessera.Cli.Output;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>Runs a command's action inside a <see cref="CliSession"/>, turning failures into messages and exit codes.</summary>
internal static class CommandExtensions
{
    public const string TokenExpiredReason = "TOKEN_EXPIRED";

    /// <param name="refreshSignIn">
    /// False for commands that do not call with the access token (login, logout): they never refresh the saved sign-in
    /// first, so an ended sign-in cannot stop them.
    /// </param>
    public static void SetSessionAction(this Command command, GlobalOptions globals, Func<CliSession, ParseResult, CancellationToken, Task<int>> action, bool refreshSignIn = true) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var format = parse.GetValue(globals.Output);
            CliSession? session = null;
            try
            {
                session = await CliSession.OpenAsync(parse, globals, refreshSignIn, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await action(session, parse, cancellationToken).ConfigureAwait(false);
                }
                catch (UnauthenticatedException e) when (e.Reason == TokenExpiredReason && session.UsesSavedSignIn)
                {
                    // The saved token expired sooner than its saved expiry said (clock skew): refresh once and run again.
                    await session.RefreshAsync(cancellationToken).ConfigureAwait(false);
                    return await action(session, parse, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TesseraException e)
            {
                var address = session?.ClientOptions.Address ?? parse.GetValue(globals.Address) ?? "";
                var hints = ConnectionHints.For(e, address, session?.ClientOptions.ClientCertificatePath is not null).ToList();
                if (e.Reason is TokenExpiredReason or "TOKEN_MISSING")
                {
                    hints.Add("sign in: tessera login");
                }
                else if (e.Reason == "PASSWORD_CHANGE_REQUIRED")
                {
                    hints.Add(Commands.LoginCommand.PasswordChangeHint);
                }

                ErrorPrinter.Write(error, e, format, hints);
                return ExitCodes.For(e.StatusCode);
            }
            catch (CliException e)
            {
                ErrorPrinter.Write(error, e.Message, format);
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            finally
            {
                session?.Dispose();
            }
        });
}
