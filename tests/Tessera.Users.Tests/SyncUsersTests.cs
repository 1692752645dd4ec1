using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Contracts.User.V1;
using Tessera.Users.Changes;
using Tessera.Users.Chat;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Users.Tests;

/// <summary>SyncUsers driven in process, to pin down how a sync edit that creates a user is applied.</summary>
public sealed class SyncUsersTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly string directory = Directory.CreateTempSubdirectory("tessera-sync-tests-").FullName;
    private readonly SqliteUserStore store;
    private readonly UserService service;

    public SyncUsersTests()
    {
        var notifier = new ChangeNotifier();
        store = new SqliteUserStore(Path.Combine(directory, "tessera.db"), notifier, TimeProvider.System);
        store.InitializeAsync(default).GetAwaiter().GetResult();
        service = new UserService(store, notifier, new PasswordHashing(), new ChatRooms(new InProcessChatBus(), TimeProvider.System, NullLogger<ChatRooms>.Instance), new Lifetime(), NullLogger<UserService>.Instance);
    }

    public void Dispose()
    {
        store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up eventually; not the subject of the test.
        }
    }

    [Fact]
    public async Task A_create_edit_is_applied_answered_and_streamed_as_a_change()
    {
        var (result, change) = await SyncOneCreateAsync(new User { Username = "alice", Email = "alice@example.com", FullName = "Alice", Roles = { "dev" } });

        Assert.True(result.Applied, result.Reason);
        Assert.Equal("e1", result.EditId);
        Assert.Equal("alice", result.User.Username);
        Assert.Equal(["dev"], result.User.Roles);
        Assert.Equal(UserEvent.Types.EventType.Created, change.Type);
        Assert.Equal(result.User.Id, change.User.Id);
        Assert.NotNull(await store.GetAsync(result.User.Id, default));
    }

    [Fact]
    public async Task A_create_edit_keeps_the_nickname_it_carries()
    {
        var (result, _) = await SyncOneCreateAsync(new User { Username = "alice", Email = "alice@example.com", FullName = "Alice", Nickname = "Ali" });

        Assert.True(result.Applied, result.Reason);
        Assert.Equal("Ali", result.User.HasNickname ? result.User.Nickname : null);
        Assert.Equal("Ali", (await store.GetAsync(result.User.Id, default))!.Nickname);
    }

    private async Task<(SyncEditResult Result, UserEvent Change)> SyncOneCreateAsync(User user)
    {
        using var cancellation = new CancellationTokenSource();
        var requests = new Requests<UserSyncRequest>(
            new UserSyncRequest { Start = new SyncStart { Revision = 0 } },
            new UserSyncRequest { Edit = new SyncEdit { EditId = "e1", User = user } });
        var responses = new Responses<UserSyncResponse>();
        var call = service.SyncUsers(requests, responses, new CallContext(cancellation.Token));

        SyncEditResult? result = null;
        UserEvent? change = null;
        while (result is null || change is null)
        {
            var next = responses.Written.ReadAsync().AsTask();
            if (await Task.WhenAny(next, call).WaitAsync(Deadline) == call)
            {
                await call; // the call ended early: surface why
            }

            var response = await next.WaitAsync(Deadline);
            result ??= response.Result;
            change ??= response.Change;
        }

        await cancellation.CancelAsync();
        try
        {
            await call.WaitAsync(Deadline);
        }
        catch (OperationCanceledException)
        {
            // The call ends by cancellation, as when the client hangs up.
        }

        return (result, change);
    }

    private sealed class Requests<T>(params T[] messages) : IAsyncStreamReader<T>
    {
        private int index = -1;

        public T Current => messages[index];

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(++index < messages.Length);
    }

    private sealed class Responses<T> : IServerStreamWriter<T>
    {
        private readonly Channel<T> written = Channel.CreateUnbounded<T>();

        public ChannelReader<T> Written => written.Reader;

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(T message, CancellationToken cancellationToken) => written.Writer.WriteAsync(message, cancellationToken).AsTask();
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private sealed class CallContext(CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => "/user.v1.UserService/SyncUsers";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:5000";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
            throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
