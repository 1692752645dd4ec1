using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>The last active admin cannot be deleted, deactivated or demoted, by any RPC.</summary>
public sealed class LastAdminTests(AuthServer auth) : IClassFixture<AuthServer>
{
    [Fact]
    public async Task Deleting_deactivating_or_demoting_the_only_admin_is_FAILED_PRECONDITION_and_changes_nothing()
    {
        var admin = auth.Admin.UserId;
        var before = await auth.Users.GetUserAsync(new GetUserRequest { UserId = admin }, AuthServer.Bearer(auth.Admin));

        await AssertLastAdminAsync(() => auth.Users.DeleteUserAsync(new DeleteUserRequest { UserId = admin }, AuthServer.Bearer(auth.Admin)).ResponseAsync);
        await AssertLastAdminAsync(() => auth.Users.UpdateUserAsync(
            new UpdateUserRequest { UserId = admin, User = new User { IsActive = false }, UpdateMask = new FieldMask { Paths = { "is_active" } } },
            AuthServer.Bearer(auth.Admin)).ResponseAsync);
        await AssertLastAdminAsync(() => auth.Users.UpdateUserAsync(
            new UpdateUserRequest { UserId = admin, User = new User { Roles = { "editor" } } }, AuthServer.Bearer(auth.Admin)).ResponseAsync);

        var result = await SyncEditAsync(new SyncEdit { EditId = "demote", User = new User { Id = admin }, UpdateMask = new FieldMask { Paths = { "roles" } } });
        Assert.False(result.Applied);
        Assert.Equal("FAILED_PRECONDITION", result.Code);
        Assert.Contains("another user an admin", result.Reason, StringComparison.Ordinal);

        var after = await auth.Users.GetUserAsync(new GetUserRequest { UserId = admin }, AuthServer.Bearer(auth.Admin));
        Assert.Equal(before.Etag, after.Etag);
        Assert.True(auth.Server.Errors.IsEmpty, string.Join("\n", auth.Server.Errors));
    }

    private static async Task AssertLastAdminAsync(Func<Task> call)
    {
        var refused = await Assertions.FailsWith(StatusCode.FailedPrecondition, call);
        Assert.Equal("LAST_ADMIN", refused.Reason());
        Assert.Contains("make another user an admin first", refused.Message, StringComparison.Ordinal);
    }

    private async Task<SyncEditResult> SyncEditAsync(SyncEdit edit)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var call = auth.Users.SyncUsers(AuthServer.Bearer(auth.Admin), cancellationToken: deadline.Token);
        await call.RequestStream.WriteAsync(new UserSyncRequest { Start = new SyncStart { Revision = 0 } });
        await call.RequestStream.WriteAsync(new UserSyncRequest { Edit = edit });
        while (await call.ResponseStream.MoveNext(deadline.Token))
        {
            if (call.ResponseStream.Current.Result is { } result)
            {
                return result;
            }
        }

        throw new InvalidOperationException("the sync ended without a result");
    }
}

/// <summary>Two admins demoting each other at once: exactly one succeeds, and an admin remains.</summary>
public sealed class ConcurrentDemotionTests(AuthServer auth) : IClassFixture<AuthServer>
{
    [Fact]
    public async Task Of_two_admins_removing_each_other_at_once_exactly_one_succeeds()
    {
        var (second, _) = await auth.SignUpAsync($"root{Guid.NewGuid().ToString("N")[..8]}");
        await auth.Users.UpdateUserAsync(new UpdateUserRequest { UserId = second.Id, User = new User { Roles = { "admin" } } }, AuthServer.Bearer(auth.Admin));
        var secondTokens = await auth.LoginAsync(second.Username, AuthServer.UserPassword);
        var first = auth.Admin.UserId;

        var outcomes = await Task.WhenAll(
            Assertions.StatusOf(() => auth.Users.DeleteUserAsync(new DeleteUserRequest { UserId = second.Id }, AuthServer.Bearer(auth.Admin)).ResponseAsync),
            Assertions.StatusOf(() => auth.Users.UpdateUserAsync(
                new UpdateUserRequest { UserId = first, User = new User(), UpdateMask = new FieldMask { Paths = { "roles" } } },
                AuthServer.Bearer(secondTokens)).ResponseAsync));

        Assert.Equal(1, outcomes.Count(code => code == StatusCode.OK));
        // The loser was refused either by the store (LAST_ADMIN) or, when the winner demoted it first, by its revoked token.
        Assert.Contains(outcomes.Single(code => code != StatusCode.OK), new[] { StatusCode.FailedPrecondition, StatusCode.Unauthenticated });
        var admins = await AdminsAsync(outcomes[0] == StatusCode.OK ? auth.Admin : secondTokens);
        Assert.Single(admins);
    }

    private async Task<List<User>> AdminsAsync(TokenPair tokens)
    {
        var page = await auth.Users.SearchUsersAsync(new SearchUsersRequest { Filter = "roles:admin AND is_active = true", PageSize = 100 }, AuthServer.Bearer(tokens));
        return [.. page.Users];
    }
}
