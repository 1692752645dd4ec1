using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Bench.Scenarios;

/// <summary>
/// UserChat: each worker is a member with its own duplex stream, joined to one of <see cref="BenchSettings.Rooms"/>
/// rooms; one operation sends a message and waits for the room to deliver it back. Latency is that round trip;
/// items are every message the member received meanwhile (the room's fan-out).
/// </summary>
internal sealed class ChatScenario(BenchSettings settings, BenchConnections connections) : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<ChatMessage, ChatMessage>?[] members = new AsyncDuplexStreamingCall<ChatMessage, ChatMessage>?[settings.Concurrency];

    public async Task<long> RoundTripAsync(int worker, CallInvoker invoker, CancellationToken cancellationToken)
    {
        var call = members[worker] ??= await JoinAsync(worker, invoker, cancellationToken).ConfigureAwait(false);
        var text = worker.ToString(CultureInfo.InvariantCulture) + ":" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        await call.RequestStream.WriteAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Text, Room = Room(worker), Text = text }, cancellationToken).ConfigureAwait(false);
        var delivered = 0L;
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = call.ResponseStream.Current;
            if (message.Kind != ChatMessage.Types.Kind.Text)
            {
                continue;
            }

            delivered++;
            if (message.Text == text)
            {
                return delivered;
            }
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "the chat stream ended"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var call in members)
        {
            if (call is null)
            {
                continue;
            }

            try
            {
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException)
            {
            }

            call.Dispose();
        }
    }

    private async Task<AsyncDuplexStreamingCall<ChatMessage, ChatMessage>> JoinAsync(int worker, CallInvoker invoker, CancellationToken cancellationToken)
    {
        var call = new UserService.UserServiceClient(invoker).UserChat(connections.Options(CancellationToken.None));
        await call.RequestStream.WriteAsync(
            new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = Room(worker), Sender = "m" + worker.ToString(CultureInfo.InvariantCulture) },
            cancellationToken).ConfigureAwait(false);
        return call;
    }

    private string Room(int worker) => "bench-" + (worker % Math.Max(1, settings.Rooms)).ToString(CultureInfo.InvariantCulture);
}
