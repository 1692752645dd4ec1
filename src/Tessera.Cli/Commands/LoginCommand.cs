using System.CommandLine;
using System.Globalization;
using Tessera.Contracts.Auth.V1;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera login --username U</c>: signs in and saves the session (tokens, address, TLS files) into the current
/// or <c>--context</c> context of the config file, which every later command uses. Prints the token pair only with
/// <c>-o json</c>/<c>-o yaml</c>; <c>tessera auth token</c> prints the access token for scripts.
/// </summary>
internal static class LoginCommand
{
    public const string PasswordVariable = "TESSERA_PASSWORD";

    public static Command Create(GlobalOptions globals)
    {
        var username = new Option<string>("--username", "-u") { Description = "Your username or email", Required = true };
        var password = new Option<string?>("--password")
        {
            Description = $"Your password (else --password-stdin, else env {PasswordVariable}, else asked for on the terminal without echo)",
        };
        var stdin = PasswordInput.StdinOption("the password");
        var passwords = new PasswordInput(globals, stdin);
        var command = new Command("login", "Sign in and save the session for later commands (see 'tessera context')") { username, password, stdin };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var secret = passwords.Read(parse, parse.GetValue(password), "password: ", PasswordVariable)!;
            var name = parse.GetRequiredValue(username);
            var tokens = await session.Client.LoginAsync(name, secret, cancellationToken).ConfigureAwait(false);
            session.SaveSignIn(tokens, name);
            if (session.Printer.IsData)
            {
                session.Printer.Write(tokens);
            }
            else
            {
                await session.Out.WriteLineAsync(SignedIn(session, name, tokens)).ConfigureAwait(false);
            }

            if (tokens.PasswordChangeRequired)
            {
                await session.Error.WriteLineAsync(PasswordChangeHint).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }, refreshSignIn: false);
        return command;
    }

    public const string PasswordChangeHint = "an admin requires a new password before anything else: run 'tessera password change'";

    private static string SignedIn(CliSession session, string username, TokenPair tokens)
    {
        var roles = tokens.Roles.Count > 0 ? string.Join(", ", tokens.Roles) : "no roles";
        var until = tokens.RefreshTokenExpiresAt?.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture);
        return $"signed in to {session.ClientOptions.Address} as {username} (user {tokens.UserId}, {roles})" +
            (until is null ? "" : $" until {until}") +
            $"; saved to {session.ConfigPath} (context {session.ContextName})";
    }
}
