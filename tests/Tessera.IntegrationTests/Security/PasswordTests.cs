using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>ChangePassword (self) and SetPassword (admin, optionally forcing a change at the next sign-in).</summary>
public sealed class PasswordTests(AuthServer auth) : IClassFixture<AuthServer>
{
    private const string NewPassword = "a-brand-new-password";

    [Fact]
    public async Task ChangePassword_needs_the_current_password_and_revokes_every_earlier_sign_in()
    {
        var (user, first) = await auth.SignUpAsync(Unique("c"));
        var second = await auth.LoginAsync(user.Username, AuthServer.UserPassword);

        var changed = (await auth.Auth.ChangePasswordAsync(
            new ChangePasswordRequest { CurrentPassword = AuthServer.UserPassword, NewPassword = NewPassword }, AuthServer.Bearer(first))).Tokens;

        Assert.Equal(user.Id, changed.UserId);
        Assert.False(changed.PasswordChangeRequired);
        Assert.Equal(StatusCode.OK, await GetSelfStatus(user, changed));
        foreach (var old in new[] { first, second })
        {
            var refused = await Assertions.FailsWith(StatusCode.Unauthenticated, () => GetSelf(user, old));
            Assert.Equal("TOKEN_REVOKED", refused.Reason());
            await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = old.RefreshToken }).ResponseAsync);
        }

        await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.LoginAsync(user.Username, AuthServer.UserPassword));
        Assert.Equal(user.Id, (await auth.LoginAsync(user.Username, NewPassword)).UserId);
        Assert.Equal(StatusCode.OK, await Assertions.StatusOf(() => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = changed.RefreshToken }).ResponseAsync));
    }

    [Fact]
    public async Task ChangePassword_with_a_wrong_current_password_or_a_bad_new_one_changes_nothing()
    {
        var (user, tokens) = await auth.SignUpAsync(Unique("w"));

        var wrong = await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.Auth.ChangePasswordAsync(
            new ChangePasswordRequest { CurrentPassword = "not-the-password", NewPassword = NewPassword }, AuthServer.Bearer(tokens)).ResponseAsync);
        Assert.Equal("WRONG_CREDENTIALS", wrong.Reason());

        var invalid = await Assertions.FailsWith(StatusCode.InvalidArgument, () => auth.Auth.ChangePasswordAsync(
            new ChangePasswordRequest { CurrentPassword = AuthServer.UserPassword, NewPassword = "short" }, AuthServer.Bearer(tokens)).ResponseAsync);
        Assert.Equal(["new_password"], invalid.ViolatedFields());

        var anonymous = await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.Auth.ChangePasswordAsync(
            new ChangePasswordRequest { CurrentPassword = AuthServer.UserPassword, NewPassword = NewPassword }).ResponseAsync);
        Assert.Equal("TOKEN_MISSING", anonymous.Reason());

        Assert.Equal(StatusCode.OK, await GetSelfStatus(user, tokens));
        Assert.Equal(user.Id, (await auth.LoginAsync(user.Username, AuthServer.UserPassword)).UserId);
    }

    [Fact]
    public async Task SetPassword_with_require_change_allows_only_ChangePassword_until_the_user_changes_it()
    {
        var (user, before) = await auth.SignUpAsync(Unique("s"));

        await auth.Auth.SetPasswordAsync(new SetPasswordRequest { UserId = user.Id, NewPassword = NewPassword, RequireChange = true }, AuthServer.Bearer(auth.Admin));

        Assert.Equal("TOKEN_REVOKED", (await Assertions.FailsWith(StatusCode.Unauthenticated, () => GetSelf(user, before))).Reason());
        await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = before.RefreshToken }).ResponseAsync);

        var restricted = await auth.LoginAsync(user.Username, NewPassword);
        Assert.True(restricted.PasswordChangeRequired);
        var refused = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => GetSelf(user, restricted));
        Assert.Equal("PASSWORD_CHANGE_REQUIRED", refused.Reason());
        Assert.Contains("ChangePassword", refused.Message, StringComparison.Ordinal);

        // Refresh keeps the restriction; Logout works with the refresh token alone.
        var refreshed = (await auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = restricted.RefreshToken })).Tokens;
        Assert.True(refreshed.PasswordChangeRequired);
        Assert.Equal("PASSWORD_CHANGE_REQUIRED", (await Assertions.FailsWith(StatusCode.FailedPrecondition, () => GetSelf(user, refreshed))).Reason());

        var changed = (await auth.Auth.ChangePasswordAsync(
            new ChangePasswordRequest { CurrentPassword = NewPassword, NewPassword = "chosen-by-the-user" }, AuthServer.Bearer(refreshed))).Tokens;
        Assert.False(changed.PasswordChangeRequired);
        Assert.Equal(StatusCode.OK, await GetSelfStatus(user, changed));
        Assert.False((await auth.LoginAsync(user.Username, "chosen-by-the-user")).PasswordChangeRequired);
        await auth.Auth.LogoutAsync(new LogoutRequest { RefreshToken = changed.RefreshToken });
    }

    [Fact]
    public async Task SetPassword_is_for_admins_and_names_a_user_that_exists()
    {
        var (user, tokens) = await auth.SignUpAsync(Unique("p"));
        var request = new SetPasswordRequest { UserId = user.Id, NewPassword = NewPassword };

        await Assertions.FailsWith(StatusCode.PermissionDenied, () => auth.Auth.SetPasswordAsync(request, AuthServer.Bearer(tokens)).ResponseAsync);
        await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.Auth.SetPasswordAsync(request).ResponseAsync);
        var missing = await Assertions.FailsWith(StatusCode.NotFound, () => auth.Auth.SetPasswordAsync(
            new SetPasswordRequest { UserId = 987_654_321, NewPassword = NewPassword }, AuthServer.Bearer(auth.Admin)).ResponseAsync);
        Assert.Equal("USER_NOT_FOUND", missing.Reason());
        var invalid = await Assertions.FailsWith(StatusCode.InvalidArgument, () => auth.Auth.SetPasswordAsync(
            new SetPasswordRequest { UserId = user.Id, NewPassword = "" }, AuthServer.Bearer(auth.Admin)).ResponseAsync);
        Assert.Equal(["new_password"], invalid.ViolatedFields());

        // Nothing changed: the user's sign-in still works.
        Assert.Equal(StatusCode.OK, await GetSelfStatus(user, tokens));
        Assert.True(auth.Server.Errors.IsEmpty, string.Join("\n", auth.Server.Errors));
    }

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..12]}";

    private Task GetSelf(User user, TokenPair tokens) =>
        auth.Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, AuthServer.Bearer(tokens)).ResponseAsync;

    private Task<StatusCode> GetSelfStatus(User user, TokenPair tokens) => Assertions.StatusOf(() => GetSelf(user, tokens));
}
