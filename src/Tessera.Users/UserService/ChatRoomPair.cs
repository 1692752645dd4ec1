using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Chat;

namespace Tessera.Users;

/// <summary>
/// Chat for callers that cannot open a bidirectional stream (browsers over gRPC-Web, REST): a server stream that
/// subscribes to one room and a unary call that posts to it, on the same rooms as <see cref="UserChat"/>.
/// </summary>
public sealed partial class UserService
{
    public override async Task SubscribeChatRoom(SubscribeChatRoomRequest request, IServerStreamWriter<ChatMessage> responseStream, ServerCallContext context)
    {
        ValidateRoom(request.Room, request.Sender);
        using var cancellation = LinkToShutdown(context);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token);
        var member = rooms.Connect(ChatName(context, request.Sender));
        member.Dropped.Register(stop.Cancel);
        try
        {
            await rooms.JoinAsync(member, request.Room, cancellation.Token);
            await foreach (var message in member.Outgoing.ReadAllAsync(stop.Token))
            {
                if (member.Stopped)
                {
                    break;
                }

                await responseStream.WriteAsync(message, context.CancellationToken);
            }
        }
        catch (ChatBusUnavailableException e)
        {
            throw RpcErrors.Unavailable(e.Message, "CHAT_BUS_UNAVAILABLE");
        }
        catch (OperationCanceledException) when (member is { Overflowed: true } or { BusLost: true })
        {
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
        finally
        {
            member.Stop();
            await StopChatAsync(member);
        }

        ThrowIfDropped(member);
    }

    public override async Task<PostChatMessageResponse> PostChatMessage(PostChatMessageRequest request, ServerCallContext context)
    {
        ValidateRoom(request.Room, request.Sender);
        if (request.Text.Length is 0 or > MaxChatText)
        {
            throw RpcErrors.InvalidArgument("text", $"must be 1-{MaxChatText} characters");
        }

        try
        {
            var message = await rooms.PostAsync(ChatName(context, request.Sender), request.Room, request.Text, context.CancellationToken);
            return new PostChatMessageResponse { Message = message };
        }
        catch (ChatBusUnavailableException e)
        {
            throw RpcErrors.Unavailable(e.Message, "CHAT_BUS_UNAVAILABLE");
        }
        catch (ChatTextTooLongException e)
        {
            throw RpcErrors.InvalidArgument("text", e.Message);
        }
    }
}
