using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Tests;

/// <summary>
/// The users commands' small safeties: deletes ask first, roles can be set, a user without a password is warned
/// about, users are named by username too, and passwords can come from stdin.
/// </summary>
public sealed class UserSafetyTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public UserSafetyTests()
    {
        var users = _cli.Invoker.OnUnary;
        _cli.Invoker.OnUnary = (method, request) => (method, request) switch
        {
            ("SearchUsers", SearchUsersRequest { Filter: "username = \"ada\"" or "email = \"ada@example.com\"" }) => new SearchUsersResponse { Users = { CliHarness.Ada }, TotalSize = 1 },
            ("SearchUsers", SearchUsersRequest) => new SearchUsersResponse(),
            ("SetPassword", SetPasswordRequest) => new SetPasswordResponse(),
            _ => users(method, request),
        };
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Delete_without_a_terminal_or_yes_refuses_and_says_to_add_yes()
    {
        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "delete", "7"));

        Assert.Contains("add --yes", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Invoker.Calls, c => c.Method == "DeleteUser");
    }

    [Fact]
    public async Task Delete_on_a_terminal_names_the_user_and_deletes_only_on_yes()
    {
        _cli.InputIsTerminal = true;
        _cli.Input = new StringReader("n\n");
        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "delete", "ada"));
        Assert.Contains("delete user 7 (ada, ada@example.com)? [y/N]", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Invoker.Calls, c => c.Method == "DeleteUser");

        _cli.Input = new StringReader("y\n");
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "delete", "ada"));
        Assert.Equal(new DeleteUserRequest { UserId = 7 }, _cli.Invoker.LastCall.Request);
    }

    [Fact]
    public async Task Create_takes_comma_separated_roles()
    {
        await _cli.RunAsync("users", "create", "--username", "bob", "--email", "bob@example.com", "--password", "long enough", "--roles", "admin, ops,admin");

        Assert.Equal(["admin", "ops"], ((CreateUserRequest)_cli.Invoker.LastCall.Request!).Roles);
    }

    [Fact]
    public async Task Update_roles_replaces_them_and_an_empty_list_clears_them()
    {
        await _cli.RunAsync("users", "update", "7", "--roles", "ops,auditor");
        var set = (UpdateUserRequest)_cli.Invoker.LastCall.Request!;
        Assert.Equal(["roles"], set.UpdateMask.Paths);
        Assert.Equal(["ops", "auditor"], set.User.Roles);

        await _cli.RunAsync("users", "update", "7", "--roles", "");
        var cleared = (UpdateUserRequest)_cli.Invoker.LastCall.Request!;
        Assert.Equal(["roles"], cleared.UpdateMask.Paths);
        Assert.Empty(cleared.User.Roles);
    }

    [Fact]
    public async Task Create_without_a_password_warns_that_the_user_cannot_sign_in()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "create", "--username", "bob", "--email", "bob@example.com"));

        Assert.Contains("bob has no password and cannot sign in", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("tessera users set-password bob", _cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_reads_the_password_from_stdin_and_then_does_not_warn()
    {
        _cli.Input = new StringReader("from stdin 123\n");

        await _cli.RunAsync("users", "create", "--username", "bob", "--email", "bob@example.com", "--password-stdin");

        Assert.Equal("from stdin 123", ((CreateUserRequest)_cli.Invoker.LastCall.Request!).Password);
        Assert.DoesNotContain("warning", _cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ada")]
    [InlineData("ada@example.com")]
    [InlineData("7")]
    public async Task Get_takes_an_id_a_username_or_an_email(string reference)
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", reference, "-o", "json"));

        Assert.Contains("\"username\":\"ada\"", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_of_an_unknown_username_is_not_found()
    {
        Assert.Equal(ExitCodes.For(Grpc.Core.StatusCode.NotFound), await _cli.RunAsync("users", "get", "nobody"));

        Assert.Contains("no user has the username or email 'nobody'", _cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_password_resolves_the_username_and_sends_require_change()
    {
        _cli.Input = new StringReader("temporary pass\n");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "set-password", "ada", "--require-change", "--password-stdin"));

        Assert.Equal(new SetPasswordRequest { UserId = 7, NewPassword = "temporary pass", RequireChange = true }, _cli.Invoker.LastCall.Request);
        Assert.Contains("must change it", _cli.Out.ToString(), StringComparison.Ordinal);
    }
}
