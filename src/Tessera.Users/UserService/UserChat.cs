using System.Data.Common;
using Grpc.Core;
using Tessera.Users.Auth;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.User.V1;
using Tessera.Users.Chat;

namespace Tessera.Users;

public sealed partial class UserService
{
    private const int MaxRoomName = 64;
    private const int MaxChatText = 4096;

    /// <summary>How long a stopped member's writer may stay blocked on a client that does not read before its call is reset.</summary>
    private static readonly TimeSpan StuckWriterGrace = TimeSpan.FromSeconds(5);

    public override async Task UserChat(IAsyncStreamReader<ChatMessage> requestStream, IServerStreamWriter<ChatMessage> responseStream, ServerCallContext context)
    {
        using var cancellation = LinkToShutdown(context);
        using var readStop = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token);
        using var writes = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        ChatMember? member = null;
        Task? pump = null;
        var finishedReading = false;
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(readStop.Token))
            {
                ValidateChat(message);
                if (member is null)
                {
                    member = rooms.Connect(ChatName(context, message.Sender));
                    member.Dropped.Register(readStop.Cancel);
                    pump = PumpChatAsync(member, responseStream, writes.Token);
                }

                await HandleChatAsync(member, message, cancellation.Token);
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
                member?.Stop();
            }

            await StopChatAsync(member);
            await StopWriterAsync(member, pump, writes);
        }

        ThrowIfDropped(member);
    }

    /// <summary>A member dropped by its room ends its call with the reason: the bus was lost, or it fell behind.</summary>
    private static void ThrowIfDropped(ChatMember? member)
    {
        if (member is { BusLost: true })
        {
            throw RpcErrors.Unavailable(
                "this server lost its connection to the other replicas' chat and may have missed messages; join your rooms again",
                "CHAT_BUS_LOST");
        }

        if (member is { OverflowedRoom: { } room })
        {
            throw RpcErrors.ResourceExhausted(
                $"this stream fell more than {ChatRooms.MemberQueueCapacity} messages behind in room '{room}' and was dropped; reconnect and read faster",
                "CHAT_QUEUE_FULL");
        }
    }

    /// <summary>A signed-in caller chats under their username; without authentication, under the name they give.</summary>
    private static string ChatName(ServerCallContext context, string sender) =>
        Caller.From(context).Name ?? (sender.Length > 0 ? sender : context.Peer);

    private async Task HandleChatAsync(ChatMember member, ChatMessage message, CancellationToken cancellationToken)
    {
        switch (message.Kind)
        {
            case ChatMessage.Types.Kind.Join:
                await rooms.JoinAsync(member, message.Room, cancellationToken);
                break;
            case ChatMessage.Types.Kind.Leave:
                await rooms.LeaveAsync(member, message.Room, cancellationToken);
                break;
            default:
                if (!await rooms.SayAsync(member, message.Room, message.Text, cancellationToken) && !member.Stopped)
                {
                    throw RpcErrors.FailedPrecondition($"join room '{message.Room}' before sending to it", "NOT_IN_ROOM");
                }

                break;
        }
    }

    /// <summary>Leaves every room. Announcing the leaves is best effort (the bus may be down, or the server stopping).</summary>
    private async Task StopChatAsync(ChatMember? member)
    {
        if (member is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await rooms.DisconnectAsync(member, timeout.Token);
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            logger.LogInformation(e, "Could not announce that chat member {Member} left", member.Name);
        }
    }

    /// <summary>
    /// Waits for the member's writer: it drains the queue after a clean end, or stops after its current write otherwise.
    /// A writer still blocked after <see cref="StuckWriterGrace"/> is on a client that does not read (a member dropped
    /// for falling behind, typically): its write is cancelled, which resets the call, rather than holding it open until
    /// the connection's keepalive gives up. Such a client could not have read its final status anyway.
    /// </summary>
    private async Task StopWriterAsync(ChatMember? member, Task? pump, CancellationTokenSource writes)
    {
        if (pump is null)
        {
            return;
        }

        if (await Task.WhenAny(pump, Task.Delay(StuckWriterGrace)) != pump)
        {
            await writes.CancelAsync();
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
            logger.LogDebug(e, "Chat writer for {Member} stopped", member?.Name);
        }
    }

    /// <summary>
    /// Writes the member's queue to its stream. Writes take the call's own token (and <see cref="StopWriterAsync"/>'s,
    /// for a writer stuck on a client that does not read), not the shutdown's: cancelling a write aborts the whole
    /// HTTP/2 stream, and a dropped or stopping member must still get its final status.
    /// </summary>
    private static async Task PumpChatAsync(ChatMember member, IServerStreamWriter<ChatMessage> responseStream, CancellationToken cancellationToken)
    {
        await foreach (var message in member.Outgoing.ReadAllAsync(cancellationToken))
        {
            if (member.Stopped)
            {
                return;
            }

            await responseStream.WriteAsync(message, cancellationToken);
        }
    }

    private static void ValidateChat(ChatMessage message)
    {
        if (message.Kind == ChatMessage.Types.Kind.Unspecified)
        {
            throw RpcErrors.InvalidArgument("kind", "must be KIND_JOIN, KIND_TEXT or KIND_LEAVE");
        }

        ValidateRoom(message.Room, message.Sender);
        if (message.Text.Length > MaxChatText)
        {
            throw RpcErrors.InvalidArgument("text", $"must be at most {MaxChatText} characters");
        }
    }

    private static void ValidateRoom(string room, string sender)
    {
        if (room.Length is 0 or > MaxRoomName)
        {
            throw RpcErrors.InvalidArgument("room", $"must be 1-{MaxRoomName} characters");
        }

        if (ReservedRooms.IsReserved(room))
        {
            throw RpcErrors.InvalidArgument("room", $"names starting with '{ReservedRooms.Prefix}' are reserved for Tessera's own rooms");
        }

        if (sender.Length > MaxRoomName)
        {
            throw RpcErrors.InvalidArgument("sender", $"must be at most {MaxRoomName} characters");
        }
    }
}
