using Tessera.Contracts;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Users.Auth;
using Tessera.Contracts.User.V1;
using Tessera.Users.Storage;
using Tessera.Users.Validation;

namespace Tessera.Users;

public sealed partial class UserService
{
    private const int SyncOutgoingCapacity = 256;

    /// <summary>
    /// Two-way sync. The first message says which revision the client has; the server then sends every change
    /// after it and keeps following, while applying the client's edits and answering each with a result.
    /// A client that reconnects with the revision of the last change it saw misses nothing.
    /// </summary>
    [Authorize(Roles = Roles.Admin)]
    public override async Task SyncUsers(IAsyncStreamReader<UserSyncRequest> requestStream, IServerStreamWriter<UserSyncResponse> responseStream, ServerCallContext context)
    {
        using var cancellation = LinkToShutdown(context);
        var token = cancellation.Token;
        if (!await requestStream.MoveNext(token) || requestStream.Current.KindCase != UserSyncRequest.KindOneofCase.Start)
        {
            throw RpcErrors.InvalidArgument("start", "the first message of a sync must be a start with the revision the client has");
        }

        var from = requestStream.Current.Start.Revision;
        if (from < 0)
        {
            throw RpcErrors.InvalidArgument("start.revision", "must not be negative");
        }

        var outgoing = Channel.CreateBounded<UserSyncResponse>(new BoundedChannelOptions(SyncOutgoingCapacity) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var writer = WriteAllAsync(outgoing.Reader, responseStream, context.CancellationToken);
        var changes = FollowChangesAsync(from, null, (change, _, ct) => outgoing.Writer.WriteAsync(new UserSyncResponse { Change = change.ToProto() }, ct).AsTask(), stop.Token);
        try
        {
            while (await requestStream.MoveNext(token))
            {
                var request = requestStream.Current;
                if (request.KindCase != UserSyncRequest.KindOneofCase.Edit)
                {
                    throw RpcErrors.InvalidArgument("start", "only the first message of a sync may be a start");
                }

                await outgoing.Writer.WriteAsync(new UserSyncResponse { Result = await ApplyEditAsync(request.Edit, token) }, token);
            }

            // The client has sent everything; keep following live changes until it hangs up or the server stops.
            await Task.WhenAny(changes, writer);
            await Task.WhenAll(changes, writer);
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
        finally
        {
            await stop.CancelAsync();
            outgoing.Writer.TryComplete();
            await Task.WhenAll(changes, writer).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private async Task<SyncEditResult> ApplyEditAsync(SyncEdit edit, CancellationToken cancellationToken)
    {
        var result = new SyncEditResult { EditId = edit.EditId };
        try
        {
            var applied = await ApplyAsync(edit, cancellationToken);
            result.Applied = true;
            if (applied is not null)
            {
                result.User = applied.ToProto();
            }
        }
        catch (RpcException rejected)
        {
            result.Code = rejected.StatusCode.Name();
            result.Reason = rejected.Status.Detail;
            if (rejected.StatusCode == StatusCode.Aborted && edit.User is { Id: > 0 } user
                && await store.GetAsync(user.Id, cancellationToken) is { } current)
            {
                result.ServerUser = current.ToProto();
            }
        }

        return result;
    }

    private async Task<UserRecord?> ApplyAsync(SyncEdit edit, CancellationToken cancellationToken)
    {
        var user = edit.User ?? throw RpcErrors.InvalidArgument("edit.user", "is required");
        var etag = NullIfEmpty(edit.BaseEtag);
        if (edit.Delete)
        {
            try
            {
                return await store.DeleteAsync(RequireId(user.Id, "edit.user.id"), etag, cancellationToken) ?? throw RpcErrors.NotFound(user.Id);
            }
            catch (EtagMismatchException stale)
            {
                throw RpcErrors.EtagMismatch(user.Id, stale.Current.Etag);
            }
            catch (LastAdminException)
            {
                throw RpcErrors.LastAdmin(user.Id);
            }
        }

        if (user.Id == 0)
        {
            var create = new CreateUserRequest { Username = user.Username, Email = user.Email, FullName = user.FullName, Roles = { user.Roles }, Metadata = { user.Metadata } };
            if (user.HasNickname)
            {
                create.Nickname = user.Nickname;
            }

            try
            {
                return (await store.CreateAsync(UserEditor.ToNewUser(create, null), null, cancellationToken)).User;
            }
            catch (UniqueViolationException clash)
            {
                throw RpcErrors.AlreadyExists(clash.Field, clash.Field == "username" ? user.Username : user.Email);
            }
        }

        return await UpdateAsync(user.Id, etag, user, UserEditor.ResolveMask(user, edit.UpdateMask), cancellationToken);
    }

    /// <summary>The single writer of a duplex stream; it ends when the channel is completed or the call is cancelled.</summary>
    private static async Task WriteAllAsync<T>(ChannelReader<T> reader, IServerStreamWriter<T> stream, CancellationToken callCancelled)
    {
        await foreach (var message in reader.ReadAllAsync(callCancelled))
        {
            await stream.WriteAsync(message, callCancelled);
        }
    }
}
