using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;
using Tessera.Users.Storage;
using Tessera.Users.Validation;

namespace Tessera.Users;

public sealed partial class UserService
{
    [AllowAnonymous]
    public override async Task<CreateUserResponse> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        if (request.Roles.Count > 0)
        {
            Caller.From(context).RequireAdmin("granting roles");
        }

        UserEditor.ValidateCreate(request);
        var hash = request.Password.Length > 0 ? await passwords.HashAsync(request.Password, context.CancellationToken) : null;
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
            throw RpcErrors.InvalidArgument("request_id", RequestIdUsedElsewhere);
        }
    }

    /// <summary>Why a request id that already created a different user is refused, by CreateUser and BulkCreateUsers alike.</summary>
    private const string RequestIdUsedElsewhere = "was already used for a create of a different user; use a new request_id";
}
