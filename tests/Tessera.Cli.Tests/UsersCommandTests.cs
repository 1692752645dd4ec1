using System.Text.Json;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera users ...</c> end to end, over a fake server: what is sent, printed, and exited with.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Create_without_email_is_a_usage_error_and_calls_nothing()
    {
        var code = await _cli.RunAsync("users", "create", "--username", "ada");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--email", _cli.Error.ToString());
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Theory]
    [InlineData("users", "get", "7", "8")]
    [InlineData("--output", "xml", "users", "get", "7")]
    [InlineData("--timeout", "0", "users", "get", "7")]
    [InlineData("users", "frobnicate")]
    [InlineData("users", "update", "7")]
    public async Task Bad_command_lines_exit_with_the_usage_code(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await _cli.RunAsync(args));
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task Create_sends_every_option_and_prints_the_user_as_proto3_json()
    {
        var code = await _cli.RunAsync("users", "create", "--username", "ada", "--email", "ada@example.com", "--password", "s3cret-pass",
            "--full-name", "Ada", "--role", "admin", "--role", "editor", "--request-id", "r-1", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(
            new CreateUserRequest { Username = "ada", Email = "ada@example.com", Password = "s3cret-pass", FullName = "Ada", Roles = { "admin", "editor" }, RequestId = "r-1" },
            _cli.Invoker.LastCall.Request);
        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal("ada", json.RootElement.GetProperty("username").GetString());
        Assert.Equal("8", json.RootElement.GetProperty("id").GetString());
        Assert.False(json.RootElement.GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public async Task Get_prints_the_user_as_a_table()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", "7"));

        var output = _cli.Out.ToString();
        Assert.Contains("ada@example.com", output);
        Assert.Contains("Ada Lovelace", output);
        Assert.Contains("v1", output);
    }

    [Fact]
    public async Task A_failed_call_prints_the_code_and_message_to_stderr_without_a_stack_trace_and_exits_10_plus_the_code()
    {
        var code = await _cli.RunAsync("users", "get", "99");

        Assert.Equal(15, code);
        Assert.Equal("error: NOT_FOUND: user 99 does not exist" + Environment.NewLine, _cli.Error.ToString());
        Assert.Equal("", _cli.Out.ToString());
    }

    [Fact]
    public async Task Field_violations_are_listed_under_the_error()
    {
        _cli.Invoker.OnUnary = (_, _) => throw ServerErrors.Rich(StatusCode.InvalidArgument, "username: must be 3-32 characters", "INVALID_ARGUMENT",
            ("username", "must be 3-32 characters"), ("email", "is not an email address"));

        var code = await _cli.RunAsync("users", "create", "--username", "a", "--email", "nope");

        Assert.Equal(ExitCodes.For(StatusCode.InvalidArgument), code);
        Assert.Equal(
            ["error: INVALID_ARGUMENT: username: must be 3-32 characters", "  username: must be 3-32 characters", "  email: is not an email address"],
            _cli.Error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(" at ", _cli.Error.ToString());
    }

    [Fact]
    public async Task Update_masks_exactly_the_options_given_and_sends_the_etag()
    {
        var code = await _cli.RunAsync("users", "update", "7", "--email", "ada@new.example", "--active", "false", "--etag", "v1");

        Assert.Equal(ExitCodes.Ok, code);
        var request = Assert.IsType<UpdateUserRequest>(_cli.Invoker.LastCall.Request);
        Assert.Equal(7, request.UserId);
        Assert.Equal(["email", "is_active"], request.UpdateMask.Paths);
        Assert.Equal("ada@new.example", request.User.Email);
        Assert.False(request.User.IsActive);
        Assert.Equal("v1", request.User.Etag);
    }

    [Fact]
    public async Task Delete_with_yes_sends_the_id_and_etag()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "delete", "7", "--etag", "v2", "--yes"));

        Assert.Equal(new DeleteUserRequest { UserId = 7, Etag = "v2" }, _cli.Invoker.LastCall.Request);
        Assert.Equal("deleted user 7", _cli.Out.ToString().Trim());
    }

    [Fact]
    public async Task List_in_json_prints_one_object_per_user_and_line()
    {
        _cli.Invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([CliHarness.Ada, new User { Id = 8, Username = "bob" }]);

        var code = await _cli.RunAsync("users", "list", "--page", "2", "--page-size", "2", "--filter", "is_active = true", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new ListUsersRequest { Page = 2, PageSize = 2, Filter = "is_active = true" }, _cli.Invoker.LastCall.Request);
        Assert.Equal(["ada", "bob"], _cli.OutLines().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("username").GetString()));
    }

    [Fact]
    public async Task List_piped_prints_a_header_then_a_tab_separated_row_per_user_with_whole_values()
    {
        var longName = new User(CliHarness.Ada) { FullName = "Augusta Ada King, Countess of Lovelace, née Byron", Email = "augusta.ada.king.countess.of.lovelace@example.com" };
        _cli.Invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([longName]);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "list"));

        Assert.Equal(
            ["ID\tUSERNAME\tEMAIL\tFULL NAME\tACTIVE\tROLES", "7\tada\taugusta.ada.king.countess.of.lovelace@example.com\tAugusta Ada King, Countess of Lovelace, née Byron\tyes\tadmin"],
            _cli.OutLines());
        Assert.Equal("1 user", _cli.Error.ToString().Trim());
    }

    [Fact]
    public async Task A_list_that_fails_midway_keeps_the_rows_printed_and_reports_the_error()
    {
        _cli.Invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([CliHarness.Ada], ServerErrors.Rich(StatusCode.Unavailable, "the server is shutting down", "SHUTTING_DOWN"));

        Assert.Equal(ExitCodes.For(StatusCode.Unavailable), await _cli.RunAsync("users", "list"));

        Assert.Contains("ada@example.com", _cli.Out.ToString());
        Assert.StartsWith("error: UNAVAILABLE: the server is shutting down", _cli.Error.ToString());
    }

    [Fact]
    public async Task Search_prints_the_page_and_the_next_page_token()
    {
        _cli.Invoker.OnUnary = (_, _) => new SearchUsersResponse { Users = { CliHarness.Ada }, NextPageToken = "tok-2", TotalSize = 5 };

        var code = await _cli.RunAsync("users", "search", "--filter", "username:\"a*\"", "--order-by", "username desc", "--page-size", "1", "--page-token", "tok-1");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new SearchUsersRequest { Filter = "username:\"a*\"", OrderBy = "username desc", PageSize = 1, PageToken = "tok-1" }, _cli.Invoker.LastCall.Request);
        Assert.Contains("next_page_token: tok-2", _cli.Out.ToString());
        Assert.Contains("ada@example.com", _cli.Out.ToString());
    }

    [Fact]
    public async Task Watch_prints_type_revision_and_user_of_each_event()
    {
        _cli.Invoker.OnServerStreaming = (_, _) => FakeStreamReader<UserEvent>.Of(
        [
            new UserEvent { Revision = 41, Type = UserEvent.Types.EventType.Created, User = CliHarness.Ada },
            new UserEvent { Revision = 42, Type = UserEvent.Types.EventType.Deleted, User = CliHarness.Ada },
        ]);

        var code = await _cli.RunAsync("users", "watch", "--from-revision", "40", "--filter", "username = \"ada\"");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new WatchUserRequest { StartRevision = 40, Filter = "username = \"ada\"" }, _cli.Invoker.LastCall.Request);
        var lines = _cli.OutLines();
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^41\s+CREATED\s+7\s+ada\s+ada@example.com$", lines[1]);
        Assert.Matches(@"^42\s+DELETED\s+7\s+ada", lines[2]);
        Assert.Null(_cli.Invoker.LastCall.Options.Deadline);
    }

    [Fact]
    public async Task Global_options_reach_the_client()
    {
        var before = DateTime.UtcNow;

        await _cli.RunAsync("users", "get", "7", "--address", "http://users.internal:6000", "--token", "t0ken", "--timeout", "2.5");

        Assert.Equal("http://users.internal:6000", _cli.ClientOptions!.Address);
        Assert.Equal(TimeSpan.FromSeconds(2.5), _cli.ClientOptions.DefaultDeadline);
        var call = _cli.Invoker.LastCall;
        Assert.Equal("Bearer t0ken", call.Options.Headers?.GetValue("authorization"));
        Assert.InRange(call.Options.Deadline!.Value, before.AddSeconds(2.5), DateTime.UtcNow.AddSeconds(2.5));
    }

    [Fact]
    public async Task Without_address_the_environment_or_the_local_default_is_used()
    {
        await _cli.RunAsync("users", "get", "7");

        var expected = Environment.GetEnvironmentVariable("TESSERA_ADDRESS") is { Length: > 0 } env ? env : "http://127.0.0.1:50051";
        Assert.Equal(expected, _cli.ClientOptions!.Address);
    }
}
