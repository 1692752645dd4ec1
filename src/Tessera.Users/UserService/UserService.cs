using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Users.Changes;
using Tessera.Users.Chat;
using Tessera.Users.Storage;

namespace Tessera.Users;

/// <summary>
/// user.v1.UserService. One file per RPC in this folder, named after it; this one holds what they share.
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
    private static long RequireId(long id, string field) =>
        id > 0 ? id : throw RpcErrors.InvalidArgument(field, "must be a positive user id");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The call's token, also cancelled when the host starts stopping, so long streams never hold up shutdown.</summary>
    private CancellationTokenSource LinkToShutdown(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    private bool ShuttingDown => lifetime.ApplicationStopping.IsCancellationRequested;
}
