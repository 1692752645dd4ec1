using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera auth token</c>: prints the saved access token (refreshed if it was about to expire), for scripts.</summary>
internal static class AuthCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var token = new Command("token", "Print the access token of the saved sign-in (refreshed first if it is about to expire)");
        token.SetSessionAction(globals, async (session, _, _) =>
        {
            if (session.Client.AccessToken is not { Length: > 0 } accessToken)
            {
                throw new CliException($"context {session.ContextName} has no saved sign-in: run 'tessera login'");
            }

            await session.Out.WriteLineAsync(accessToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("auth", "The saved sign-in") { token };
    }
}
