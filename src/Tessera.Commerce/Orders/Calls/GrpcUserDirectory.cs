using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary><see cref="IUserDirectory"/> over user.v1.UserService/GetUser, as the user themselves (the token's subject).</summary>
public sealed class GrpcUserDirectory(UserService.UserServiceClient client, ServiceIdentity identity) : IUserDirectory
{
    public async Task<User?> FindUserAsync(long userId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetUserAsync(new GetUserRequest { UserId = userId }, identity.For(userId, PeerCalls.Deadline(), cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
