using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Observability;
using EventType = Tessera.Contracts.User.V1.UserEvent.Types.EventType;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>Three replicas on loopback against one PostgreSQL database: what one replica is told, the others show.</summary>
public sealed class ReplicaTests(ThreeReplicas replicas) : IClassFixture<ThreeReplicas>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>How long another replica's cache may lag a change: the feed's one-second safety read, with room for a loaded machine.</summary>
    private static readonly TimeSpan FeedBound = TimeSpan.FromSeconds(5);

    private ReplicaSet Set => replicas.Set;

    [SkippableFact]
    public async Task Creates_through_the_SDKs_round_robin_reach_all_three_and_every_replica_reads_every_user()
    {
        await replicas.StartAsync();
        using var client = Set.RoundRobinClient(replicas.Admin.AccessToken);
        var before = await CreatesServedAsync();

        var created = new List<User>();
        for (var i = 0; i < 30; i++)
        {
            var name = Unique("rr");
            created.Add((await client.CreateUserAsync(new CreateUserRequest { Username = name, Email = $"{name}@example.com" })).User);
        }

        var after = await CreatesServedAsync();
        for (var i = 0; i < Set.Replicas.Count; i++)
        {
            Assert.True(after[i] - before[i] >= 5, $"replica {Set[i].Name} served {after[i] - before[i]} of 30 creates");
        }

        foreach (var replica in Set.Replicas)
        {
            foreach (var user in created)
            {
                Assert.Equal(user, await replica.Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, replicas.AdminHeaders));
            }
        }
    }

    [SkippableFact]
    public async Task A_watcher_on_one_replica_sees_every_change_made_on_the_other_two_once_in_revision_order()
    {
        await replicas.StartAsync();
        using var stop = new CancellationTokenSource(Deadline);
        // The watch replays the log up to a change made on A before it started, then follows live.
        var marker = await CreateAsync(Set[0]);
        using var watch = Set[2].Users.WatchUserChanges(new WatchUserRequest { StartRevision = 0 }, replicas.AdminHeaders, cancellationToken: stop.Token);
        var events = watch.ResponseStream;
        while ((await events.NextAsync()).User.Id != marker.Id)
        {
        }

        var expected = new List<(EventType, long)>();
        var writers = new[] { Set[0], Set[1] }.Select(replica => Task.Run(async () =>
        {
            var made = new List<(EventType, long)>();
            for (var i = 0; i < 25; i++)
            {
                var user = await CreateAsync(replica);
                made.Add((EventType.Created, user.Id));
                if (i % 3 == 0)
                {
                    await replica.Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = $"edited on {replica.Name}" } }, replicas.AdminHeaders);
                    made.Add((EventType.Updated, user.Id));
                }
            }

            return made;
        })).ToList();
        foreach (var made in await Task.WhenAll(writers))
        {
            expected.AddRange(made);
        }

        var seen = new List<UserEvent>();
        while (seen.Count < expected.Count)
        {
            seen.Add(await events.NextAsync());
        }

        Assert.Equal(expected.Order(), seen.Select(e => (e.Type, e.User.Id)).Order());
        Assert.Equal(seen.Select(e => e.Revision).Order(), seen.Select(e => e.Revision));
        Assert.Equal(seen.Count, seen.Select(e => e.Revision).Distinct().Count());

        // Nothing more arrives: no event is repeated later.
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var more = await Record.ExceptionAsync(() => events.MoveNext(quiet.Token));
        Assert.True(more is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException, $"a further event arrived: {(more is null ? events.Current : more)}");
    }

    [SkippableFact]
    public async Task Chat_members_on_three_replicas_talk_and_see_one_order()
    {
        await replicas.StartAsync();
        var room = Unique("room");
        using var stop = new CancellationTokenSource(Deadline);
        var members = Set.Replicas.Select(replica => replica.Users.UserChat(replicas.AdminHeaders, cancellationToken: stop.Token)).ToList();
        try
        {
            // One joins after another, each once everyone before has seen it, so every member's view starts alike.
            for (var i = 0; i < members.Count; i++)
            {
                await members[i].RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Join, Room = room });
                for (var j = 0; j <= i; j++)
                {
                    Assert.Equal(Kind.Join, (await members[j].ResponseStream.NextAsync()).Kind);
                }
            }

            const int Each = 20;
            await Task.WhenAll(members.Select((member, i) => Task.Run(async () =>
            {
                for (var n = 0; n < Each; n++)
                {
                    await member.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Text, Room = room, Text = $"{Set[i].Name} {n}" });
                }
            })));

            var seen = new List<List<ChatMessage>>();
            foreach (var member in members)
            {
                var messages = new List<ChatMessage>();
                while (messages.Count < Each * members.Count)
                {
                    messages.Add(await member.ResponseStream.NextAsync());
                }

                seen.Add(messages);
            }

            foreach (var other in seen.Skip(1))
            {
                Assert.Equal(seen[0].Select(m => (m.Sequence, m.Text)), other.Select(m => (m.Sequence, m.Text)));
            }

            Assert.All(seen[0], m => Assert.Equal(Kind.Text, m.Kind));
            Assert.Equal(Enumerable.Range(4, Each * members.Count).Select(s => (long)s), seen[0].Select(m => m.Sequence));
            foreach (var replica in Set.Replicas)
            {
                Assert.Equal(
                    Enumerable.Range(0, Each).Select(n => $"{replica.Name} {n}"),
                    seen[0].Where(m => m.Text.StartsWith(replica.Name + " ", StringComparison.Ordinal)).Select(m => m.Text));
            }
        }
        finally
        {
            foreach (var member in members)
            {
                member.Dispose();
            }
        }
    }

    [SkippableFact]
    public async Task A_chat_text_too_large_for_a_notification_is_invalid_and_the_room_hears_nothing_of_it()
    {
        await replicas.StartAsync();
        var room = Unique("room");
        using var stop = new CancellationTokenSource(Deadline);
        using var listener = Set[0].Users.UserChat(replicas.AdminHeaders, cancellationToken: stop.Token);
        await listener.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Join, Room = room });
        await listener.ResponseStream.NextAsync();
        using var speaker = Set[1].Users.UserChat(replicas.AdminHeaders, cancellationToken: stop.Token);
        await speaker.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Join, Room = room });
        await speaker.ResponseStream.NextAsync();
        await listener.ResponseStream.NextAsync();

        // 4096 characters pass UserChat's own limit; 3 bytes each in UTF-8, they do not fit in a notification.
        await speaker.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Text, Room = room, Text = new string('€', 4096) });
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () => speaker.ResponseStream.MoveNext(stop.Token));
        Assert.Equal(["text"], status.ViolatedFields());

        // The speaker's call ended, so the room hears it leave, and nothing else.
        var next = await listener.ResponseStream.NextAsync();
        Assert.Equal(Kind.Leave, next.Kind);
    }

    [SkippableFact]
    public async Task A_sync_session_on_one_replica_sees_edits_made_on_another_and_its_edits_reach_the_others()
    {
        await replicas.StartAsync();
        var user = await CreateAsync(Set[0]);
        using var stop = new CancellationTokenSource(Deadline);
        using var sync = Set[2].Users.SyncUsers(replicas.AdminHeaders, cancellationToken: stop.Token);
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Start = new SyncStart { Revision = 0 } });
        var inbox = new Inbox<UserSyncResponse>(sync.ResponseStream);
        await inbox.WaitForAsync(m => m.Change?.User.Id == user.Id);

        var edited = await Set[1].Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = "edited on B" } }, replicas.AdminHeaders);
        var change = await inbox.WaitForAsync(m => m.Change is { Type: EventType.Updated } c && c.User.Id == user.Id);
        Assert.Equal(edited, change.Change.User);

        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "e1", User = new User { Id = user.Id, FullName = "edited in sync on C" }, BaseEtag = edited.Etag } });
        Assert.True((await inbox.WaitForAsync(m => m.Result?.EditId == "e1")).Result.Applied);

        // GetUser on A answers from A's cache, which learns of C's edit through the change feed (README, Known
        // limits: milliseconds normally, about a second at most), so A must show it within that bound, not at once.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string fullName;
        while ((fullName = (await Set[0].Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, replicas.AdminHeaders)).FullName) != "edited in sync on C"
            && waited.Elapsed < FeedBound)
        {
            await Task.Delay(20);
        }

        Assert.Equal("edited in sync on C", fullName);
    }

    private async Task<User> CreateAsync(Replica replica)
    {
        var name = Unique("u");
        return (await replica.Users.CreateUserAsync(new CreateUserRequest { Username = name, Email = $"{name}@example.com" }, replicas.AdminHeaders)).User;
    }

    /// <summary>How many CreateUser calls each replica answered OK, from its /metrics.</summary>
    private async Task<double[]> CreatesServedAsync()
    {
        using var http = new HttpClient();
        var served = new double[Set.Replicas.Count];
        for (var i = 0; i < served.Length; i++)
        {
            var metrics = await MetricsText.ScrapeAsync(http, Set[i].MetricsAddress);
            served[i] = metrics.Samples
                .Where(s => s.Name == "grpc_requests_total" && s.Labels["method"].EndsWith("/CreateUser", StringComparison.Ordinal) && s.Labels["status"] == "OK")
                .Sum(s => s.Value);
        }

        return served;
    }

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..12]}";
}
