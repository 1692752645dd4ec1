using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tessera.Cli.Editing;
using Tessera.Cli.Import;
using Tessera.Cli.Output;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera users ...</c>: create, get, update, delete, list, search, watch, import.</summary>
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
        users.Subcommands.Add(ImportCommand.Create(globals));
        return users;
    }

    private static Argument<long> IdArgument() => new("id") { Description = "The user's id" };

    private static Command CreateCommand(GlobalOptions globals)
    {
        var username = new Option<string>("--username") { Description = "3-32 of letters, digits, '.', '_', '-'", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email address", Required = true };
        var password = new Option<string?>("--password") { Description = "8-128 characters; stored only as a hash" };
        var fullName = new Option<string?>("--full-name") { Description = "The user's full name" };
        var roles = new Option<string[]>("--role") { Description = "A role to grant (repeat for more)", HelpName = "role" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key: a retried create with the same key returns the first result" };
        var command = new Command("create", "Create a user") { username, email, password, fullName, roles, requestId };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new CreateUserRequest
            {
                Username = parse.GetRequiredValue(username),
                Email = parse.GetRequiredValue(email),
                Password = parse.GetValue(password) ?? "",
                FullName = parse.GetValue(fullName) ?? "",
                RequestId = parse.GetValue(requestId) ?? "",
                Roles = { parse.GetValue(roles) ?? [] },
            };
            var response = await session.Client.CreateUserAsync(request, cancellationToken).ConfigureAwait(false);
            if (session.Format == OutputFormat.Table && response.Message.Length > 0)
            {
                await session.Out.WriteLineAsync(response.Message).ConfigureAwait(false);
            }

            WriteUser(session, response.User ?? new User());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command GetCommand(GlobalOptions globals)
    {
        var id = IdArgument();
        var command = new Command("get", "Show one user") { id };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            WriteUser(session, await session.Client.GetUserAsync(parse.GetValue(id), cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command UpdateCommand(GlobalOptions globals)
    {
        var id = IdArgument();
        var username = new Option<string?>("--username") { Description = "A new username" };
        var email = new Option<string?>("--email") { Description = "A new email address" };
        var fullName = new Option<string?>("--full-name") { Description = "A new full name (\"\" clears it)" };
        var active = new Option<bool?>("--active") { Description = "Activate (true) or deactivate (false) the user", HelpName = "true|false" };
        var etag = new Option<string?>("--etag") { Description = "Update only if the user's etag still matches (else ABORTED)" };
        var command = new Command("update", "Change the given fields of a user (the update mask is the options given)") { id, username, email, fullName, active, etag };

        command.Validators.Add(result =>
        {
            if (new UserChanges(result.GetValue(username), result.GetValue(email), result.GetValue(fullName), result.GetValue(active)).IsEmpty)
            {
                result.AddError("nothing to update: give at least one of --username, --email, --full-name, --active");
            }
        });
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var changes = new UserChanges(parse.GetValue(username), parse.GetValue(email), parse.GetValue(fullName), parse.GetValue(active));
            var request = changes.ToRequest(parse.GetValue(id), parse.GetValue(etag));
            WriteUser(session, await session.Client.UpdateUserAsync(request, cancellationToken).ConfigureAwait(false));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteCommand(GlobalOptions globals)
    {
        var id = IdArgument();
        var etag = new Option<string?>("--etag") { Description = "Delete only if the user's etag still matches (else ABORTED)" };
        var command = new Command("delete", "Delete a user") { id, etag };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var userId = parse.GetValue(id);
            await session.Client.DeleteUserAsync(userId, parse.GetValue(etag), cancellationToken).ConfigureAwait(false);
            await session.Out.WriteLineAsync(session.Format == OutputFormat.Json
                ? JsonSerializer.Serialize(new { deleted = userId.ToString(CultureInfo.InvariantCulture) })
                : $"deleted user {userId}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(GlobalOptions globals)
    {
        var page = new Option<int>("--page") { Description = "1-based page number (0: the first)" };
        var pageSize = new Option<int>("--page-size") { Description = "Users per page, at most 1000 (0: every matching user)" };
        var filter = new Option<string?>("--filter") { Description = "AIP-160 filter, e.g. 'username:\"ali*\" AND is_active = true'" };
        var command = new Command("list", "Stream the users of one page, printing each as it arrives") { page, pageSize, filter };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new ListUsersRequest { Page = parse.GetValue(page), PageSize = parse.GetValue(pageSize), Filter = parse.GetValue(filter) ?? "" };
            var count = 0;
            await foreach (var user in session.Client.ListUsersAsync(request, session.StreamDeadline, cancellationToken).ConfigureAwait(false))
            {
                if (session.Format == OutputFormat.Json)
                {
                    await session.Out.WriteLineAsync(ProtoJson.Format(user)).ConfigureAwait(false);
                    continue;
                }

                if (count == 0)
                {
                    await session.Out.WriteLineAsync(UserView.RowHeader).ConfigureAwait(false);
                }

                await session.Out.WriteLineAsync(UserView.Row(user)).ConfigureAwait(false);
                count++;
            }

            if (session.Format == OutputFormat.Table)
            {
                await session.Out.WriteLineAsync(count == 1 ? "1 user" : $"{count} users").ConfigureAwait(false);
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
            if (session.Format == OutputFormat.Json)
            {
                await session.Out.WriteLineAsync(ProtoJson.Format(response)).ConfigureAwait(false);
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
        var command = new Command("watch", "Follow user changes until Ctrl+C") { fromRevision, filter, liveOnly };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new WatchUserRequest { StartRevision = parse.GetValue(fromRevision), Filter = parse.GetValue(filter) ?? "", LiveOnly = parse.GetValue(liveOnly) };
            if (session.Format == OutputFormat.Table)
            {
                await session.Out.WriteLineAsync(EventView.RowHeader).ConfigureAwait(false);
            }

            try
            {
                await foreach (var change in session.Client.WatchUserChangesAsync(request, null, cancellationToken).ConfigureAwait(false))
                {
                    await session.Out.WriteLineAsync(session.Format == OutputFormat.Json ? ProtoJson.Format(change) : EventView.Row(change)).ConfigureAwait(false);
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
        if (session.Format == OutputFormat.Json)
        {
            session.Out.WriteLine(ProtoJson.Format(user));
        }
        else
        {
            session.Console.Write(UserView.Details(user));
        }
    }
}
