using System.CommandLine;
using Tessera.Cli.Output;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera login --username U</c>: signs in and prints the access token alone (so
/// <c>export TESSERA_TOKEN=$(tessera login ...)</c> works), or the whole token pair with <c>--output json</c>.
/// </summary>
internal static class LoginCommand
{
    public const string PasswordVariable = "TESSERA_PASSWORD";

    public static Command Create(GlobalOptions globals)
    {
        var username = new Option<string>("--username", "-u") { Description = "Your username or email", Required = true };
        var password = new Option<string?>("--password")
        {
            Description = $"Your password (else env {PasswordVariable}, else asked for on the terminal without echo)",
        };
        var command = new Command("login", "Sign in; prints the access token (with --output json, the access and refresh tokens)") { username, password };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var secret = parse.GetValue(password) is { Length: > 0 } given ? given
                : Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } env ? env
                : globals.PromptPassword("password: ")
                  ?? throw new CliException($"no password: give --password, set {PasswordVariable}, or run in a terminal to be asked");
            var tokens = await session.Client.LoginAsync(parse.GetRequiredValue(username), secret, cancellationToken).ConfigureAwait(false);
            if (session.Format == OutputFormat.Json)
            {
                await session.Out.WriteLineAsync(ProtoJson.Format(tokens)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await session.Out.WriteLineAsync(tokens.AccessToken).ConfigureAwait(false);
            var roles = tokens.Roles.Count > 0 ? string.Join(", ", tokens.Roles) : "no roles";
            var expires = tokens.AccessTokenExpiresAt?.ToDateTimeOffset().ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            await session.Error.WriteLineAsync(
                $"signed in as user {tokens.UserId} ({roles}); the token expires {expires}; --output json shows the refresh token too").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
