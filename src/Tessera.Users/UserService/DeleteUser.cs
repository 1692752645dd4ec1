using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;
using Tessera.Users.Storage;

namespace Tessera.Users;

public sealed partial class UserService
{
    public override async Task<Empty> DeleteUser(DeleteUserRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireSelfOrAdmin(RequireId(request.UserId, "user_id"));
        try
        {
            _ = await store.DeleteAsync(request.UserId, NullIfEmpty(request.Etag), context.CancellationToken)
                ?? throw RpcErrors.NotFound(request.UserId);
            return new Empty();
        }
        catch (EtagMismatchException stale)
        {
            throw RpcErrors.EtagMismatch(request.UserId, stale.Current.Etag);
        }
        catch (LastAdminException)
        {
            throw RpcErrors.LastAdmin(request.UserId);
        }
    }
}
