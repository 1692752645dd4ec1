using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessera.Cli.Editing;
using Tessera.Cli.Import;
using Tessera.Cli.Output;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera users ...</c>: create, get, update, delete, list, search, watch, set-password, import.</summary>
internal static class UsersCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var users = new Command("users", "Create, read, change, list and watch users");
        users.Subcommands.Add(CreateCommand(globals));
        users.Subcommands.Add(GetCommand(globals));
        users.Subcommands.Add(UpdateCommand(globals));
        users.Subcommands.Add(DeleteCommand(globals));
        users.Subcommands.Add(ListCommand(globals));
        users.Subcommands.Add(SearchCommand(globals));
        users.Subcommands.Add(WatchCommand(globals));
        users.Subcommands.Add(SetPasswordCommand(globals));
        users.Subcommands.Add(ImportCommand.Create(globals));
        return users;
    }

    private static Argument<string> UserArgument() => new("user") { Description = "The user's id, username or email" };

    private static Option<string[]> RolesOption(string description) => new("--roles", "--role")
    {
        Description = description,
        HelpName = "a,b",
    };

    private static Command CreateCommand(GlobalOptions globals)
    {
        var username = new Option<string>("--username") { Description = "3-32 of letters, digits, '.', '_', '-'", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email address", Required = true };
        var password = new Option<string?>("--password") { Description = "8-128 characters; stored only as a hash (or --password-stdin)" };
        var stdin = PasswordInput.StdinOption("the password");
        var passwords = new PasswordInput(globals, stdin);
        var fullName = new Option<string?>("--full-name") { Description = "The user's full name" };
        var roles = RolesOption("Roles to grant, comma-separated");
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key: a retried create with the same key returns the first result" };
        var command = new Command("create", "Create a user") { username, email, password, stdin, fullName, roles, requestId };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var secret = passwords.Read(parse, parse.GetValue(password), "password: ", required: false);
            var request = new CreateUserRequest
            {
                Username = parse.GetRequiredValue(username),
                Email = parse.GetRequiredValue(email),
                Password = secret ?? "",
                FullName = parse.GetValue(fullName) ?? "",
                RequestId = parse.GetValue(requestId) ?? "",
                Roles = { RoleList.Parse(parse.GetValue(roles)) ?? [] },
            };
            var response = await session.Client.CreateUserAsync(request, cancellationToken).ConfigureAwait(false);
            if (!session.Printer.IsData && response.Message.Length > 0)
            {
                await session.Out.WriteLineAsync(response.Message).ConfigureAwait(false);
            }

            WriteUser(session, response.User ?? new User());
            if (secret is null)
            {
                await session.Error.WriteLineAsync(
                    $"warning: {request.Username} has no password and cannot sign in until one is set: tessera users set-password {request.Username}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command GetCommand(GlobalOptions globals)
    {
        var user = UserArgument();
        var command = new Command("get", "Show one user") { user };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            WriteUser(session, await UserReference.GetAsync(session.Client, parse.GetRequiredValue(user), cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command UpdateCommand(GlobalOptions globals)
    {
        var user = UserArgument();
        var username = new Option<string?>("--username") { Description = "A new username" };
        var email = new Option<string?>("--email") { Description = "A new email address" };
        var fullName = new Option<string?>("--full-name") { Description = "A new full name (\"\" clears it)" };
        var active = new Option<bool?>("--active") { Description = "Activate (true) or deactivate (false) the user", HelpName = "true|false" };
        var roles = RolesOption("Replace the user's roles with these, comma-separated (\"\" removes all)");
        var etag = new Option<string?>("--etag") { Description = "Update only if the user's etag still matches (else ABORTED)" };
        var command = new Command("update", "Change the given fields of a user (the update mask is the options given)") { user, username, email, fullName, active, roles, etag };

        UserChanges Changes(Func<Option<string?>, string?> text, bool? isActive, string[]? roleValues) =>
            new(text(username), text(email), text(fullName), isActive, RoleList.Parse(roleValues));

        command.Validators.Add(result =>
        {
            if (Changes(result.GetValue, result.GetValue(active), result.GetResult(roles) is null ? null : result.GetValue(roles)).IsEmpty)
            {
                result.AddError("nothing to update: give at least one of --username, --email, --full-name, --active, --roles");
            }
        });
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var changes = Changes(parse.GetValue, parse.GetValue(active), parse.GetResult(roles) is null ? null : parse.GetValue(roles));
            var id = await UserReference.IdAsync(session.Client, parse.GetRequiredValue(user), cancellationToken).ConfigureAwait(false);
            WriteUser(session, await session.Client.UpdateUserAsync(changes.ToRequest(id, parse.GetValue(etag)), cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteCommand(GlobalOptions globals)
    {
        var user = UserArgument();
        var etag = new Option<string?>("--etag") { Description = "Delete only if the user's etag still matches (else ABORTED)" };
        var yes = YesOption();
        var command = new Command("delete", "Delete a user (asks first on a terminal; --yes skips that)") { user, etag, yes };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var reference = parse.GetRequiredValue(user);
            long userId;
            if (parse.GetValue(yes))
            {
                userId = await UserReference.IdAsync(session.Client, reference, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var target = await UserReference.GetAsync(session.Client, reference, cancellationToken).ConfigureAwait(false);
                Confirm(globals, session, $"delete user {target.Id} ({target.Username}, {target.Email})?");
                userId = target.Id;
            }

            await session.Client.DeleteUserAsync(userId, parse.GetValue(etag), cancellationToken).ConfigureAwait(false);
            if (session.Printer.IsData)
            {
                session.Printer.Write(new JsonObject { ["deleted"] = userId.ToString(CultureInfo.InvariantCulture) });
            }
            else
            {
                await session.Out.WriteLineAsync($"deleted user {userId}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetPasswordCommand(GlobalOptions globals)
    {
        var user = UserArgument();
        var requireChange = new Option<bool>("--require-change") { Description = "The user must choose a new password at their next sign-in" };
        var stdin = PasswordInput.StdinOption("the new password");
        var passwords = new PasswordInput(globals, stdin);
        var command = new Command("set-password", "Set a user's password (admins); the user's sign-ins end") { user, requireChange, stdin };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var target = await UserReference.GetAsync(session.Client, parse.GetRequiredValue(user), cancellationToken).ConfigureAwait(false);
            var secret = passwords.Read(parse, null, $"new password for {target.Username}: ")!;
            if (!parse.GetValue(stdin) && passwords.Read(parse, null, "again: ") != secret)
            {
                throw new CliException("the passwords do not match; nothing was changed");
            }

            await session.Client.SetPasswordAsync(target.Id, secret, parse.GetValue(requireChange), cancellationToken).ConfigureAwait(false);
            if (session.Printer.IsData)
            {
                session.Printer.Write(new JsonObject { ["userId"] = target.Id.ToString(CultureInfo.InvariantCulture), ["requireChange"] = parse.GetValue(requireChange) });
            }
            else
            {
                await session.Out.WriteLineAsync(parse.GetValue(requireChange)
                    ? $"password of {target.Username} set; they must change it when they next sign in"
                    : $"password of {target.Username} set").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<bool> YesOption() => new("--yes", "-y") { Description = "Do not ask for confirmation (needed when standard input is not a terminal)" };

    /// <summary>Asks <paramref name="question"/> on a terminal; without one, refuses (the caller must say --yes).</summary>
    private static void Confirm(GlobalOptions globals, CliSession session, string question)
    {
        if (!globals.InputIsTerminal)
        {
            throw new CliException("not deleting without confirmation: there is no terminal to ask on; add --yes");
        }

        session.Error.Write($"{question} [y/N] ");
        var answer = globals.Input.ReadLine()?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException("not deleted");
        }
    }

    private static Command ListCommand(GlobalOptions globals)
    {
        var page = new Option<int>("--page") { Description = "1-based page number (0: the first)" };
        var pageSize = new Option<int>("--page-size") { Description = "Users per page, at most 1000 (0: every matching user)" };
        var filter = new Option<string?>("--filter") { Description = "AIP-160 filter, e.g. 'username:\"ali*\" AND is_active = true'" };
        var command = new Command("list", "Stream the users of one page, printing each as it arrives (tab-separated, whole values, when piped)") { page, pageSize, filter };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new ListUsersRequest { Page = parse.GetValue(page), PageSize = parse.GetValue(pageSize), Filter = parse.GetValue(filter) ?? "" };
            var count = 0;
            await foreach (var user in session.Client.ListUsersAsync(request, session.StreamDeadline, cancellationToken).ConfigureAwait(false))
            {
                if (session.Printer.IsData)
                {
                    session.Printer.WriteItem(user);
                    continue;
                }

                if (count == 0)
                {
                    await session.Out.WriteLineAsync(session.OutIsTerminal ? UserView.RowHeader : UserView.TabHeader).ConfigureAwait(false);
                }

                await session.Out.WriteLineAsync(session.OutIsTerminal ? UserView.Row(user) : UserView.TabRow(user)).ConfigureAwait(false);
                count++;
            }

            if (!session.Printer.IsData)
            {
                await session.Error.WriteLineAsync(count == 1 ? "1 user" : $"{count} users").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SearchCommand(GlobalOptions globals)
    {
        var filter = new Option<string?>("--filter") { Description = "AIP-160 filter, as for list" };
        var orderBy = new Option<string?>("--order-by") { Description = "id, username, email or created_at, optionally followed by ' desc'" };
        var pageSize = new Option<int>("--page-size") { Description = "Users per page (0: 50; at most 1000)" };
        var pageToken = new Option<string?>("--page-token") { Description = "The next_page_token of the previous page" };
        var command = new Command("search", "Show one page of a search, and the token for the next") { filter, orderBy, pageSize, pageToken };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new SearchUsersRequest
            {
                Filter = parse.GetValue(filter) ?? "",
                OrderBy = parse.GetValue(orderBy) ?? "",
                PageSize = parse.GetValue(pageSize),
                PageToken = parse.GetValue(pageToken) ?? "",
            };
            var response = await session.Client.SearchUsersAsync(request, cancellationToken).ConfigureAwait(false);
            if (session.Printer.IsData)
            {
                session.Printer.Write(response);
                return ExitCodes.Ok;
            }

            session.Console.Write(UserView.Page(response.Users));
            await session.Out.WriteLineAsync($"total: {response.TotalSize}").ConfigureAwait(false);
            await session.Out.WriteLineAsync(response.NextPageToken.Length > 0 ? $"next_page_token: {response.NextPageToken}" : "next_page_token: (last page)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command WatchCommand(GlobalOptions globals)
    {
        var fromRevision = new Option<long>("--from-revision") { Description = "Replay the changes after this revision first (0: all still in the log)" };
        var filter = new Option<string?>("--filter") { Description = "AIP-160 filter applied to each event's user" };
        var liveOnly = new Option<bool>("--live-only") { Description = "Skip the replay; show only changes from now on" };
        var command = new Command("watch", "Follow user changes until Ctrl+C (a live table on a terminal, a line an event when piped)") { fromRevision, filter, liveOnly };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new WatchUserRequest { StartRevision = parse.GetValue(fromRevision), Filter = parse.GetValue(filter) ?? "", LiveOnly = parse.GetValue(liveOnly) };
            var events = session.Client.WatchUserChangesAsync(request, null, cancellationToken);
            try
            {
                if (session.Printer.IsData)
                {
                    await foreach (var change in events.ConfigureAwait(false))
                    {
                        session.Printer.WriteItem(change);
                    }
                }
                else if (session.OutIsTerminal)
                {
                    await LiveEventTable.RunAsync(session.Console, events, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await session.Out.WriteLineAsync(EventView.RowHeader).ConfigureAwait(false);
                    await foreach (var change in events.ConfigureAwait(false))
                    {
                        await session.Out.WriteLineAsync(EventView.Row(change)).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a watch ends.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteUser(CliSession session, User user)
    {
        if (session.Printer.IsData)
        {
            session.Printer.Write(user);
        }
        else
        {
            session.Console.Write(UserView.Details(user));
        }
    }
}
