using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Client.Tests;

/// <summary>List, watch, bulk create, chat and sync: order, progress, and errors raised while streaming.</summary>
public sealed class StreamingCallTests
{
    private static readonly User Bob = new() { Id = 8, Username = "bob" };

    [Fact]
    public async Task ListUsersAsync_yields_the_users_in_the_order_the_server_sends_them()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([TestUsers.Ada, Bob]);

        var users = await ToListAsync(client.ListUsersAsync(new ListUsersRequest { PageSize = 2, Filter = "is_active = true" }));

        Assert.Equal([7L, 8L], users.Select(u => u.Id));
        Assert.Equal(new ListUsersRequest { PageSize = 2, Filter = "is_active = true" }, invoker.LastCall.Request);
    }

    [Fact]
    public async Task A_failure_in_the_middle_of_a_list_surfaces_as_a_typed_exception_after_the_users_before_it()
    {
        var (client, invoker) = TestUsers.Client();
        var shuttingDown = ServerErrors.Rich(StatusCode.Unavailable, "the server is shutting down", "SHUTTING_DOWN");
        invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([TestUsers.Ada], endWith: shuttingDown);
        var seen = new List<User>();

        var error = await Assert.ThrowsAsync<UnavailableException>(async () =>
        {
            await foreach (var user in client.ListUsersAsync(new ListUsersRequest()))
            {
                seen.Add(user);
            }
        });

        Assert.Equal([TestUsers.Ada], seen);
        Assert.Equal("SHUTTING_DOWN", error.Reason);
    }

    [Fact]
    public async Task An_invalid_filter_on_watch_throws_InvalidArgumentException_with_the_field()
    {
        var (client, invoker) = TestUsers.Client();
        var invalid = ServerErrors.Rich(StatusCode.InvalidArgument, "filter: unknown field 'nme'", "INVALID_ARGUMENT", ("filter", "unknown field 'nme'"));
        invoker.OnServerStreaming = (_, _) => FakeStreamReader<UserEvent>.Of([], endWith: invalid);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => ToListAsync(client.WatchUserChangesAsync(new WatchUserRequest { Filter = "nme = 1" })));

        Assert.Equal([new FieldViolation("filter", "unknown field 'nme'")], error.FieldViolations);
    }

    [Fact]
    public async Task Watch_yields_events_as_they_arrive_and_stops_with_OperationCanceledException_when_cancelled()
    {
        var (client, invoker) = TestUsers.Client();
        var events = new FakeStreamReader<UserEvent>();
        invoker.OnServerStreaming = (_, _) => events;
        events.Push(new UserEvent { Revision = 1, Type = UserEvent.Types.EventType.Created, User = TestUsers.Ada });
        events.Push(new UserEvent { Revision = 2, Type = UserEvent.Types.EventType.Updated, User = TestUsers.Ada });
        using var cts = new CancellationTokenSource();
        var revisions = new List<long>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var change in client.WatchUserChangesAsync(new WatchUserRequest { StartRevision = 0 }, cancellationToken: cts.Token))
            {
                revisions.Add(change.Revision);
                if (revisions.Count == 2)
                {
                    await cts.CancelAsync(); // the stream stays open, as a live watch does; cancelling ends it
                }
            }
        });

        Assert.Equal([1L, 2L], revisions);
    }

    [Fact]
    public async Task BulkCreate_sends_every_request_in_order_reports_progress_and_returns_the_summary()
    {
        var (client, invoker) = TestUsers.Client();
        var stream = new FakeClientStream<CreateUserRequest, BulkCreateResponse>();
        stream.Writer.OnChange = writer =>
        {
            if (writer.Completed)
            {
                stream.Response.SetResult(new BulkCreateResponse { CreatedCount = writer.Written.Count });
            }
        };
        invoker.OnClientStreaming = _ => stream;
        var progress = new List<int>();
        var requests = Enumerable.Range(1, 3).Select(i => new CreateUserRequest { Username = $"user{i}", Email = $"user{i}@example.com" }).ToList();

        var response = await client.BulkCreateUsersAsync(requests, new ListProgress(progress));

        Assert.Equal(requests, stream.Writer.Written);
        Assert.True(stream.Writer.Completed);
        Assert.Equal([1, 2, 3], progress);
        Assert.Equal(3, response.CreatedCount);
    }

    [Fact]
    public async Task BulkCreate_takes_an_async_stream_of_requests_too()
    {
        var (client, invoker) = TestUsers.Client();
        var stream = new FakeClientStream<CreateUserRequest, BulkCreateResponse>();
        stream.Response.SetResult(new BulkCreateResponse { CreatedCount = 2 });
        invoker.OnClientStreaming = _ => stream;

        var response = await client.BulkCreateUsersAsync(Generate(2));

        Assert.Equal(["u0", "u1"], stream.Writer.Written.Select(r => r.Username));
        Assert.Equal(2, response.CreatedCount);

        static async IAsyncEnumerable<CreateUserRequest> Generate(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Yield();
                yield return new CreateUserRequest { Username = $"u{i}", Email = $"u{i}@example.com" };
            }
        }
    }

    [Fact]
    public async Task When_the_server_ends_a_bulk_create_early_the_error_is_the_servers_status_not_the_failed_write()
    {
        var (client, invoker) = TestUsers.Client();
        var stream = new FakeClientStream<CreateUserRequest, BulkCreateResponse>();
        stream.Writer.FailWritesWith = new InvalidOperationException("Can't write the message because the call is complete.");
        stream.Response.SetException(ServerErrors.Rich(StatusCode.Unauthenticated, "a bearer token is required", "TOKEN_MISSING"));
        invoker.OnClientStreaming = _ => stream;

        var error = await Assert.ThrowsAsync<UnauthenticatedException>(() =>
            client.BulkCreateUsersAsync([new CreateUserRequest { Username = "a", Email = "a@example.com" }]));

        Assert.Equal("a bearer token is required", error.Message);
        Assert.Equal("TOKEN_MISSING", error.Reason);
    }

    [Fact]
    public async Task A_bulk_create_whose_summary_fails_throws_the_typed_exception()
    {
        var (client, invoker) = TestUsers.Client();
        var stream = new FakeClientStream<CreateUserRequest, BulkCreateResponse>();
        stream.Response.SetException(ServerErrors.Rich(StatusCode.ResourceExhausted, "at most 10000 users per stream", "TOO_MANY_ITEMS"));
        invoker.OnClientStreaming = _ => stream;

        await Assert.ThrowsAsync<ResourceExhaustedException>(() => client.BulkCreateUsersAsync(Array.Empty<CreateUserRequest>()));
    }

    [Fact]
    public async Task Chat_sends_what_the_caller_sends_and_yields_what_the_server_sends()
    {
        var (client, invoker) = TestUsers.Client();
        var duplex = new FakeDuplexStream<ChatMessage, ChatMessage>();
        duplex.Writer.OnChange = writer =>
        {
            if (writer.Completed)
            {
                duplex.Reader.End();
            }
        };
        invoker.OnDuplexStreaming = _ => duplex;
        using var chat = client.OpenChat();

        await chat.SendAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = "lobby", Sender = "ada" });
        duplex.Reader.Push(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = "lobby", Sender = "ada", Sequence = 1 });
        await chat.CompleteAsync();
        var received = await ToListAsync(chat.ReadAllAsync());

        Assert.Equal(ChatMessage.Types.Kind.Join, Assert.Single(duplex.Writer.Written).Kind);
        Assert.Equal(1, Assert.Single(received).Sequence);
    }

    [Fact]
    public async Task A_send_after_the_server_ended_the_chat_throws_the_calls_status()
    {
        var (client, invoker) = TestUsers.Client();
        var duplex = new FakeDuplexStream<ChatMessage, ChatMessage>
        {
            EndStatus = new Status(StatusCode.PermissionDenied, "you may not join room 'staff'"),
        };
        duplex.Writer.FailWritesWith = new InvalidOperationException("Can't write the message because the call is complete.");
        invoker.OnDuplexStreaming = _ => duplex;
        using var chat = client.OpenChat();

        var error = await Assert.ThrowsAsync<PermissionDeniedException>(() => chat.SendAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = "staff" }));

        Assert.Equal("you may not join room 'staff'", error.Message);
    }

    [Fact]
    public async Task Sync_results_are_read_and_failures_translated()
    {
        var (client, invoker) = TestUsers.Client();
        var duplex = new FakeDuplexStream<UserSyncRequest, UserSyncResponse>();
        invoker.OnDuplexStreaming = _ => duplex;
        using var sync = client.OpenSync();

        await sync.SendAsync(new UserSyncRequest { Start = new SyncStart { Revision = 5 } });
        duplex.Reader.Push(new UserSyncResponse { Result = new SyncEditResult { EditId = "e1", Applied = true } });
        duplex.Reader.End(ServerErrors.Rich(StatusCode.Unavailable, "the server is shutting down", "SHUTTING_DOWN"));
        var results = new List<UserSyncResponse>();

        await Assert.ThrowsAsync<UnavailableException>(async () =>
        {
            await foreach (var response in sync.ReadAllAsync())
            {
                results.Add(response);
            }
        });

        Assert.Equal(5, Assert.Single(duplex.Writer.Written).Start.Revision);
        Assert.Equal("e1", Assert.Single(results).Result.EditId);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    private sealed class ListProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}
