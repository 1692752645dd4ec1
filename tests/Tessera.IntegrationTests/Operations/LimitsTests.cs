using Google.Rpc;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Operations;

public sealed class LimitsTests
{
    [Fact]
    public async Task A_caller_over_the_rate_limit_gets_RESOURCE_EXHAUSTED_with_a_retry_hint()
    {
        await using var server = TesseraServer.With(["--auth", "none", "--rate-limit", "5"]);
        await server.InitializeAsync();

        var outcomes = new List<RpcException?>();
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await server.Users.SearchUsersAsync(new SearchUsersRequest());
                outcomes.Add(null);
            }
            catch (RpcException e)
            {
                outcomes.Add(e);
            }
        }

        var refused = outcomes.OfType<RpcException>().ToList();
        Assert.InRange(outcomes.Count(o => o is null), 5, 10);
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
        var retry = refused[0].GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Contains("retry in", refused[0].Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100 * 1024)]
    [InlineData(200 * 1024)]
    public async Task An_oversized_authorization_header_fails_its_own_call_and_no_other_on_the_connection(int headerBytes)
    {
        var auth = new Security.AuthServer();
        await auth.InitializeAsync();
        await using var server = auth.Server;
        var signedIn = Security.AuthServer.Bearer(auth.Admin);
        using var watch = server.Users.WatchUserChanges(new WatchUserRequest { StartRevision = 0, Filter = "username = \"alice\" OR username = \"after-the-big-header\"" }, signedIn);
        using var first = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await watch.ResponseStream.MoveNext(first.Token));
        Assert.Equal("alice", watch.ResponseStream.Current.User.Username);

        var oversized = new Metadata { { "authorization", "Bearer " + new string('a', headerBytes) } };
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await server.Users.GetUserAsync(new GetUserRequest { UserId = 1 }, oversized));
        if (headerBytes <= 128 * 1024)
        {
            // Within the server's 128 KiB of request headers: the call is answered, by the token check.
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        }
        else
        {
            // Over it: the server's SETTINGS_MAX_HEADER_LIST_SIZE tells the .NET client, which fails the call itself.
            Assert.Equal(StatusCode.Internal, refused.StatusCode);
            Assert.Contains("exceeded the server limit of 131072 bytes", refused.Status.DebugException?.Message ?? refused.Status.Detail, StringComparison.Ordinal);
        }

        // The watch on the same connection goes on, and so do new calls.
        var created = await server.Users.CreateUserAsync(new CreateUserRequest { Username = "after-the-big-header", Email = "big@example.com" }, signedIn);
        Assert.True(await watch.ResponseStream.MoveNext(first.Token));
        Assert.Equal(created.User.Id, watch.ResponseStream.Current.User.Id);
    }

    [Fact]
    public async Task A_call_past_its_deadline_is_DEADLINE_EXCEEDED_and_the_server_carries_on()
    {
        await using var server = new TesseraServer();
        await server.InitializeAsync();
        using (var bulk = server.Users.BulkCreateUsers())
        {
            for (var i = 0; i < 3000; i++)
            {
                await bulk.RequestStream.WriteAsync(new CreateUserRequest { Username = $"deadline{i}", Email = $"deadline{i}@example.com" });
            }

            await bulk.RequestStream.CompleteAsync();
            Assert.Equal(3000, (await bulk.ResponseAsync).CreatedCount);
        }

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var list = server.Users.ListUsers(new ListUsersRequest(), deadline: DateTime.UtcNow.AddMilliseconds(30));
            while (await list.ResponseStream.MoveNext(CancellationToken.None))
            {
                await Task.Delay(1);
            }
        });

        // Once seen in CI as UNAVAILABLE: the detail and the client's own exception say what ended the stream.
        Assert.True(e.StatusCode == StatusCode.DeadlineExceeded, $"{e.StatusCode}: {e.Status.Detail} ({e.Status.DebugException?.GetType().Name}: {e.Status.DebugException?.Message})");
        Assert.Equal(3000, (await server.Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 })).TotalSize);
        Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
    }
}
