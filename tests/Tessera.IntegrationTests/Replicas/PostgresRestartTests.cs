using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Health.V1;
using Tessera.Contracts.User.V1;
using EventType = Tessera.Contracts.User.V1.UserEvent.Types.EventType;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>
/// PostgreSQL crashes (<c>pg_ctl stop -m immediate</c>) and comes back under two replicas, a running watcher and a
/// create load, on a cluster of the test's own.
/// </summary>
public sealed class PostgresRestartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Calls_fail_fast_health_follows_the_database_the_replicas_recover_and_the_watcher_misses_and_repeats_nothing()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        await using var set = await ReplicaSet.StartAsync(postgres.AdminConnectionString, 2);
        var admin = await set.LoginAdminAsync();
        var headers = new Metadata { { "authorization", $"Bearer {admin.AccessToken}" } };
        using var stop = new CancellationTokenSource(Deadline);

        // The watcher on A: it resumes from the last revision it saw whenever its stream ends, as a client would.
        var marker = await CreateAsync(set[0], headers, Guid.NewGuid().ToString(), stop.Token);
        var events = new ConcurrentQueue<UserEvent>();
        var watcher = Task.Run(() => WatchAsync(set[0], headers, events, stop.Token), stop.Token);

        // The load on B: each create retried with its request id until acknowledged.
        var acknowledged = new ConcurrentQueue<User>();
        var unavailable = new ConcurrentQueue<TimeSpan>();
        var loading = new StrongBox<bool>(true);
        var load = Task.Run(() => LoadAsync(set[1], headers, acknowledged, unavailable, loading, stop.Token), stop.Token);

        // A chat member on A, in a room shared with B.
        using var chat = set[0].Users.UserChat(headers, cancellationToken: stop.Token);
        await chat.RequestStream.WriteAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = "lobby" });
        Assert.Equal(ChatMessage.Types.Kind.Join, (await chat.ResponseStream.NextAsync()).Kind);

        await WaitUntil(() => acknowledged.Count >= 20, "creates before the crash", stop.Token, load, watcher);
        await postgres.CrashAsync();

        // Its replica can no longer hear the others: the member is told to rejoin rather than left to miss messages.
        var chatEnded = await Assert.ThrowsAsync<RpcException>(() => chat.ResponseStream.MoveNext(stop.Token));
        Assert.Equal(StatusCode.Unavailable, chatEnded.StatusCode);
        Assert.Contains("join your rooms again", chatEnded.Status.Detail, StringComparison.Ordinal);

        foreach (var replica in set.Replicas)
        {
            await WaitForHealth(replica, ServingStatus.NotServing, stop.Token);
        }

        var timer = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<RpcException>(() => set[0].Users.GetUserAsync(new GetUserRequest { UserId = marker.Id + 1_000_000 }, headers, cancellationToken: stop.Token).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), $"a call took {timer.Elapsed} to fail while the database was down");
        await WaitUntil(() => !unavailable.IsEmpty, "a create refused while the database is down", stop.Token, load, watcher);
        Assert.All(unavailable, took => Assert.True(took < TimeSpan.FromSeconds(5), $"a create took {took} to fail"));

        var beforeRestart = acknowledged.Count;
        await postgres.RestartAsync();
        foreach (var replica in set.Replicas)
        {
            await WaitForHealth(replica, ServingStatus.Serving, stop.Token);
        }

        await WaitUntil(() => acknowledged.Count >= beforeRestart + 20, "creates after the restart", stop.Token, load, watcher);
        await ChatAcrossAsync(set[0], set[1], headers, stop.Token);
        // The load stops between creates, never mid-call, so every create that commits is acknowledged.
        Volatile.Write(ref loading.Value, false);
        await load;

        var expected = acknowledged.Select(user => user.Id).Append(marker.Id).Order().ToList();
        await WaitUntil(() => events.Where(e => e.Type == EventType.Created).Select(e => e.User.Id).ToHashSet().IsSupersetOf(expected), "the watcher to see every create", stop.Token, watcher);
        await Task.Delay(300, stop.Token); // a window for a repeated event to show up, checked below
        var seen = events.ToList();
        Assert.Equal(seen.Select(e => e.Revision).Order(), seen.Select(e => e.Revision));
        Assert.Equal(seen.Count, seen.Select(e => e.Revision).Distinct().Count());
        var seenCreated = seen.Where(e => e.Type == EventType.Created).Select(e => e.User.Id).SkipWhile(id => id != marker.Id).Order().ToList();
        Assert.Equal(expected, seenCreated);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watcher);

        // While the database was down calls failed as "store unavailable" (UNAVAILABLE), never as anything else.
        await set.StopAndCheckLogsAsync(line => line.StartsWith("fail: Tessera.Server.CallErrors[0]", StringComparison.Ordinal) && line.Contains(" Store unavailable in /", StringComparison.Ordinal));
    }

    /// <summary>A member joining on <paramref name="from"/> hears one on <paramref name="to"/> (retrying while the chat bus reconnects).</summary>
    private static async Task ChatAcrossAsync(Replica from, Replica to, Metadata headers, CancellationToken cancellationToken)
    {
        using var listener = await JoinAsync(from, "after-restart", headers, cancellationToken);
        using var speaker = await JoinAsync(to, "after-restart", headers, cancellationToken);
        await speaker.RequestStream.WriteAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Text, Room = "after-restart", Text = "back" }, cancellationToken);
        var inbox = new Inbox<ChatMessage>(listener.ResponseStream);
        Assert.Equal("back", (await inbox.WaitForAsync(m => m.Kind == ChatMessage.Types.Kind.Text)).Text);
    }

    private static async Task<AsyncDuplexStreamingCall<ChatMessage, ChatMessage>> JoinAsync(Replica replica, string room, Metadata headers, CancellationToken cancellationToken)
    {
        while (true)
        {
            var chat = replica.Users.UserChat(headers, cancellationToken: cancellationToken);
            try
            {
                await chat.RequestStream.WriteAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = room }, cancellationToken);
                Assert.Equal(ChatMessage.Types.Kind.Join, (await chat.ResponseStream.NextAsync()).Kind);
                return chat;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                chat.Dispose();
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task WatchAsync(Replica replica, Metadata headers, ConcurrentQueue<UserEvent> events, CancellationToken cancellationToken)
    {
        long revision = 0;
        while (true)
        {
            try
            {
                using var watch = replica.Users.WatchUserChanges(new WatchUserRequest { StartRevision = revision }, headers, cancellationToken: cancellationToken);
                while (await watch.ResponseStream.MoveNext(cancellationToken))
                {
                    events.Enqueue(watch.ResponseStream.Current);
                    revision = watch.ResponseStream.Current.Revision;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
        }
    }

    private static async Task LoadAsync(
        Replica replica, Metadata headers, ConcurrentQueue<User> acknowledged, ConcurrentQueue<TimeSpan> unavailable, StrongBox<bool> loading, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref loading.Value))
        {
            var requestId = Guid.NewGuid().ToString();
            var name = $"p{requestId[..12]}";
            while (true)
            {
                var timer = Stopwatch.StartNew();
                try
                {
                    acknowledged.Enqueue(await CreateAsync(replica, headers, requestId, cancellationToken, name));
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    unavailable.Enqueue(timer.Elapsed);
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }
    }

    private static async Task<User> CreateAsync(Replica replica, Metadata headers, string requestId, CancellationToken cancellationToken, string? name = null)
    {
        name ??= $"m{Guid.NewGuid().ToString("N")[..12]}";
        var request = new CreateUserRequest { Username = name, Email = $"{name}@example.com", RequestId = requestId };
        return (await replica.Users.CreateUserAsync(request, headers, DateTime.UtcNow.AddSeconds(10), cancellationToken)).User;
    }

    private static async Task WaitForHealth(Replica replica, ServingStatus wanted, CancellationToken cancellationToken)
    {
        var last = ServingStatus.Unknown;
        while (last != wanted)
        {
            Assert.False(cancellationToken.IsCancellationRequested, $"replica {replica.Name} stayed {last}, never {wanted}");
            try
            {
                last = (await replica.Health.CheckAsync(new HealthCheckRequest { Service = "user.v1.UserService" }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken)).Status;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                last = ServingStatus.Unknown;
            }

            if (last != wanted)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, failing at the deadline or as soon as a background task fails.</summary>
    private static async Task WaitUntil(Func<bool> condition, string what, CancellationToken cancellationToken, params Task[] running)
    {
        while (!condition())
        {
            if (running.FirstOrDefault(task => task.IsFaulted) is { } failed)
            {
                await failed;
            }

            Assert.False(cancellationToken.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
