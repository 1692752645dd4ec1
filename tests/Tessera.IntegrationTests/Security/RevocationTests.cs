using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>An access token stops working on its very next call after its user is deleted, deactivated, has its roles changed or its password set.</summary>
public sealed class RevocationTests(AuthServer auth) : IClassFixture<AuthServer>
{
    [Fact]
    public async Task Deleting_the_user_revokes_its_token_on_the_next_call()
    {
        var (user, tokens) = await SignedInAsync();

        await auth.Users.DeleteUserAsync(new DeleteUserRequest { UserId = user.Id }, AuthServer.Bearer(auth.Admin));

        var refused = await AssertRevokedAsync(tokens);
        Assert.Contains("no longer exists", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivating_the_user_revokes_its_token_and_reactivating_does_not_bring_it_back()
    {
        var (user, tokens) = await SignedInAsync();

        await SetActiveAsync(user, false);
        var refused = await AssertRevokedAsync(tokens);
        Assert.Contains("deactivated", refused.Message, StringComparison.Ordinal);
        await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken }).ResponseAsync);

        await SetActiveAsync(user, true);
        await AssertRevokedAsync(tokens);
        var after = await auth.LoginAsync(user.Username, AuthServer.UserPassword);
        Assert.Equal(StatusCode.OK, await StatusWith(after));
    }

    [Fact]
    public async Task A_roles_change_revokes_the_token_and_Refresh_picks_up_the_new_roles()
    {
        var (user, tokens) = await SignedInAsync();
        Assert.Equal(StatusCode.PermissionDenied, await Assertions.StatusOf(() => WatchOnceAsync(tokens)));

        await auth.Users.UpdateUserAsync(
            new UpdateUserRequest { UserId = user.Id, User = new User { Roles = { "admin" } }, UpdateMask = new FieldMask { Paths = { "roles" } } },
            AuthServer.Bearer(auth.Admin));

        var refused = await AssertRevokedAsync(tokens);
        Assert.Contains("Refresh", refused.Message, StringComparison.Ordinal);
        var refreshed = (await auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken })).Tokens;
        Assert.Equal(["admin"], refreshed.Roles);
        Assert.Equal(StatusCode.OK, await StatusWith(refreshed));
        Assert.Equal(StatusCode.OK, await Assertions.StatusOf(() => WatchOnceAsync(refreshed)));

        // And back: the admin token of a moment ago stops working at once.
        await auth.Users.UpdateUserAsync(
            new UpdateUserRequest { UserId = user.Id, User = new User(), UpdateMask = new FieldMask { Paths = { "roles" } } },
            AuthServer.Bearer(auth.Admin));
        await AssertRevokedAsync(refreshed);
    }

    [Fact]
    public async Task Setting_the_password_revokes_the_token_and_a_token_issued_after_works()
    {
        var (user, tokens) = await SignedInAsync();

        await auth.Auth.SetPasswordAsync(new SetPasswordRequest { UserId = user.Id, NewPassword = "reset-by-the-admin" }, AuthServer.Bearer(auth.Admin));

        await AssertRevokedAsync(tokens);
        var after = await auth.LoginAsync(user.Username, "reset-by-the-admin");
        Assert.Equal(StatusCode.OK, await StatusWith(after));
    }

    [Fact]
    public async Task Other_edits_leave_the_token_working()
    {
        var (user, tokens) = await SignedInAsync();

        await auth.Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = "Renamed" } }, AuthServer.Bearer(tokens));

        Assert.Equal(StatusCode.OK, await StatusWith(tokens));
    }

    private async Task<(User, TokenPair)> SignedInAsync()
    {
        var (user, tokens) = await auth.SignUpAsync($"v{Guid.NewGuid().ToString("N")[..12]}");
        Assert.Equal(StatusCode.OK, await StatusWith(tokens));
        return (user, tokens);
    }

    private async Task<Google.Rpc.Status> AssertRevokedAsync(TokenPair tokens)
    {
        var refused = await Assertions.FailsWith(StatusCode.Unauthenticated, () => SearchAsync(tokens));
        Assert.Equal("TOKEN_REVOKED", refused.Reason());
        return refused;
    }

    private Task SetActiveAsync(User user, bool active) =>
        auth.Users.UpdateUserAsync(
            new UpdateUserRequest { UserId = user.Id, User = new User { IsActive = active }, UpdateMask = new FieldMask { Paths = { "is_active" } } },
            AuthServer.Bearer(auth.Admin)).ResponseAsync;

    private Task SearchAsync(TokenPair tokens) =>
        auth.Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 }, AuthServer.Bearer(tokens)).ResponseAsync;

    private Task<StatusCode> StatusWith(TokenPair tokens) => Assertions.StatusOf(() => SearchAsync(tokens));

    /// <summary>An admin-only call: opens a watch and reads its first event.</summary>
    private async Task WatchOnceAsync(TokenPair tokens)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = auth.Users.WatchUserChanges(new WatchUserRequest { StartRevision = 0 }, AuthServer.Bearer(tokens), cancellationToken: deadline.Token);
        Assert.True(await call.ResponseStream.MoveNext(deadline.Token));
    }
}
