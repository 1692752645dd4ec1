using Grpc.Core;
using Tessera.Contracts.User.V1;
using EventType = Tessera.Contracts.User.V1.UserEvent.Types.EventType;

namespace Tessera.IntegrationTests;

public sealed class WatchUserChangesTests(TesseraServer server) : ServerTests(server)
{
    [Fact]
    public async Task A_watcher_sees_create_update_delete_live_with_growing_revisions()
    {
        var name = Unique("live");
        using var watch = Users.WatchUserChanges(new WatchUserRequest { StartRevision = await CurrentRevisionAsync(), Filter = $"username = \"{name}\"" });
        var probe = await CreateAsync(name);
        var first = await watch.ResponseStream.NextAsync();

        await Users.UpdateUserAsync(new UpdateUserRequest { UserId = probe.Id, User = new User { FullName = "renamed" } });
        await Users.DeleteUserAsync(new DeleteUserRequest { UserId = probe.Id });
        var updated = await watch.ResponseStream.NextAsync();
        var deleted = await watch.ResponseStream.NextAsync();

        Assert.Equal(EventType.Created, first.Type);
        Assert.Equal((EventType.Updated, "renamed"), (updated.Type, updated.User.FullName));
        Assert.Equal((EventType.Deleted, probe.Id), (deleted.Type, deleted.User.Id));
        Assert.True(first.Revision < updated.Revision && updated.Revision < deleted.Revision);
        Assert.NotNull(deleted.Timestamp);
    }

    /// <summary>
    /// etcd-style: thousands of changes from concurrent writers while a watcher keeps disconnecting at random
    /// and resuming from the last revision it saw. It must see every change exactly once, in order.
    /// </summary>
    [Fact]
    public async Task A_watcher_that_keeps_reconnecting_sees_every_change_exactly_once_in_order()
    {
        var prefix = Unique("w");
        var start = await CurrentRevisionAsync();
        const int writers = 4;
        const int usersPerWriter = 300;

        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < usersPerWriter; i++)
            {
                var user = await CreateAsync($"{prefix}_{w}_{i}");
                await Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = $"v2 {i}" } });
                if (i % 3 == 0)
                {
                    await Users.DeleteUserAsync(new DeleteUserRequest { UserId = user.Id });
                }
            }
        })));
        var expectedCount = writers * usersPerWriter * 2 + writers * ((usersPerWriter + 2) / 3);

        var seen = new List<UserEvent>();
        var random = new Random(1234);
        var last = start;
        var reconnects = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (seen.Count < expectedCount)
        {
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            cut.CancelAfter(TimeSpan.FromMilliseconds(random.Next(5, 60)));
            using var watch = Users.WatchUserChanges(new WatchUserRequest { StartRevision = last, Filter = $"username:\"{prefix}_*\"" }, cancellationToken: cut.Token);
            try
            {
                while (seen.Count < expectedCount && await watch.ResponseStream.MoveNext(cut.Token))
                {
                    seen.Add(watch.ResponseStream.Current);
                    last = watch.ResponseStream.Current.Revision;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable && cut.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
                reconnects++;
            }
        }

        await writing;
        Assert.True(reconnects > 3, $"the test should disconnect several times (did {reconnects})");
        Assert.Equal(expectedCount, seen.Count);
        Assert.Equal(seen.Count, seen.Select(e => e.Revision).Distinct().Count());
        Assert.Equal(seen.Select(e => e.Revision).Order(), seen.Select(e => e.Revision));
        foreach (var perUser in seen.GroupBy(e => e.User.Id))
        {
            var types = perUser.Select(e => e.Type).ToList();
            Assert.Equal(EventType.Created, types[0]);
            Assert.Equal(EventType.Updated, types[1]);
            Assert.True(types.Count == 2 || (types.Count == 3 && types[2] == EventType.Deleted), string.Join(",", types));
        }
    }

    [Fact]
    public async Task Replay_from_a_revision_then_follow_live_without_gaps()
    {
        var before = await CurrentRevisionAsync();
        var prefix = Unique("r");
        var early = await CreateAsync($"{prefix}_early");

        using var watch = Users.WatchUserChanges(new WatchUserRequest { StartRevision = before, Filter = $"username:\"{prefix}_*\"" });
        var replayed = await watch.ResponseStream.NextAsync();
        var late = await CreateAsync($"{prefix}_late");
        var live = await watch.ResponseStream.NextAsync();

        Assert.Equal(early.Id, replayed.User.Id);
        Assert.Equal(late.Id, live.User.Id);
        Assert.True(live.Revision > replayed.Revision);
    }

    /// <summary>
    /// Watchers far behind get their backlog in batches (buffered, one flush a batch) and every change's bytes are
    /// made once for all watchers: each must still get exactly its own filter's changes, whole and in order.
    /// </summary>
    [Fact]
    public async Task Watchers_far_behind_with_different_filters_each_get_exactly_their_changes_in_order()
    {
        var before = await CurrentRevisionAsync();
        var prefix = Unique("far");
        var requests = Enumerable.Range(0, 1300).Select(i => new CreateUserRequest
        {
            Username = $"{prefix}_{(i % 2 == 0 ? "even" : "odd")}_{i}",
            Email = $"{prefix}_{i}@example.com",
            FullName = $"Far User {i}",
        });
        using (var bulk = Users.BulkCreateUsers())
        {
            foreach (var request in requests)
            {
                await bulk.RequestStream.WriteAsync(request);
            }

            await bulk.RequestStream.CompleteAsync();
            Assert.Equal(1300, (await bulk).CreatedCount);
        }

        using var all = Users.WatchUserChanges(new WatchUserRequest { StartRevision = before, Filter = $"username:\"{prefix}_*\"" });
        using var odd = Users.WatchUserChanges(new WatchUserRequest { StartRevision = before, Filter = $"username:\"{prefix}_odd_*\"" });
        var everyOne = await TakeAsync(all, 1300);
        var odds = await TakeAsync(odd, 650);

        Assert.Equal(Enumerable.Range(0, 1300).Select(i => $"Far User {i}"), everyOne.Select(e => e.User.FullName));
        Assert.Equal(everyOne.Select(e => e.Revision).Order(), everyOne.Select(e => e.Revision));
        Assert.All(everyOne, e => Assert.Equal(EventType.Created, e.Type));
        Assert.Equal(everyOne.Where(e => e.User.Username.Contains("_odd_", StringComparison.Ordinal)).Select(e => (e.Revision, e.User.Id, e.User.Username)),
            odds.Select(e => (e.Revision, e.User.Id, e.User.Username)));
    }

    private static async Task<List<UserEvent>> TakeAsync(AsyncServerStreamingCall<UserEvent> watch, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<UserEvent>(count);
        while (events.Count < count && await watch.ResponseStream.MoveNext(timeout.Token))
        {
            events.Add(watch.ResponseStream.Current);
        }

        return events;
    }

    [Fact]
    public async Task Bad_watch_requests_are_INVALID_ARGUMENT()
    {
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var watch = Users.WatchUserChanges(new WatchUserRequest { StartRevision = -1 });
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        });
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var watch = Users.WatchUserChanges(new WatchUserRequest { Filter = "nope = 1" });
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        });
    }

    private async Task<long> CurrentRevisionAsync()
    {
        var probe = await CreateAsync();
        using var watch = Users.WatchUserChanges(new WatchUserRequest { Filter = $"username = \"{probe.Username}\"" });
        return (await watch.ResponseStream.NextAsync()).Revision;
    }
}
