using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>
/// Revocation spans replicas: a password set through one replica stops the user's access token on the others (their
/// token checkers follow the shared change log) and their refresh token everywhere (it lives in the database).
/// </summary>
public sealed class ReplicaRevocationTests(ThreeReplicas replicas) : IClassFixture<ThreeReplicas>
{
    private static readonly TimeSpan FeedBound = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public async Task A_password_set_on_one_replica_stops_the_users_tokens_on_the_others()
    {
        await replicas.StartAsync();
        var set = replicas.Set;
        var name = $"rev{Guid.NewGuid().ToString("N")[..10]}";
        var user = (await set[0].Users.CreateUserAsync(
            new CreateUserRequest { Username = name, Email = $"{name}@example.com", Password = "first password 1" }, replicas.AdminHeaders)).User;
        var tokens = (await new AuthService.AuthServiceClient(set[0].Channel).LoginAsync(
            new LoginRequest { Username = name, Password = "first password 1" })).Tokens;
        var userHeaders = new Metadata { { "authorization", $"Bearer {tokens.AccessToken}" } };
        Assert.Equal(user.Id, (await set[1].Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, userHeaders)).Id);

        await new AuthService.AuthServiceClient(set[0].Channel).SetPasswordAsync(
            new SetPasswordRequest { UserId = user.Id, NewPassword = "second password 2" }, replicas.AdminHeaders);

        // Replica B learns of the change through the feed: within milliseconds normally, a second at most if a
        // notification were lost; the bound leaves room for a loaded machine.
        var refusedWithin = System.Diagnostics.Stopwatch.StartNew();
        RpcException? refused = null;
        while (refused is null)
        {
            try
            {
                await set[1].Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, userHeaders);
                Assert.True(refusedWithin.Elapsed < FeedBound, $"replica B still accepted the old token {FeedBound.TotalSeconds} s after the password was set on A");
                await Task.Delay(20);
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("TOKEN_REVOKED", Reason(refused), StringComparison.Ordinal);
        var refresh = await Assert.ThrowsAsync<RpcException>(async () =>
            await new AuthService.AuthServiceClient(set[2].Channel).RefreshAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken }));
        Assert.Equal(StatusCode.Unauthenticated, refresh.StatusCode);
        var fresh = (await new AuthService.AuthServiceClient(set[2].Channel).LoginAsync(
            new LoginRequest { Username = name, Password = "second password 2" })).Tokens;
        Assert.Equal(user.Id, (await set[1].Users.GetUserAsync(
            new GetUserRequest { UserId = user.Id }, new Metadata { { "authorization", $"Bearer {fresh.AccessToken}" } })).Id);
    }

    private static string Reason(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";
}
