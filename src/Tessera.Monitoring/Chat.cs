using System.Data.Common;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Users;
using Tessera.Users.Chat;
using RoomEvent = Tessera.Contracts.User.V1.ChatMessage;

namespace Tessera.Monitoring;

public sealed partial class MonitoringService
{
    public const int MaxChatText = 2000;

    /// <summary>
    /// The operators' room (<see cref="ReservedRooms.Operators"/>) on the users' chat engine, so it spans replicas as
    /// UserChat does. The caller joins when the call starts and leaves when it ends; only texts are sent back (joins and
    /// leaves are numbered too, so sequences may skip). A member that falls a whole queue behind is dropped, as in UserChat.
    /// </summary>
    public override async Task Chat(IAsyncStreamReader<ChatMessage> requestStream, IServerStreamWriter<ChatMessage> responseStream, ServerCallContext context)
    {
        var caller = RequireAdmin(context, "Chat");
        using var cancellation = LinkToShutdown(context);
        using var readStop = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token);
        var member = rooms.Connect(caller.Name ?? context.Peer);
        member.Dropped.Register(readStop.Cancel);
        var pump = PumpChatAsync(member, responseStream, context.CancellationToken);
        var finishedReading = false;
        try
        {
            await rooms.JoinAsync(member, ReservedRooms.Operators, cancellation.Token);
            await foreach (var message in requestStream.ReadAllAsync(readStop.Token))
            {
                if (message.Text.Length is 0 or > MaxChatText)
                {
                    throw RpcErrors.InvalidArgument("text", $"must be 1-{MaxChatText} characters");
                }

                await rooms.SayAsync(member, ReservedRooms.Operators, message.Text, cancellation.Token);
            }

            finishedReading = true;
        }
        catch (OperationCanceledException) when (member is { Overflowed: true } or { BusLost: true })
        {
        }
        catch (ChatBusUnavailableException e)
        {
            throw RpcErrors.Unavailable(e.Message, "CHAT_BUS_UNAVAILABLE");
        }
        catch (ChatTextTooLongException e)
        {
            throw RpcErrors.InvalidArgument("text", e.Message);
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
        finally
        {
            if (!finishedReading)
            {
                member.Stop();
            }

            await StopChatAsync(member, pump);
        }

        if (member.BusLost)
        {
            throw RpcErrors.Unavailable("this server lost its connection to the other replicas' chat and may have missed messages; reconnect", "CHAT_BUS_LOST");
        }

        if (member.Overflowed)
        {
            throw RpcErrors.ResourceExhausted(
                $"this stream fell more than {ChatRooms.MemberQueueCapacity} messages behind and was dropped; reconnect and read faster", "CHAT_QUEUE_FULL");
        }
    }

    /// <summary>Leaves the room (best effort: the bus may be down, or the server stopping) and waits for the writer.</summary>
    private async Task StopChatAsync(ChatMember member, Task pump)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await rooms.DisconnectAsync(member, timeout.Token);
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            logger.LogInformation(e, "Could not announce that operator {Member} left", member.Name);
        }

        try
        {
            await pump;
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException e)
        {
            logger.LogDebug(e, "Operators' chat writer for {Member} stopped", member.Name);
        }
    }

    /// <summary>Writes the room's texts to the stream, with the call's own token only (see UserChat's writer).</summary>
    private static async Task PumpChatAsync(ChatMember member, IServerStreamWriter<ChatMessage> responseStream, CancellationToken callCancelled)
    {
        await foreach (var message in member.Outgoing.ReadAllAsync(callCancelled))
        {
            if (member.Stopped)
            {
                return;
            }

            if (message.Kind == RoomEvent.Types.Kind.Text)
            {
                await responseStream.WriteAsync(
                    new ChatMessage { Sender = message.Sender, Text = message.Text, SentAt = message.SentAt, Sequence = message.Sequence },
                    callCancelled);
            }
        }
    }
}
