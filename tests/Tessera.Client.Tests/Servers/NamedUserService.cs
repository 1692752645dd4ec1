using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Client.Tests.Servers;

/// <summary>A UserService whose GetUser answers with a user named after the server, so a test sees which server a call reached.</summary>
internal sealed class NamedUserService(ServerName name) : UserService.UserServiceBase
{
    public override Task<User> GetUser(GetUserRequest request, ServerCallContext context) =>
        Task.FromResult(new User { Id = request.UserId, Username = name.Value });
}
