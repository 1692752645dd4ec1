using Grpc.Core;
using Tessera.Cli.Config;
using Tessera.Contracts.Auth.V1;
using Tessera.Testing;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Tessera.Cli.Tests;

/// <summary>The saved session: login saves it (0600), commands use and refresh it, logout revokes it, contexts switch servers.</summary>
public sealed class SessionTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private int _refreshes;

    public SessionTests()
    {
        var users = _cli.Invoker.OnUnary;
        _cli.Invoker.OnUnary = (method, request) => (method, request) switch
        {
            ("Login", LoginRequest login) => new LoginResponse { Tokens = Pair($"access-{login.Username}", $"refresh-{login.Username}", TimeSpan.FromMinutes(15)) },
            ("Refresh", RefreshRequest { RefreshToken: "refresh-ada" }) => new RefreshResponse { Tokens = Pair($"access-ada-{++_refreshes}", "refresh-ada-2", TimeSpan.FromMinutes(15)) },
            ("Refresh", RefreshRequest) => throw ServerErrors.Rich(StatusCode.Unauthenticated, "the refresh token is not valid; sign in again", "REFRESH_TOKEN_INVALID"),
            ("Logout", LogoutRequest) => new LogoutResponse(),
            ("ChangePassword", ChangePasswordRequest) => new ChangePasswordResponse { Tokens = Pair("access-changed", "refresh-changed", TimeSpan.FromMinutes(15)) },
            _ => users(method, request),
        };
    }

    public void Dispose() => _cli.Dispose();

    private static TokenPair Pair(string access, string refresh, TimeSpan lifetime) => new()
    {
        AccessToken = access,
        RefreshToken = refresh,
        AccessTokenExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + lifetime),
        RefreshTokenExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(7)),
        UserId = 7,
        Roles = { "admin" },
    };

    private static string? Authorization(RecordedCall call) => call.Options.Headers?.Get("authorization")?.Value;

    private SavedSession Saved(string context = CliConfig.DefaultContext) => _cli.Config.Load().Contexts[context];

    private Task<int> LoginAsync(params string[] extra) =>
        _cli.RunAsync(["login", "-u", "ada", "--password", "right password", "--address", "https://users.example:8443", .. extra]);

    [Fact]
    public async Task Login_saves_tokens_and_server_in_a_file_only_the_user_can_read()
    {
        Assert.Equal(ExitCodes.Ok, await LoginAsync());

        var saved = Saved();
        Assert.Equal("https://users.example:8443", saved.Address);
        Assert.Equal("access-ada", saved.AccessToken);
        Assert.Equal("refresh-ada", saved.RefreshToken);
        Assert.Equal("ada", saved.Username);
        Assert.NotNull(saved.AccessTokenExpiresAt);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ConfigPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_cli.ConfigPath)!));
        }

        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(_cli.ConfigPath)!)); // no temporary file left behind
    }

    [Fact]
    public async Task Later_commands_use_the_saved_server_and_token_without_flags()
    {
        await LoginAsync();

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", "7"));

        Assert.Equal("https://users.example:8443", _cli.ClientOptions!.Address);
        Assert.Equal("Bearer access-ada", Authorization(_cli.Invoker.LastCall));
    }

    [Fact]
    public async Task Token_flag_and_environment_override_the_saved_token()
    {
        await LoginAsync();

        await _cli.RunAsync("--token", "explicit", "users", "get", "7");

        Assert.Equal("Bearer explicit", Authorization(_cli.Invoker.LastCall));
    }

    [Fact]
    public async Task The_saved_token_is_not_sent_to_another_address()
    {
        await LoginAsync();

        await _cli.RunAsync("--address", "http://elsewhere:50051", "users", "get", "7");

        Assert.Null(Authorization(_cli.Invoker.LastCall));
    }

    [Fact]
    public async Task A_token_about_to_expire_is_refreshed_first_and_the_new_pair_saved()
    {
        await LoginAsync();
        var config = _cli.Config.Load();
        config.Contexts[CliConfig.DefaultContext] = Saved() with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddSeconds(5) };
        _cli.Config.Save(config);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", "7"));

        Assert.Equal(["Login", "Refresh", "GetUser"], _cli.Invoker.Calls.Select(c => c.Method));
        Assert.Equal("Bearer access-ada-1", Authorization(_cli.Invoker.LastCall));
        Assert.Equal("access-ada-1", Saved().AccessToken);
        Assert.Equal("refresh-ada-2", Saved().RefreshToken);
    }

    [Fact]
    public async Task A_TOKEN_EXPIRED_answer_refreshes_and_runs_the_command_again()
    {
        await LoginAsync();
        var inner = _cli.Invoker.OnUnary;
        _cli.Invoker.OnUnary = (method, request) => method == "GetUser" && _refreshes == 0
            ? throw ServerErrors.Rich(StatusCode.Unauthenticated, "the access token has expired", "TOKEN_EXPIRED")
            : inner(method, request);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", "7"));

        Assert.Equal(["Login", "GetUser", "Refresh", "GetUser"], _cli.Invoker.Calls.Select(c => c.Method));
        Assert.Equal("Bearer access-ada-1", Authorization(_cli.Invoker.LastCall));
        Assert.Contains("ada@example.com", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_that_fails_says_to_log_in_again()
    {
        await LoginAsync();
        var config = _cli.Config.Load();
        config.Contexts[CliConfig.DefaultContext] = Saved() with { RefreshToken = "revoked", AccessTokenExpiresAt = DateTimeOffset.UtcNow };
        _cli.Config.Save(config);

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "get", "7"));

        Assert.Contains("sign in again: tessera login", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Invoker.Calls, c => c.Method == "GetUser");
        Assert.False(Saved().SignedIn);
    }

    [Fact]
    public async Task Logout_revokes_the_saved_refresh_token_and_forgets_the_sign_in()
    {
        await LoginAsync();

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("logout"));

        Assert.Equal(new LogoutRequest { RefreshToken = "refresh-ada" }, _cli.Invoker.LastCall.Request);
        Assert.False(Saved().SignedIn);
        Assert.Equal("https://users.example:8443", Saved().Address);
        Assert.DoesNotContain("refresh-ada", File.ReadAllText(_cli.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contexts_keep_two_servers_apart_and_use_switches_between_them()
    {
        await LoginAsync();
        await _cli.RunAsync("login", "-u", "bob", "--password", "pw", "--address", "http://staging:50051", "--context", "staging");

        await _cli.RunAsync("users", "get", "7");
        Assert.Equal("Bearer access-ada", Authorization(_cli.Invoker.LastCall));

        await _cli.RunAsync("--context", "staging", "users", "get", "7");
        Assert.Equal("Bearer access-bob", Authorization(_cli.Invoker.LastCall));
        Assert.Equal("http://staging:50051", _cli.ClientOptions!.Address);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("context", "use", "staging"));
        await _cli.RunAsync("users", "get", "7");
        Assert.Equal("Bearer access-bob", Authorization(_cli.Invoker.LastCall));

        _cli.Out.GetStringBuilder().Clear();
        await _cli.RunAsync("context", "list");
        Assert.Matches(@"\*\s*│?\s*staging", _cli.Out.ToString());
        Assert.Contains("default", _cli.Out.ToString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("context", "delete", "staging"));
        Assert.Equal(CliConfig.DefaultContext, _cli.Config.Load().CurrentContext);
        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("context", "use", "staging"));
        Assert.Contains("tessera login --context staging", _cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_token_prints_the_saved_access_token_for_scripts()
    {
        await LoginAsync();
        _cli.Out.GetStringBuilder().Clear();

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("auth", "token"));

        Assert.Equal("access-ada" + Environment.NewLine, _cli.Out.ToString());
    }

    [Fact]
    public async Task Password_change_reads_both_passwords_from_stdin_and_saves_the_new_sign_in()
    {
        await LoginAsync();
        _cli.Input = new StringReader("right password\nbrand new password\n");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("password", "change", "--password-stdin"));

        Assert.Equal(new ChangePasswordRequest { CurrentPassword = "right password", NewPassword = "brand new password" }, _cli.Invoker.LastCall.Request);
        Assert.Equal("Bearer access-ada", Authorization(_cli.Invoker.LastCall));
        Assert.Equal("access-changed", Saved().AccessToken);
        Assert.Equal("refresh-changed", Saved().RefreshToken);
    }

    [Fact]
    public async Task Password_change_on_a_terminal_asks_twice_for_the_new_password_and_refuses_a_mismatch()
    {
        await LoginAsync();
        var answers = new Queue<string>(["right password", "brand new password", "brand new passwort"]);
        _cli.PromptAnswers = answers;

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("password", "change"));

        Assert.Equal(["current password: ", "new password: ", "new password again: "], _cli.Prompts);
        Assert.Contains("do not match", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Invoker.Calls, c => c.Method == "ChangePassword");
    }

    [Fact]
    public async Task A_token_another_process_refreshed_meanwhile_is_used_instead_of_spending_the_refresh_token_again()
    {
        await LoginAsync();
        var inner = _cli.Invoker.OnUnary;
        _cli.Invoker.OnUnary = (method, request) =>
        {
            if (method == "GetUser" && Authorization(_cli.Invoker.LastCall) == "Bearer access-ada")
            {
                // Meanwhile another tessera process refreshed and saved a new pair.
                var config = _cli.Config.Load();
                config.Contexts[CliConfig.DefaultContext] = Saved() with { AccessToken = "access-from-elsewhere", RefreshToken = "refresh-elsewhere", AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10) };
                _cli.Config.Save(config);
                throw ServerErrors.Rich(StatusCode.Unauthenticated, "the access token has expired", "TOKEN_EXPIRED");
            }

            return inner(method, request);
        };

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", "7"));

        Assert.DoesNotContain(_cli.Invoker.Calls, c => c.Method == "Refresh");
        Assert.Equal("Bearer access-from-elsewhere", Authorization(_cli.Invoker.LastCall));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(_cli.ConfigPath)!)); // the lock file went with the lock
    }

    [Fact]
    public async Task Login_and_logout_work_when_the_saved_sign_in_has_ended()
    {
        await LoginAsync();
        var config = _cli.Config.Load();
        config.Contexts[CliConfig.DefaultContext] = Saved() with { RefreshToken = "revoked", AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) };
        _cli.Config.Save(config);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("logout"));
        Assert.Equal(ExitCodes.Ok, await LoginAsync());

        Assert.DoesNotContain(_cli.Invoker.Calls, c => c.Method == "Refresh");
        Assert.Equal("access-ada", Saved().AccessToken);
    }
}
