using System.CommandLine;
using System.Text.Json.Nodes;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera password change</c>: changes your own password and saves the new sign-in the server returns.</summary>
internal static class PasswordCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var stdin = PasswordInput.StdinOption("the current and then the new password");
        var passwords = new PasswordInput(globals, stdin);
        var change = new Command("change", "Change your password (asked on the terminal, or two lines with --password-stdin); other sign-ins end") { stdin };
        change.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var current = passwords.Read(parse, null, "current password: ")!;
            var next = passwords.Read(parse, null, "new password: ")!;
            if (!parse.GetValue(stdin) && passwords.Read(parse, null, "new password again: ") != next)
            {
                throw new CliException("the new passwords do not match; nothing was changed");
            }

            var tokens = await session.Client.ChangePasswordAsync(current, next, cancellationToken).ConfigureAwait(false);
            if (session.UsesSavedSignIn)
            {
                session.SaveSignIn(tokens, session.Saved.Username);
            }

            if (session.Printer.IsData)
            {
                session.Printer.Write(new JsonObject { ["passwordChanged"] = true, ["saved"] = session.UsesSavedSignIn });
            }
            else
            {
                await session.Out.WriteLineAsync(session.UsesSavedSignIn
                    ? $"password changed; your other sign-ins have ended, this one is saved (context {session.ContextName})"
                    : "password changed; your other sign-ins have ended (the new sign-in was not saved: calls used --token or TESSERA_TOKEN)").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return new Command("password", "Your password") { change };
    }
}
