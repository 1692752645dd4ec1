using Tessera.Contracts.User.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary>The buyer check the saga makes (user.v1.UserService), on behalf of that user.</summary>
public interface IUserDirectory
{
    /// <summary>The user, or null when there is none (NOT_FOUND); any other error is the RpcException of the call.</summary>
    Task<User?> FindUserAsync(long userId, CancellationToken cancellationToken);
}
