using Grpc.Core;
using Grpc.Net.ClientFactory;
using Tessera.Contracts.User.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary><see cref="IUserDirectory"/> over user.v1.UserService/GetUser, as the user themselves (the token's subject).</summary>
public sealed class GrpcUserDirectory(GrpcClientFactory clients, ServiceIdentity identity) : IUserDirectory
{
    // Made per call from the factory (cheap; the channel is shared), so nothing resolves an address before the server listens.
    private UserService.UserServiceClient Client => clients.CreateClient<UserService.UserServiceClient>(typeof(UserService.UserServiceClient).Name);

    public async Task<User?> FindUserAsync(long userId, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.GetUserAsync(new GetUserRequest { UserId = userId }, identity.For(userId, PeerCalls.Deadline(), cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
