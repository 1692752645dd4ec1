using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Testing;

namespace Tessera.Client.Tests;

/// <summary>Sign-in through the SDK: what is sent, and that the access token is used from then on.</summary>
public sealed class AuthCallTests
{
    private static readonly TokenPair First = new() { AccessToken = "access-1", RefreshToken = "refresh-1", UserId = 7 };
    private static readonly TokenPair Second = new() { AccessToken = "access-2", RefreshToken = "refresh-2", UserId = 7 };

    private static (TesseraClient Client, FakeCallInvoker Invoker) Client(TesseraClientOptions? options = null)
    {
        var (client, invoker) = TestUsers.Client(options);
        var users = invoker.OnUnary;
        invoker.OnUnary = (method, request) => (method, request) switch
        {
            ("Login", LoginRequest { Password: "right" }) => new LoginResponse { Tokens = First },
            ("Login", LoginRequest) => throw ServerErrors.Rich(StatusCode.Unauthenticated, "wrong username or password", "WRONG_CREDENTIALS"),
            ("Refresh", RefreshRequest { RefreshToken: "refresh-1" }) => new RefreshResponse { Tokens = Second },
            ("Refresh", RefreshRequest) => throw ServerErrors.Rich(StatusCode.Unauthenticated, "the refresh token is not valid; sign in again", "REFRESH_TOKEN_INVALID"),
            ("Logout", LogoutRequest) => new LogoutResponse(),
            ("ChangePassword", ChangePasswordRequest { CurrentPassword: "right" }) => new ChangePasswordResponse { Tokens = Second },
            ("ChangePassword", ChangePasswordRequest) => throw ServerErrors.Rich(StatusCode.Unauthenticated, "the current password is wrong", "WRONG_CREDENTIALS"),
            ("SetPassword", SetPasswordRequest { UserId: 404 }) => throw ServerErrors.NotFound(404),
            ("SetPassword", SetPasswordRequest) => new SetPasswordResponse(),
            _ => users(method, request),
        };
        return (client, invoker);
    }

    private static string? Authorization(RecordedCall call) => call.Options.Headers?.Get("authorization")?.Value;

    [Fact]
    public async Task Login_returns_the_tokens_and_later_calls_send_the_access_token()
    {
        var (client, invoker) = Client();

        var tokens = await client.LoginAsync("ada", "right");
        await client.GetUserAsync(7);

        Assert.Equal(First, tokens);
        Assert.Equal(new LoginRequest { Username = "ada", Password = "right" }, invoker.Calls[0].Request);
        Assert.Equal("access-1", client.AccessToken);
        Assert.Equal("Bearer access-1", Authorization(invoker.LastCall));
    }

    [Fact]
    public async Task Sign_in_calls_send_no_token_but_do_get_the_deadline()
    {
        var (client, invoker) = Client(new TesseraClientOptions { AccessToken = "stale" });

        await client.LoginAsync("ada", "right");
        await client.RefreshAsync("refresh-1");
        await client.LogoutAsync("refresh-2");

        Assert.Equal(3, invoker.Calls.Count);
        Assert.All(invoker.Calls, call => Assert.Null(Authorization(call)));
        Assert.All(invoker.Calls, call => Assert.NotNull(call.Options.Deadline));
    }

    [Fact]
    public async Task Refresh_replaces_the_access_token_and_logout_stops_sending_one()
    {
        var (client, invoker) = Client();
        await client.LoginAsync("ada", "right");

        Assert.Equal(Second, await client.RefreshAsync("refresh-1"));
        await client.GetUserAsync(7);
        Assert.Equal("Bearer access-2", Authorization(invoker.LastCall));

        await client.LogoutAsync("refresh-2");
        Assert.Equal(new LogoutRequest { RefreshToken = "refresh-2" }, invoker.LastCall.Request);
        Assert.Null(client.AccessToken);
        await client.GetUserAsync(7);
        Assert.Null(Authorization(invoker.LastCall));
    }

    [Fact]
    public async Task A_failed_sign_in_is_a_typed_exception_and_keeps_the_token_there_was()
    {
        var (client, _) = Client(new TesseraClientOptions { AccessToken = "kept" });

        var login = await Assert.ThrowsAsync<UnauthenticatedException>(() => client.LoginAsync("ada", "wrong"));
        var refresh = await Assert.ThrowsAsync<UnauthenticatedException>(() => client.RefreshAsync("spent"));

        Assert.Equal("WRONG_CREDENTIALS", login.Reason);
        Assert.Equal("REFRESH_TOKEN_INVALID", refresh.Reason);
        Assert.Equal("kept", client.AccessToken);
    }

    [Fact]
    public async Task The_access_token_can_be_set_after_the_client_is_made()
    {
        var (client, invoker) = Client();

        await client.GetUserAsync(7);
        Assert.Null(Authorization(invoker.LastCall));
        client.AccessToken = "set-later";
        await client.GetUserAsync(7);

        Assert.Equal("Bearer set-later", Authorization(invoker.LastCall));
    }

    [Fact]
    public async Task A_cancelled_login_is_OperationCanceledException()
    {
        var (client, invoker) = Client();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        invoker.OnUnary = (_, _) => throw new RpcException(new Status(StatusCode.Cancelled, "cancelled"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.LoginAsync("ada", "right", cancel.Token));
        Assert.Null(client.AccessToken);
    }

    [Fact]
    public async Task Change_password_sends_the_access_token_and_uses_the_new_sign_in_from_then_on()
    {
        var (client, invoker) = Client(new TesseraClientOptions { AccessToken = "access-1" });

        var tokens = await client.ChangePasswordAsync("right", "a new password");
        await client.GetUserAsync(7);

        Assert.Equal(Second, tokens);
        Assert.Equal(new ChangePasswordRequest { CurrentPassword = "right", NewPassword = "a new password" }, invoker.Calls[0].Request);
        Assert.Equal("Bearer access-1", Authorization(invoker.Calls[0]));
        Assert.NotNull(invoker.Calls[0].Options.Deadline);
        Assert.Equal("Bearer access-2", Authorization(invoker.LastCall));
    }

    [Fact]
    public async Task Change_password_with_a_wrong_current_password_is_unauthenticated_and_keeps_the_old_token()
    {
        var (client, _) = Client(new TesseraClientOptions { AccessToken = "access-1" });

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() => client.ChangePasswordAsync("wrong", "a new password"));

        Assert.Equal("WRONG_CREDENTIALS", error.Reason);
        Assert.Equal("access-1", client.AccessToken);
    }

    [Fact]
    public async Task Set_password_sends_the_request_with_the_admins_token_and_translates_errors()
    {
        var (client, invoker) = Client(new TesseraClientOptions { AccessToken = "admin-token" });

        await client.SetPasswordAsync(8, "temporary password", requireChange: true);
        await Assert.ThrowsAsync<NotFoundException>(() => client.SetPasswordAsync(404, "temporary password"));

        Assert.Equal(new SetPasswordRequest { UserId = 8, NewPassword = "temporary password", RequireChange = true }, invoker.Calls[0].Request);
        Assert.Equal("Bearer admin-token", Authorization(invoker.Calls[0]));
        Assert.Equal("admin-token", client.AccessToken);
    }
}
