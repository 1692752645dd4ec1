using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Long_lived_streams_end_with_UNAVAILABLE_when_the_server_stops_and_do_not_hold_it_up()
    {
        await using var server = new TesseraServer();
        await server.InitializeAsync();
        using var watch = server.Users.WatchUserChanges(new WatchUserRequest());
        using var chat = server.Users.UserChat();
        using var sync = server.Users.SyncUsers();
        await chat.RequestStream.WriteAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = "r", Sender = "a" });
        await chat.ResponseStream.NextAsync();
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Start = new SyncStart() });
        await server.Users.CreateUserAsync(new CreateUserRequest { Username = "someone", Email = "someone@example.com" });
        await watch.ResponseStream.NextAsync();
        await sync.ResponseStream.NextAsync();

        // As real clients do, each stream has a read waiting when the server goes down.
        var pending = new (string Name, Task<bool> Read)[] { ("watch", watch.ResponseStream.MoveNext()), ("chat", chat.ResponseStream.MoveNext()), ("sync", sync.ResponseStream.MoveNext()) };
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {stopping.Elapsed}");
        Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
        foreach (var (name, read) in pending)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => read);
            if (name != "watch" && e.StatusCode == StatusCode.Internal && e.Status.DebugException is System.Net.Http.HttpProtocolException { ErrorCode: 0 })
            {
                // A stream whose request side is still open (chat, sync) is answered with its status and then reset;
                // once in a CI run the client saw the connection's graceful close (GOAWAY NO_ERROR) before it read
                // that status, and grpc-dotnet's client reported INTERNAL on its own. Not an error the server made.
                continue;
            }

            Assert.True(e.StatusCode == StatusCode.Unavailable, $"{name}: {e.Status}");
            Assert.Contains("shutting down", e.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Empty(server.Errors);
    }
}
