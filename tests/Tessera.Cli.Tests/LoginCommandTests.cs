using System.Text.Json;
using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera login</c> and <c>tessera logout</c> over a fake server: where the password comes from, and what is printed where.</summary>
/// <remarks>The only tests that read TESSERA_PASSWORD; xunit runs one class's tests one at a time.</remarks>
public sealed class LoginCommandTests : IDisposable
{
    private static readonly TokenPair Tokens = new()
    {
        AccessToken = "access.jwt.token",
        RefreshToken = "refresh-secret",
        UserId = 7,
        Roles = { "admin" },
        AccessTokenExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
    };

    private readonly CliHarness _cli = new();
    private readonly string? _savedPassword = Environment.GetEnvironmentVariable(Commands.LoginCommand.PasswordVariable);

    public LoginCommandTests()
    {
        Environment.SetEnvironmentVariable(Commands.LoginCommand.PasswordVariable, null);
        _cli.Invoker.OnUnary = (method, request) => (method, request) switch
        {
            ("Login", LoginRequest { Password: "right password" }) => new LoginResponse { Tokens = Tokens },
            ("Login", LoginRequest) => throw ServerErrors.Rich(StatusCode.Unauthenticated, "wrong username or password", "WRONG_CREDENTIALS"),
            ("Logout", LogoutRequest) => new LogoutResponse(),
            _ => throw new InvalidOperationException($"unexpected {method}"),
        };
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Commands.LoginCommand.PasswordVariable, _savedPassword);
        _cli.Dispose();
    }

    [Fact]
    public async Task Login_says_where_the_session_was_saved_and_prints_no_token()
    {
        var code = await _cli.RunAsync("login", "--username", "ada", "--password", "right password");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new LoginRequest { Username = "ada", Password = "right password" }, _cli.Invoker.LastCall.Request);
        Assert.Contains("as ada (user 7, admin)", _cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains(_cli.ConfigPath, _cli.Out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("access.jwt.token", _cli.Error.ToString() + _cli.Out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("right password", _cli.Error.ToString() + _cli.Out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-secret", _cli.Error.ToString() + _cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Empty(_cli.Prompts);
    }

    [Fact]
    public async Task Login_sends_no_bearer_token_even_when_one_is_given()
    {
        await _cli.RunAsync("--token", "old", "login", "--username", "ada", "--password", "right password");

        Assert.Null(_cli.Invoker.LastCall.Options.Headers?.Get("authorization"));
    }

    [Fact]
    public async Task Login_with_json_output_prints_the_whole_token_pair()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("login", "-u", "ada", "--password", "right password", "-o", "json"));

        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal("access.jwt.token", json.RootElement.GetProperty("accessToken").GetString());
        Assert.Equal("refresh-secret", json.RootElement.GetProperty("refreshToken").GetString());
        Assert.Equal("7", json.RootElement.GetProperty("userId").GetString());
        Assert.Equal("2030-01-01T00:00:00Z", json.RootElement.GetProperty("accessTokenExpiresAt").GetString());
    }

    [Fact]
    public async Task The_password_comes_from_TESSERA_PASSWORD_when_not_given()
    {
        Environment.SetEnvironmentVariable(Commands.LoginCommand.PasswordVariable, "right password");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("login", "--username", "ada"));

        Assert.Equal("right password", ((LoginRequest)_cli.Invoker.LastCall.Request!).Password);
        Assert.Empty(_cli.Prompts);
    }

    [Fact]
    public async Task The_password_option_wins_over_the_environment()
    {
        Environment.SetEnvironmentVariable(Commands.LoginCommand.PasswordVariable, "from env");

        await _cli.RunAsync("login", "--username", "ada", "--password", "right password");

        Assert.Equal("right password", ((LoginRequest)_cli.Invoker.LastCall.Request!).Password);
    }

    [Fact]
    public async Task Otherwise_the_password_is_asked_for_on_the_terminal()
    {
        _cli.PromptAnswer = "right password";

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("login", "--username", "ada"));

        Assert.Equal(["password: "], _cli.Prompts);
        Assert.Equal("right password", ((LoginRequest)_cli.Invoker.LastCall.Request!).Password);
    }

    [Fact]
    public async Task Without_a_password_or_a_terminal_login_says_how_to_give_one_and_calls_nothing()
    {
        var code = await _cli.RunAsync("login", "--username", "ada");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("--password-stdin", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("TESSERA_PASSWORD", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task A_wrong_password_is_UNAUTHENTICATED_on_stderr_and_nothing_on_stdout()
    {
        var code = await _cli.RunAsync("login", "--username", "ada", "--password", "nope");

        Assert.Equal(ExitCodes.For(StatusCode.Unauthenticated), code);
        Assert.False(File.Exists(_cli.ConfigPath));
        Assert.Equal("error: UNAUTHENTICATED: wrong username or password" + Environment.NewLine, _cli.Error.ToString());
        Assert.Equal("", _cli.Out.ToString());
    }

    [Fact]
    public async Task Login_without_a_username_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, await _cli.RunAsync("login", "--password", "right password"));
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task Logout_revokes_the_given_refresh_token()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("logout", "--refresh-token", "refresh-secret"));

        Assert.Equal(new LogoutRequest { RefreshToken = "refresh-secret" }, _cli.Invoker.LastCall.Request);
        Assert.StartsWith("signed out", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_without_a_saved_sign_in_says_so_and_calls_nothing()
    {
        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("logout"));

        Assert.Contains("no saved sign-in", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task The_password_can_come_from_stdin()
    {
        _cli.Input = new StringReader("right password\n");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("login", "--username", "ada", "--password-stdin"));

        Assert.Equal("right password", ((LoginRequest)_cli.Invoker.LastCall.Request!).Password);
        Assert.Empty(_cli.Prompts);
    }

    [Fact]
    public async Task A_login_that_must_change_the_password_says_to_run_password_change()
    {
        var mustChange = new TokenPair(Tokens) { PasswordChangeRequired = true };
        _cli.Invoker.OnUnary = (_, _) => new LoginResponse { Tokens = mustChange };

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("login", "--username", "ada", "--password", "temporary"));

        Assert.Contains("tessera password change", _cli.Error.ToString(), StringComparison.Ordinal);
    }
}
