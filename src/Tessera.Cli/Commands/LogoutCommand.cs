using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera logout --refresh-token T</c>: revokes the sign-in that refresh token belongs to.</summary>
internal static class LogoutCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var refreshToken = new Option<string>("--refresh-token")
        {
            Description = "The refresh token of the sign-in to end (from login --output json)",
            Required = true,
        };
        var command = new Command("logout", "Sign out: revoke a sign-in's refresh tokens (access tokens expire on their own)") { refreshToken };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            await session.Client.LogoutAsync(parse.GetRequiredValue(refreshToken), cancellationToken).ConfigureAwait(false);
            await session.Out.WriteLineAsync(session.Format == OutputFormat.Json ? "{\"signedOut\":true}" : "signed out").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
