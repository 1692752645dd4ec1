using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class BulkCreateUsersTests(TesseraServer server) : ServerTests(server)
{
    private async Task<BulkCreateResponse> BulkAsync(IEnumerable<CreateUserRequest> requests)
    {
        using var call = Users.BulkCreateUsers();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    [Fact]
    public async Task Bad_items_fail_alone_with_their_index_and_reason()
    {
        var taken = await CreateAsync();
        var prefix = Unique("b");
        var requests = Enumerable.Range(0, 1200).Select(i => NewUser($"{prefix}_{i}")).ToList();
        requests[3] = new CreateUserRequest { Username = "!!", Email = "x@example.com" };
        requests[700] = NewUser(taken.Username);
        requests[1100] = NewUser($"{prefix}_5");

        var summary = await BulkAsync(requests);

        Assert.Equal(1197, summary.CreatedCount);
        Assert.Equal(3, summary.FailedCount);
        Assert.Equal([3, 700, 1100], summary.Failures.Select(f => f.Index));
        Assert.Equal(["INVALID_ARGUMENT", "ALREADY_EXISTS", "ALREADY_EXISTS"], summary.Failures.Select(f => f.Code));
        Assert.Equal(["username", "username", "username"], summary.Failures.Select(f => f.Field));
        Assert.All(summary.Failures, f => Assert.NotEmpty(f.Reason));
        var stored = await Users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = 1 });
        Assert.Equal(1197, stored.TotalSize);
    }

    [Fact]
    public async Task An_empty_stream_is_INVALID_ARGUMENT()
    {
        await Assertions.FailsWith(StatusCode.InvalidArgument, () => BulkAsync([]));
    }

    [Fact]
    public async Task What_is_reported_created_survives_a_restart()
    {
        await using var own = new TesseraServer();
        await own.InitializeAsync();
        var prefix = Unique("d");
        using (var call = own.Users.BulkCreateUsers())
        {
            for (var i = 0; i < 600; i++)
            {
                await call.RequestStream.WriteAsync(NewUser($"{prefix}_{i}"));
            }

            await call.RequestStream.CompleteAsync();
            Assert.Equal(600, (await call).CreatedCount);
        }

        await own.StopAsync();
        await using var restarted = TesseraServer.With(["--auth", "none"], own.DataDirectory);
        await restarted.InitializeAsync();

        var stored = await restarted.Users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = 1 });
        Assert.Equal(600, stored.TotalSize);
        Assert.Empty(own.Errors);
        Assert.Empty(restarted.Errors);
    }
}
