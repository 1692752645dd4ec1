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
