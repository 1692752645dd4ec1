using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;
using Tessera.Users.Storage;
using Tessera.Users.Validation;

namespace Tessera.Users;

public sealed partial class UserService
{
    public override async Task<User> UpdateUser(UpdateUserRequest request, ServerCallContext context)
    {
        if (request.User is null)
        {
            throw RpcErrors.InvalidArgument("user", "is required: the fields to change");
        }

        var id = request.UserId != 0 ? request.UserId : request.User.Id;
        if (request.UserId != 0 && request.User.Id != 0 && request.User.Id != request.UserId)
        {
            throw RpcErrors.InvalidArgument("user.id", $"is {request.User.Id} but user_id is {request.UserId}; they must agree");
        }

        var caller = Caller.From(context);
        caller.RequireSelfOrAdmin(RequireId(id, "user_id"));
        var paths = UserEditor.ResolveMask(request.User, request.UpdateMask);
        if (paths.Contains("roles"))
        {
            caller.RequireAdmin("changing roles");
        }

        var updated = await UpdateAsync(id, NullIfEmpty(request.User.Etag), request.User, paths, context.CancellationToken);
        return updated.ToProto();
    }


    /// <summary>Applies a validated masked update; shared by UpdateUser and SyncUsers.</summary>
    private async Task<UserRecord> UpdateAsync(long id, string? etag, User patch, IReadOnlySet<string> paths, CancellationToken cancellationToken)
    {
        try
        {
            return await store.UpdateAsync(id, etag, current => UserEditor.Apply(current, patch, paths), null, cancellationToken)
                ?? throw RpcErrors.NotFound(id);
        }
        catch (EtagMismatchException stale)
        {
            throw RpcErrors.EtagMismatch(id, stale.Current.Etag);
        }
        catch (LastAdminException)
        {
            throw RpcErrors.LastAdmin(id);
        }
        catch (UniqueViolationException clash)
        {
            throw RpcErrors.AlreadyExists(clash.Field, clash.Field == "username" ? patch.Username : patch.Email);
        }
    }
}
