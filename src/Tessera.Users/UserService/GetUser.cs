using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;

namespace Tessera.Users;

public sealed partial class UserService
{
    public override async Task<User> GetUser(GetUserRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireSelfOrAdmin(RequireId(request.UserId, "user_id"));
        var user = await store.GetAsync(request.UserId, context.CancellationToken);
        return user?.ToProto() ?? throw RpcErrors.NotFound(request.UserId);
    }
}
