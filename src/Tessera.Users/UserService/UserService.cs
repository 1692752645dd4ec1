using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;
using Tessera.Users.Changes;
using Tessera.Users.Chat;
using Tessera.Users.Storage;
using Tessera.Users.Validation;

namespace Tessera.Users;

/// <summary>
/// user.v1.UserService. One file per RPC in this folder; this one holds the unary CRUD calls.
/// Signed-in users may read and search the directory and change or delete themselves; admins may do
/// everything. CreateUser is public (sign-up) but only admins may grant roles.
/// </summary>
[Authorize]
public sealed partial class UserService(
    IUserStore store,
    ChangeNotifier notifier,
    PasswordHashing passwords,
    ChatRooms rooms,
    IHostApplicationLifetime lifetime,
    ILogger<UserService> logger) : Contracts.User.V1.UserService.UserServiceBase
{
    [AllowAnonymous]
    public override async Task<CreateUserResponse> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        if (request.Roles.Count > 0)
        {
            Caller.From(context).RequireAdmin("granting roles");
        }

        UserEditor.ValidateCreate(request);
        var hash = request.Password.Length > 0 ? passwords.Hash(request.Password) : null;
        var newUser = UserEditor.ToNewUser(request, hash);
        try
        {
            var result = await store.CreateAsync(newUser, NullIfEmpty(request.RequestId), context.CancellationToken);
            return new CreateUserResponse
            {
                User = result.User.ToProto(),
                Message = result.Replayed
                    ? $"user '{result.User.Username}' was already created by request {request.RequestId}"
                    : $"user '{result.User.Username}' created",
            };
        }
        catch (UniqueViolationException clash)
        {
            throw RpcErrors.AlreadyExists(clash.Field, clash.Field == "username" ? request.Username : request.Email);
        }
        catch (RequestIdMismatchException)
        {
            throw RpcErrors.InvalidArgument("request_id", "was already used for a create of a different user; use a new request_id");
        }
    }

    public override async Task<User> GetUser(GetUserRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireSelfOrAdmin(RequireId(request.UserId, "user_id"));
        var user = await store.GetAsync(request.UserId, context.CancellationToken);
        return user?.ToProto() ?? throw RpcErrors.NotFound(request.UserId);
    }

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
        catch (UniqueViolationException clash)
        {
            throw RpcErrors.AlreadyExists(clash.Field, clash.Field == "username" ? patch.Username : patch.Email);
        }
    }

    private static long RequireId(long id, string field) =>
        id > 0 ? id : throw RpcErrors.InvalidArgument(field, "must be a positive user id");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The call's token, also cancelled when the host starts stopping, so long streams never hold up shutdown.</summary>
    private CancellationTokenSource LinkToShutdown(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    private bool ShuttingDown => lifetime.ApplicationStopping.IsCancellationRequested;
}
