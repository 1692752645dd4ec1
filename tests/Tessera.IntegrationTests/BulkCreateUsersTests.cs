using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class BulkCreateUsersTests(TesseraServer server) : ServerTests(server)
{
    private Task<BulkCreateResponse> BulkAsync(IEnumerable<CreateUserRequest> requests) => BulkAsync(Users, requests);

    private static async Task<BulkCreateResponse> BulkAsync(UserService.UserServiceClient users, IEnumerable<CreateUserRequest> requests)
    {
        using var call = users.BulkCreateUsers();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    /// <summary>Users named <c>{prefix}_0</c> .. <c>{prefix}_{count-1}</c>, each with a request id of its own.</summary>
    private static List<CreateUserRequest> Numbered(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new CreateUserRequest
        {
            Username = $"{prefix}_{i}",
            Email = $"{prefix}_{i}@example.com",
            RequestId = $"{prefix}-request-{i}",
        })];

    private static async Task<int> StoredAsync(UserService.UserServiceClient users, string prefix) =>
        (await users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = 1 })).TotalSize;

    /// <summary>Waits (at most 15 s) until exactly <paramref name="count"/> users of the prefix are stored.</summary>
    private static async Task WaitForStoredAsync(UserService.UserServiceClient users, string prefix, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        int stored;
        while ((stored = await StoredAsync(users, prefix)) != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{stored} of the {count} users expected were stored");
            await Task.Delay(20);
        }
    }

    /// <summary>Opens a stream and writes <paramref name="requests"/> to it without ending it.</summary>
    private static async Task<AsyncClientStreamingCall<CreateUserRequest, BulkCreateResponse>> OpenAsync(
        UserService.UserServiceClient users, IEnumerable<CreateUserRequest> requests, CancellationToken cancellationToken = default)
    {
        var call = users.BulkCreateUsers(cancellationToken: cancellationToken);
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }

        return call;
    }

    [Fact]
    public async Task A_cancelled_stream_keeps_its_committed_batches_and_a_retry_of_the_same_items_stores_each_once()
    {
        var prefix = Unique("cut");
        var items = Numbered(prefix, 1300);
        using var cut = new CancellationTokenSource();
        using (var call = await OpenAsync(Users, items.Take(1200), cut.Token))
        {
            // Two full batches commit while the stream is open; the last 200 items wait for a third that never fills.
            await WaitForStoredAsync(Users, prefix, 2 * 500);
            await cut.CancelAsync();
            var cancelled = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);
        }

        Assert.Equal(1000, await StoredAsync(Users, prefix));

        var summary = await BulkAsync(items);

        Assert.Equal(1000, summary.ReplayedCount);
        Assert.Equal(300, summary.CreatedCount);
        Assert.Equal(0, summary.FailedCount);
        Assert.Equal(1300, await StoredAsync(Users, prefix));

        // Once more: every item is already stored, and the summary says so.
        var again = await BulkAsync(items);
        Assert.Equal((0, 1300, 0), (again.CreatedCount, again.ReplayedCount, again.FailedCount));
        Assert.Equal(0, again.LastRevision);
        Assert.Equal(1300, await StoredAsync(Users, prefix));
    }

    [Fact]
    public async Task A_stream_cut_by_the_server_stopping_is_finished_by_resending_it_after_the_restart()
    {
        var prefix = Unique("stop");
        var items = Numbered(prefix, 700);
        items[650].Password = "long enough password";
        await using var own = new TesseraServer();
        await own.InitializeAsync();
        using (var call = await OpenAsync(own.Users, items.Take(600)))
        {
            await WaitForStoredAsync(own.Users, prefix, 500);
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await own.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"an open bulk stream held up shutdown for {stopping.Elapsed}");

            var cut = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, cut.StatusCode);
        }

        await using var restarted = TesseraServer.With(["--auth", "none"], own.DataDirectory);
        await restarted.InitializeAsync();
        Assert.Equal(500, await StoredAsync(restarted.Users, prefix));

        var summary = await BulkAsync(restarted.Users, items);

        Assert.Equal((200, 500, 0), (summary.CreatedCount, summary.ReplayedCount, summary.FailedCount));
        Assert.Equal(700, await StoredAsync(restarted.Users, prefix));
        Assert.Empty(own.Errors);
        Assert.Empty(restarted.Errors);
    }

    [Fact]
    public async Task Request_ids_replay_or_fail_alone_as_in_CreateUser_across_calls_and_within_one_stream()
    {
        var prefix = Unique("rid");
        var first = await Users.CreateUserAsync(new CreateUserRequest { Username = $"{prefix}_a", Email = $"{prefix}_a@example.com", RequestId = $"{prefix}-a" });
        CreateUserRequest Item(string name, string requestId) =>
            new() { Username = $"{prefix}_{name}", Email = $"{prefix}_{name}@example.com", RequestId = $"{prefix}-{requestId}" };

        var summary = await BulkAsync(
        [
            Item("a", "a"),       // 0: CreateUser's request id, same user: replays
            Item("b", "a"),       // 1: CreateUser's request id, another user
            Item("c", "c"),       // 2: created
            Item("c", "c"),       // 3: the same item again in this stream: replays
            Item("d", "c"),       // 4: this stream's request id, another user
            Item("e", "e"),       // 5: created
            Item("c", "other"),   // 6: a new request id for a taken username
        ]);

        Assert.Equal((2, 2, 3), (summary.CreatedCount, summary.ReplayedCount, summary.FailedCount));
        Assert.Equal([1, 4, 6], summary.Failures.Select(f => f.Index));
        Assert.Equal(["INVALID_ARGUMENT", "INVALID_ARGUMENT", "ALREADY_EXISTS"], summary.Failures.Select(f => f.Code));
        Assert.Equal(["request_id", "request_id", "username"], summary.Failures.Select(f => f.Field));
        Assert.Contains("different user", summary.Failures[0].Reason, StringComparison.Ordinal);
        Assert.Equal(3, await StoredAsync(Users, prefix));
        Assert.Equal(first.User.Id, (await Users.GetUserAsync(new GetUserRequest { UserId = first.User.Id })).Id);

        // The bulk's request ids are CreateUser's too: a retried create of "c" returns the user the stream made.
        var retried = await Users.CreateUserAsync(Item("c", "c"));
        Assert.Contains("already created", retried.Message, StringComparison.Ordinal);
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () => await Users.CreateUserAsync(Item("x", "e")));
        Assert.Equal(3, await StoredAsync(Users, prefix));
    }

    [Fact]
    public async Task Bad_items_fail_alone_with_their_index_and_reason()
    {
        var taken = await CreateAsync();
        var prefix = Unique("b");
        var requests = Enumerable.Range(0, 1200).Select(i => NewUser($"{prefix}_{i}")).ToList();
        requests[3] = new CreateUserRequest { Username = "!!", Email = "x@example.com" };
        requests[500] = new CreateUserRequest { Username = $"{prefix}_x500", Email = "not an email" };
        requests[700] = NewUser(taken.Username);
        requests[1100] = NewUser($"{prefix}_5");
        requests[1199] = new CreateUserRequest { Username = "", Email = "y@example.com" };

        var summary = await BulkAsync(requests);

        // Listed in stream order, whichever batch (and whichever check) failed them.
        Assert.Equal(1195, summary.CreatedCount);
        Assert.Equal(5, summary.FailedCount);
        Assert.Equal([3, 500, 700, 1100, 1199], summary.Failures.Select(f => f.Index));
        Assert.Equal(["INVALID_ARGUMENT", "INVALID_ARGUMENT", "ALREADY_EXISTS", "ALREADY_EXISTS", "INVALID_ARGUMENT"], summary.Failures.Select(f => f.Code));
        Assert.Equal(["username", "email", "username", "username", "username"], summary.Failures.Select(f => f.Field));
        Assert.All(summary.Failures, f => Assert.NotEmpty(f.Reason));
        var stored = await Users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = 1 });
        Assert.Equal(1195, stored.TotalSize);
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
