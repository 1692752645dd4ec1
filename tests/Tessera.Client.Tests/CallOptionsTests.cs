using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Client.Tests;

/// <summary>Deadlines and the bearer token, as the server would see them.</summary>
public sealed class CallOptionsTests
{
    [Fact]
    public async Task Unary_calls_get_the_default_ten_second_deadline()
    {
        var (client, invoker) = TestUsers.Client();
        var before = DateTime.UtcNow;

        await client.GetUserAsync(7);

        AssertDeadline(invoker.LastCall.Options, before, DateTime.UtcNow, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Blocking_calls_get_the_deadline_too()
    {
        var (client, invoker) = TestUsers.Client(new TesseraClientOptions { DefaultDeadline = TimeSpan.FromSeconds(3) });
        var before = DateTime.UtcNow;

        client.SearchUsers(new SearchUsersRequest());

        Assert.True(invoker.LastCall.Blocking);
        AssertDeadline(invoker.LastCall.Options, before, DateTime.UtcNow, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Every_unary_operation_has_a_deadline()
    {
        var (client, invoker) = TestUsers.Client();

        await client.CreateUserAsync(new CreateUserRequest { Username = "bob", Email = "bob@example.com" });
        await client.GetUserAsync(7);
        await client.UpdateUserAsync(7, u => u.FullName = "A. L.", "full_name");
        await client.DeleteUserAsync(7);
        await client.SearchUsersAsync(new SearchUsersRequest());
        client.CreateUser(new CreateUserRequest { Username = "bob", Email = "bob@example.com" });
        client.GetUser(7);
        client.UpdateUser(new UpdateUserRequest { UserId = 7, User = new User { FullName = "x" } });
        client.DeleteUser(7);

        Assert.Equal(9, invoker.Calls.Count);
        Assert.All(invoker.Calls, call => Assert.NotNull(call.Options.Deadline));
    }

    [Fact]
    public async Task An_infinite_default_deadline_sends_none()
    {
        var (client, invoker) = TestUsers.Client(new TesseraClientOptions { DefaultDeadline = Timeout.InfiniteTimeSpan });

        await client.GetUserAsync(7);

        Assert.Null(invoker.LastCall.Options.Deadline);
    }

    [Fact]
    public async Task Long_lived_streams_get_no_deadline_unless_one_is_passed()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnServerStreaming = (method, _) => method == "ListUsers"
            ? FakeStreamReader<User>.Of([])
            : FakeStreamReader<UserEvent>.Of([]);
        invoker.OnClientStreaming = _ => Completed(new FakeClientStream<CreateUserRequest, BulkCreateResponse>());
        invoker.OnDuplexStreaming = method => method == "UserChat"
            ? new FakeDuplexStream<ChatMessage, ChatMessage>()
            : new FakeDuplexStream<UserSyncRequest, UserSyncResponse>();

        await foreach (var _ in client.ListUsersAsync(new ListUsersRequest()))
        {
        }

        await foreach (var _ in client.WatchUserChangesAsync(new WatchUserRequest()))
        {
        }

        await client.BulkCreateUsersAsync(Array.Empty<CreateUserRequest>());
        using var chat = client.OpenChat();
        using var sync = client.OpenSync();

        Assert.Equal(["ListUsers", "WatchUserChanges", "BulkCreateUsers", "UserChat", "SyncUsers"], invoker.Calls.Select(c => c.Method));
        Assert.All(invoker.Calls, call => Assert.Null(call.Options.Deadline));
    }

    [Fact]
    public async Task A_deadline_passed_to_a_stream_is_used()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([]);
        var deadline = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        await foreach (var _ in client.ListUsersAsync(new ListUsersRequest(), deadline))
        {
        }

        Assert.Equal(deadline, invoker.LastCall.Options.Deadline);
    }

    [Fact]
    public async Task The_access_token_is_sent_as_a_bearer_authorization_header()
    {
        var (client, invoker) = TestUsers.Client(new TesseraClientOptions { AccessToken = "t0ken" });

        await client.GetUserAsync(7);
        client.GetUser(7);

        Assert.All(invoker.Calls, call => Assert.Equal("Bearer t0ken", call.Options.Headers?.GetValue("authorization")));
    }

    [Fact]
    public async Task Without_a_token_no_authorization_header_is_sent()
    {
        var (client, invoker) = TestUsers.Client();

        await client.GetUserAsync(7);

        Assert.Null(invoker.LastCall.Options.Headers?.GetValue("authorization"));
    }

    [Fact]
    public async Task The_callers_cancellation_token_reaches_the_call()
    {
        var (client, invoker) = TestUsers.Client();
        using var cts = new CancellationTokenSource();

        await client.GetUserAsync(7, cts.Token);

        Assert.Equal(cts.Token, invoker.LastCall.Options.CancellationToken);
    }

    private static FakeClientStream<CreateUserRequest, BulkCreateResponse> Completed(FakeClientStream<CreateUserRequest, BulkCreateResponse> stream)
    {
        stream.Response.SetResult(new BulkCreateResponse());
        return stream;
    }

    private static void AssertDeadline(CallOptions options, DateTime before, DateTime after, TimeSpan expected)
    {
        var deadline = Assert.NotNull(options.Deadline);
        Assert.Equal(DateTimeKind.Utc, deadline.Kind);
        Assert.InRange(deadline, before + expected, after + expected);
    }
}
