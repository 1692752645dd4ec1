using System.CommandLine;
using System.Text.Json.Nodes;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera logout</c>: revokes the saved sign-in on the server and removes it from the context.</summary>
internal static class LogoutCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var refreshToken = new Option<string?>("--refresh-token")
        {
            Description = "Revoke this sign-in instead of the saved one (a refresh token from login -o json)",
            HelpName = "token",
        };
        var command = new Command("logout", "Sign out: revoke the saved sign-in on the server and forget it") { refreshToken };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            if (parse.GetValue(refreshToken) is { Length: > 0 } given)
            {
                await session.Client.LogoutAsync(given, cancellationToken).ConfigureAwait(false);
            }
            else if (session.Saved.SignedIn)
            {
                if (session.Saved.RefreshToken is { Length: > 0 } saved)
                {
                    await session.Client.LogoutAsync(saved, cancellationToken).ConfigureAwait(false);
                }

                session.SaveSession(session.Saved.SignedOut());
            }
            else
            {
                throw new CliException($"context {session.ContextName} has no saved sign-in to sign out of");
            }

            if (session.Printer.IsData)
            {
                session.Printer.Write(new JsonObject { ["signedOut"] = true, ["context"] = session.ContextName });
            }
            else
            {
                await session.Out.WriteLineAsync($"signed out (context {session.ContextName})").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }, refreshSignIn: false);
        return command;
    }
}
