using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>GetUser and nothing else: a dictionary lookup, NOT_FOUND for an unknown id.</summary>
public sealed class BareUserService(UserTable users) : UserService.UserServiceBase
{
    public override Task<User> GetUser(GetUserRequest request, ServerCallContext context) =>
        users.Find(request.UserId) is { } user
            ? Task.FromResult(user)
            : throw new RpcException(new Status(StatusCode.NotFound, $"user {request.UserId} does not exist"));
}
